// The auditors' routes under /v1/audit, against SQLite and PostgreSQL stores alike.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { toCsv, toJsonLines, type AuditRecord, type AuditStore } from '../../src/audit/index.js'
import { fromRoot } from '../../src/paths.js'
import {
  appendInOrder, auditEvent, collect, makeStore, tamper, testDir, type StoreKind
} from '../helpers/audit-stores.js'
import { auditor, callAs } from '../helpers/extra-clients.js'
import { startStack, type StackOptions } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const KINDS: StoreKind[] = ['sqlite', 'postgres']
const ROUTES = ['events', 'export', 'verify', 'checkpoints', 'public-key']
const A = '001090000001'
const B = '001090000002'
const C = '001090000003'
const someone = personas().any().citizenId

async function auditorStack (t: Test, audit: StackOptions['audit']) {
  const client = auditor()
  const stack = await startStack(t, { audit, clients: [client.record] })
  return { stack, as: callAs(stack, client), client }
}

const qs = (query: Record<string, string>) => new URLSearchParams(query).toString()

async function everyRecord (store: AuditStore): Promise<AuditRecord[]> {
  return collect(store.stream({}))
}

function verifyCli (args: string[]): Promise<{ code: number, stdout: string }> {
  const cli = fromRoot('src', 'audit', 'verify-cli.ts')
  const argv = ['--import', '@tapjs/typescript/import', cli, ...args]
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: fromRoot() }, (err, stdout) => {
      resolve({ code: err === null ? 0 : (err as { code: number }).code, stdout })
    })
  })
}

for (const kind of KINDS) {
  t.test(`${kind}: GET /v1/audit/events filters by each criterion`, async (t) => {
    const { stack, as } = await auditorStack(t, kind)
    const base = Date.parse('2026-05-01T00:00:00Z')
    const records = await appendInOrder(stack.audit, 6, (i) => ({
      time: new Date(base + i * 60_000).toISOString(),
      citizenIds: i === 2 ? [A, B] : [i % 2 === 0 ? A : C],
      clientId: i < 3 ? 'client-one' : 'client-two',
      officerId: i === 4 ? 'officer-x' : null,
      procedureCode: i === 5 ? '2.002' : '1.001',
      dossierId: `HS-${i}`,
      outcome: i === 3 ? 'denied' : i === 1 ? 'failed' : 'allowed'
    }))
    const seqs = async (query: Record<string, string>) => {
      const res = await as(`/v1/audit/events?${qs(query)}`)
      t.equal(res.status, 200, qs(query))
      return res.json.records.map((r: AuditRecord) => r.seq)
    }

    const all = await as('/v1/audit/events')

    t.same(all.json, { records, nextCursor: null }, 'records as the store keeps them')
    t.same(await seqs({ citizenId: A }), [1, 3, 5])
    t.same(await seqs({ citizenId: B }), [3])
    t.same(await seqs({ clientId: 'client-two' }), [4, 5, 6])
    t.same(await seqs({ officerId: 'officer-x' }), [5])
    t.same(await seqs({ procedureCode: '2.002' }), [6])
    t.same(await seqs({ dossierId: 'HS-1' }), [2])
    t.same(await seqs({ outcome: 'denied' }), [4])
    t.same(await seqs({ outcome: 'failed' }), [2])
    t.same(await seqs({ from: '2026-05-01T00:02:00Z', to: '2026-05-01T00:04:00Z' }), [3, 4],
      'from inclusive, to exclusive')
    t.same(await seqs({ from: '2026-05-01T07:03:00+07:00' }), [4, 5, 6], 'offsets are honoured')
    t.same(await seqs({ to: '2026-05-01' }), [], 'a date is midnight UTC')
    t.same(await seqs({ citizenId: A, clientId: 'client-two' }), [5])
    t.same(await seqs({ citizenId: '001090000099' }), [])
  })

  t.test(`${kind}: a read through the gateway shows up in /v1/audit/events`, async (t) => {
    const { stack, as } = await auditorStack(t, kind)

    const read = await stack.call(`/v1/citizens/${someone}`)
    const res = await as(`/v1/audit/events?citizenId=${someone}`)

    t.equal(read.status, 200)
    t.equal(res.json.records.length, 1)
    t.match(res.json.records[0], {
      id: read.headers['x-audit-id'],
      clientId: 'test-client',
      citizenIds: [someone],
      operation: 'citizens.get',
      outcome: 'allowed',
      status: 200
    })
  })

  t.test(`${kind}: cursor paging walks every record exactly once`, async (t) => {
    const { stack, as } = await auditorStack(t, kind)
    await appendInOrder(stack.audit, 25, (i) => ({ citizenIds: [i % 3 === 0 ? A : B] }))
    const walk = async (query: Record<string, string>) => {
      const pages: number[][] = []
      let cursor: string | null = null
      do {
        const page = cursor === null ? query : { ...query, cursor }
        const res = await as(`/v1/audit/events?${qs(page)}`)
        pages.push(res.json.records.map((r: AuditRecord) => r.seq))
        cursor = res.json.nextCursor
      } while (cursor !== null)
      return pages
    }

    const pages = await walk({ limit: '7' })
    const mine = await walk({ limit: '4', citizenId: A })

    t.same(pages.map((p) => p.length), [7, 7, 7, 4])
    t.same(pages.flat(), Array.from({ length: 25 }, (_, i) => i + 1))
    t.same(mine.flat(), [1, 4, 7, 10, 13, 16, 19, 22, 25])
    t.same(mine.map((p) => p.length), [4, 4, 1])
  })

  t.test(`${kind}: verify names the record a database user changed behind the store`, async (t) => {
    const { stack, as } = await auditorStack(t, kind)
    await appendInOrder(stack.audit, 6)

    const intact = await as('/v1/audit/verify')
    await tamper(stack.auditTarget!,
      'UPDATE audit_records SET client_id = \'forger\' WHERE seq = 4')
    const tampered = await as('/v1/audit/verify')

    t.equal(intact.status, 200)
    t.same(intact.json, { ok: true, checked: 6, checkpoints: 0, keyId: stack.audit.keyId })
    t.equal(tampered.status, 200, 'a broken chain is an answer, not an error')
    t.same(tampered.json, {
      ok: false,
      checked: 3,
      checkpoints: 0,
      firstBad: { seq: 4, id: 'aud_4', problem: 'hash-mismatch' },
      keyId: stack.audit.keyId
    })
  })

  t.test(`${kind}: a row that no longer holds a list is still shown to auditors`, async (t) => {
    const { stack, as } = await auditorStack(t, kind)
    await appendInOrder(stack.audit, 3)

    await tamper(stack.auditTarget!,
      'UPDATE audit_records SET sources = \'{"forged": true}\' WHERE seq = 2')
    const res = await as('/v1/audit/events')
    const verified = await as('/v1/audit/verify')

    t.equal(res.status, 200)
    t.same(res.json.records.map((r: AuditRecord) => r.seq), [1, 2, 3])
    t.same(res.json.records[1].sources, { forged: true })
    t.same(verified.json.firstBad, { seq: 2, id: 'aud_2', problem: 'hash-mismatch' })
  })

  t.test(`${kind}: export gives what events gives, as JSON lines and as CSV`, async (t) => {
    const { stack, as } = await auditorStack(t, kind)
    await appendInOrder(stack.audit, 12, (i) => ({
      clientId: i % 2 === 0 ? 'client-one' : 'client-two',
      // A value CSV must quote, to show the export quotes it.
      dossierId: i === 4 ? 'HS/2026:"x"' : `HS-${i}`
    }))
    const filter = { clientId: 'client-one' }
    const expected = (await as(`/v1/audit/events?${qs(filter)}`)).json.records as AuditRecord[]

    const jsonl = await as(`/v1/audit/export?${qs({ ...filter, format: 'jsonl' })}`)
    const csv = await as(`/v1/audit/export?${qs({ ...filter, format: 'csv' })}`)
    const plain = await as(`/v1/audit/export?${qs(filter)}`)

    t.equal(expected.length, 6)
    t.equal(jsonl.status, 200)
    t.match(jsonl.headers['content-type'], /^application\/x-ndjson/)
    t.match(jsonl.headers['content-disposition'],
      /^attachment; filename="audit-\d{8}T\d{6}Z\.jsonl"$/)
    t.same(jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l)), expected)
    // Byte for byte against the store's own records: PostgreSQL hands jsonb keys back
    // in an order of its own, which the events route's serialiser does not keep.
    const stored = (await stack.audit.query(filter)).records
    t.equal(jsonl.text, (await collect(toJsonLines(stored))).join(''))
    t.equal(csv.status, 200)
    t.match(csv.headers['content-type'], /^text\/csv/)
    t.match(csv.headers['content-disposition'], /\.csv"$/)
    t.equal(csv.text, (await collect(toCsv(expected))).join(''))
    t.match(csv.text, '"HS/2026:""x"""')
    t.equal(plain.text, jsonl.text, 'JSON lines when no format is named')
  })

  t.test(`${kind}: a large export streams every record in seq order`, async (t) => {
    const { stack, client } = await auditorStack(t, kind)
    const count = 3000
    await Promise.all(Array.from({ length: count }, (_, i) =>
      stack.audit.append(auditEvent({ citizenIds: [i % 2 === 0 ? A : B] }))))

    const res = await request(`${stack.url}/v1/audit/export?format=jsonl`, {
      headers: { authorization: `Bearer ${client.key}` }
    })
    let chunks = 0
    let text = ''
    for await (const chunk of res.body) {
      chunks += 1
      text += chunk.toString()
    }
    const seqs = text.trimEnd().split('\n').map((line) => JSON.parse(line).seq)

    t.equal(res.statusCode, 200)
    t.equal(res.headers['transfer-encoding'], 'chunked', 'streamed, not sent with a known length')
    t.ok(chunks > 1, `arrived in ${chunks} chunks`)
    t.same(seqs, Array.from({ length: count }, (_, i) => i + 1))
  })

  t.test(`${kind}: checkpoints and the public key check the log offline`, async (t) => {
    const made = await makeStore(t, kind, { checkpointEvery: 5 })
    const { as } = await auditorStack(t, made.store)
    await appendInOrder(made.store, 12)

    const all = await as('/v1/audit/checkpoints')
    const first = await as('/v1/audit/checkpoints?limit=1')
    const after = await as(`/v1/audit/checkpoints?afterSeq=${first.json.nextAfterSeq}`)
    const key = await as('/v1/audit/public-key')
    const keyFile = join(testDir(t), 'audit-key.pem')
    writeFileSync(keyFile, key.json.publicKeyPem)
    const offline = await verifyCli([`--${kind}`, made.target.location, '--public-key', keyFile])

    t.same(all.json, { checkpoints: await made.store.checkpoints(), nextAfterSeq: null })
    t.same(all.json.checkpoints.map((c: { seq: number }) => c.seq), [5, 10])
    t.same(first.json.checkpoints.map((c: { seq: number }) => c.seq), [5])
    t.equal(first.json.nextAfterSeq, 5)
    t.same(after.json.checkpoints.map((c: { seq: number }) => c.seq), [10])
    t.same(key.json, {
      keyId: made.store.keyId, algorithm: 'Ed25519', publicKeyPem: made.store.publicKeyPem
    })
    t.ok(all.json.checkpoints.every((c: { keyId: string }) => c.keyId === key.json.keyId))
    t.equal(offline.code, 0)
    t.same(JSON.parse(offline.stdout), { ok: true, checked: 12, checkpoints: 2 })
  })
}

t.test('the audit routes need the audit scope: SCOPE_MISSING for others', async (t) => {
  const { stack } = await auditorStack(t, 'sqlite')
  for (const route of ROUTES) {
    const res = await stack.call(`/v1/audit/${route}`, { purpose: false })
    t.equal(res.status, 403, route)
    t.equal(res.json.code, 'SCOPE_MISSING', route)
    t.match(res.json.detail, 'audit')
    const anonymous = await stack.call(`/v1/audit/${route}`, { auth: false, purpose: false })
    t.equal(anonymous.json.code, 'CREDENTIALS_MISSING', route)
  }
})

t.test('the audit routes take no purpose headers and are not themselves recorded', async (t) => {
  const { stack, as } = await auditorStack(t, 'sqlite')
  await appendInOrder(stack.audit, 2)

  for (const route of ROUTES) {
    const res = await as(`/v1/audit/${route}`)
    t.equal(res.status, 200, route)
    t.notOk(res.headers['x-audit-id'], route)
  }
  await stack.call('/v1/audit/events', { purpose: false })

  t.equal((await everyRecord(stack.audit)).length, 2, 'no record of the auditor or the refusal')
})

t.test('bad filters get 400 problems, before any export starts', async (t) => {
  const { as } = await auditorStack(t, 'sqlite')
  const cursor = Buffer.from('not-a-cursor').toString('base64url')
  const cases: Array<[string, string, string]> = [
    ['outcome=maybe', 'VALIDATION_FAILED', '/outcome'],
    ['limit=0', 'VALIDATION_FAILED', '/limit'],
    ['limit=1001', 'VALIDATION_FAILED', '/limit'],
    ['limit=ten', 'VALIDATION_FAILED', '/limit'],
    ['from=yesterday', 'VALIDATION_FAILED', '/from'],
    ['to=2026-05-01T10:00', 'VALIDATION_FAILED', '/to'],
    ['citizenId=12345', 'VALIDATION_FAILED', '/citizenId'],
    ['clientId=a&clientId=b', 'VALIDATION_FAILED', '/clientId'],
    ['name=Nguyen', 'VALIDATION_FAILED', '/name'],
    ['from=2026-13-45', 'AUDIT_QUERY_INVALID', 'from'],
    [`cursor=${cursor}`, 'AUDIT_QUERY_INVALID', 'cursor']
  ]
  for (const [query, code, names] of cases) {
    for (const route of ['events', 'export']) {
      if (route === 'export' && /limit|cursor/.test(query)) continue
      const res = await as(`/v1/audit/${route}?${query}`)
      t.equal(res.status, 400, `${route}?${query}`)
      t.match(res.headers['content-type'], /^application\/problem\+json/)
      t.equal(res.json.code, code, `${route}?${query}`)
      const named = code === 'VALIDATION_FAILED' ? res.json.errors[0].pointer : res.json.detail
      t.match(named, names, `${route}?${query} names the parameter`)
      t.notMatch(res.text, /Nguyen|yesterday|2026-13-45/, 'the value is not echoed')
    }
  }
  const format = await as('/v1/audit/export?format=xlsx')
  t.equal(format.json.code, 'VALIDATION_FAILED')
  const seq = await as('/v1/audit/checkpoints?afterSeq=-1')
  t.equal(seq.json.code, 'VALIDATION_FAILED')
})

t.test('without an access log the audit routes answer 503 AUDIT_LOG_DISABLED', async (t) => {
  // Only the bench runs a gateway without a log; the stack passes the null through.
  const { stack, as } = await auditorStack(t, null as unknown as AuditStore)
  for (const route of ROUTES) {
    const res = await as(`/v1/audit/${route}`)
    t.equal(res.status, 503, route)
    t.equal(res.json.code, 'AUDIT_LOG_DISABLED', route)
  }
  t.ok(stack.app.routeTable.includes('GET /v1/audit/events'), 'the routes stay in the contract')
})

t.test('a database that fails mid-answer gives 503 AUDIT_LOG_UNAVAILABLE', async (t) => {
  const made = await makeStore(t, 'sqlite')
  const { as } = await auditorStack(t, made.store)
  await appendInOrder(made.store, 2)
  await tamper(made.target, 'DROP TABLE audit_citizens')

  const events = await as(`/v1/audit/events?citizenId=${A}`)
  const exported = await as(`/v1/audit/export?citizenId=${A}`)

  t.equal(events.status, 503)
  t.equal(events.json.code, 'AUDIT_LOG_UNAVAILABLE')
  t.equal(events.headers['retry-after'], '5')
  t.notMatch(events.text, /audit_citizens|SQLITE/i, 'no driver message')
  t.equal(exported.status, 503, 'the export fails before it starts')
  t.equal(exported.json.code, 'AUDIT_LOG_UNAVAILABLE')
})
