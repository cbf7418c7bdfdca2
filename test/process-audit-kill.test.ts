// The gateway process killed (SIGKILL: no drain, no last checkpoint) while
// personal-data requests are in flight. Every answer that reached its client has
// its audit record, and the chain the dead process left still verifies.
import { createHash, createPublicKey } from 'node:crypto'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { Agent, request } from 'undici'
import type { AuditRecord } from '../src/audit/index.js'
import { fromRoot } from '../src/paths.js'
import { collect, newTarget, openStore, type StoreKind } from './helpers/audit-stores.js'
import { ready, runGateway, type GatewayProcess } from './helpers/gateway-process.js'
import { personas } from './helpers/personas.js'

// Two start-ups through the TypeScript loader and two loads: on a loaded two-core
// machine that can outlast the run's default per-file timeout.
t.setTimeout(240_000)

const CONCURRENCY = 48
// Enough answers that several batches and checkpoints were committed before the
// kill; the other workers' requests are then still pending.
const ANSWERS_BEFORE_KILL = 400
const CHECKPOINT_EVERY = 100
// How a request that the kill cut off fails: the connection closes or resets under it.
const SOCKET_ERRORS = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']

interface Sandbox {
  purposeHeaders: Record<string, string>
  clients: Array<{ clientId: string, apiKey: string }>
}

function counterHeaders (): Record<string, string> {
  const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8')) as Sandbox
  const counter = sandbox.clients.find((c) => c.clientId === 'demo-counter')!
  return { authorization: `Bearer ${counter.apiKey}`, ...sandbox.purposeHeaders }
}

interface Sent {
  requestId: string
  citizenId: string
  status?: number
  headers?: Record<string, string | string[] | undefined>
  bodyHash?: string
  /** The error code of a request that got no whole answer. */
  error?: string
}

function sha256 (text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`
}

async function send (base: string, agent: Agent, sent: Sent, headers: Record<string, string>) {
  try {
    const res = await request(`${base}/v1/citizens/${sent.citizenId}`, {
      dispatcher: agent, headers: { ...headers, 'x-request-id': sent.requestId }
    })
    const text = await res.body.text()
    Object.assign(sent, { status: res.statusCode, headers: res.headers, bodyHash: sha256(text) })
  } catch (err) {
    sent.error = (err as NodeJS.ErrnoException).code ?? (err as Error).name
  }
}

// Workers keep CONCURRENCY requests in flight; the one that completes the
// ANSWERS_BEFORE_KILL-th answer kills the process, and no request starts after that.
async function loadThenKill (t: Test, r: GatewayProcess, base: string, tag: string) {
  const agent = new Agent({ connections: CONCURRENCY })
  t.teardown(() => agent.destroy())
  const ids = personas().population.persons.map((p) => p.citizenId)
  const headers = counterHeaders()
  const sent: Sent[] = []
  let answered = 0
  let killed = false
  const worker = async () => {
    while (!killed) {
      const n = sent.length
      const one: Sent = { requestId: `${tag}-${n}`, citizenId: ids[n % ids.length]! }
      sent.push(one)
      await send(base, agent, one, headers)
      if (one.status !== undefined) answered++
      if (answered >= ANSWERS_BEFORE_KILL && !killed) {
        killed = true
        r.child.kill('SIGKILL')
      }
    }
  }
  const exited = once(r.child, 'exit')
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const [, signal] = await exited
  return { sent, signal }
}

// What is wrong with the record of one answered request, if anything.
function mismatch (s: Sent, byId: Map<string, AuditRecord>,
  byRequest: Map<string, AuditRecord[]>): string | null {
  const auditId = s.headers!['x-audit-id'] as string | undefined
  const record = auditId === undefined ? undefined : byId.get(auditId)
  if (record === undefined) return `${s.requestId}: no record for ${auditId}`
  const same = byRequest.get(s.requestId) ?? []
  if (same.length !== 1 || same[0] !== record) return `${s.requestId}: ${same.length} records by request id`
  if (!record.citizenIds.includes(s.citizenId)) return `${s.requestId}: wrong citizen`
  if (s.headers!['x-request-id'] !== s.requestId) return `${s.requestId}: request id not echoed`
  if (record.requestHash !== s.headers!['x-request-hash']) return `${s.requestId}: request hash`
  if (record.responseHash !== s.bodyHash) return `${s.requestId}: response hash`
  if (record.status !== 200 || record.outcome !== 'allowed') return `${s.requestId}: outcome`
  if (record.fields.length === 0) return `${s.requestId}: no fields recorded`
  return null
}

function index (records: AuditRecord[]) {
  const byId = new Map(records.map((r) => [r.id, r]))
  const byRequest = new Map<string, AuditRecord[]>()
  for (const r of records) byRequest.set(r.requestId, [...byRequest.get(r.requestId) ?? [], r])
  return { byId, byRequest }
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: SIGKILL mid-load loses no record of an answered request`, async (t) => {
    const target = await newTarget(t, kind)
    const r = runGateway(t, {
      ...(kind === 'sqlite' ? { AUDIT_SQLITE_FILE: target.location } : { AUDIT_URL: target.location }),
      AUDIT_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
      RATE_LIMIT_MAX: '1000000'
    })
    const { address } = await ready(r)

    const { sent, signal } = await loadThenKill(t, r, address, kind)
    // Read-only, as an auditor would open it: nothing is written on top of what the
    // killed process left, not even the checkpoint close() would add.
    const publicKey = createPublicKey(readFileSync(r.keyFile, 'utf8'))
    const store = openStore(target, {
      verifyKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()]
    })
    t.teardown(() => store.close())
    const records = await collect(store.stream({}))
    const { byId, byRequest } = index(records)

    const answered = sent.filter((s) => s.status !== undefined)
    const cut = sent.filter((s) => s.error !== undefined)
    t.equal(signal, 'SIGKILL')
    t.ok(answered.length >= ANSWERS_BEFORE_KILL,
      `${answered.length} answered, ${answered.length - ANSWERS_BEFORE_KILL} of them after the kill`)
    t.same(answered.filter((s) => s.status !== 200), [], 'every answer was a 200 with data')
    t.ok(cut.length > 0, `${cut.length} requests cut off by the kill`)
    t.same(cut.filter((s) => !SOCKET_ERRORS.includes(s.error!)), [], 'each by a socket error')
    t.same(answered.map((s) => mismatch(s, byId, byRequest)).filter(Boolean), [],
      'each answer has its own record, by audit id and by request id')
    const written = cut.filter((s) => byRequest.has(s.requestId)).length
    t.comment(`${records.length} records, ${written} of them for requests the kill cut off`)

    const checked = await store.verify()
    const last = (await store.checkpoints({ limit: 1000 })).at(-1)
    t.match(checked, { ok: true, checked: records.length }, 'the chain verifies')
    t.ok(checked.checkpoints >= 1, `${checked.checkpoints} checkpoints signed before the kill`)
    t.comment(`${records.length - (last?.seq ?? 0)} records after the last checkpoint`)
  })
}
