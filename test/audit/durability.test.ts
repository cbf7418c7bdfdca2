// An append that resolved is on disk: a writer killed mid-flight (SIGKILL, no
// chance to flush or close) loses none of the appends it reported, and leaves a
// chain that verifies.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { fromRoot } from '../../src/paths.js'
import {
  auditEvent, collect, newSigningKey, newTarget, openStore, type StoreKind, type StoreTarget
} from '../helpers/audit-stores.js'

const APPENDER = fromRoot('test', 'helpers', 'audit-appender.ts')
const REPORTED_BEFORE_KILL = 500

async function killMidFlight (t: Test, target: StoreTarget, keyPem: string) {
  const child = spawn(process.execPath, ['--import', '@tapjs/typescript/import', APPENDER], {
    cwd: fromRoot(),
    env: {
      PATH: process.env.PATH,
      AUDIT_KIND: target.kind,
      AUDIT_TARGET: target.location,
      AUDIT_SIGNING_KEY: keyPem
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const reported: number[] = []
  let buffer = ''
  child.stdout.on('data', (chunk) => {
    const lines = (buffer + chunk).split('\n')
    buffer = lines.pop()!
    for (const line of lines) reported.push(Number(line))
  })
  for (let i = 0; reported.length < REPORTED_BEFORE_KILL && i < 600; i++) await sleep(50)
  child.kill('SIGKILL')
  const [, signal] = await once(child, 'exit')
  return { reported, signal }
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: every append reported before SIGKILL is stored`, async (t) => {
    const target = await newTarget(t, kind)
    const key = newSigningKey()
    const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString()

    const { reported, signal } = await killMidFlight(t, target, pem)
    const store = openStore(target, { signingKey: key })
    t.teardown(() => store.close())
    const stored = new Set((await collect(store.stream({}))).map((r) => r.seq))

    t.equal(signal, 'SIGKILL')
    t.ok(reported.length >= REPORTED_BEFORE_KILL, `${reported.length} appends reported`)
    t.same(reported.filter((seq) => !stored.has(seq)), [], 'none lost')
    t.ok(stored.size >= reported.length)
    t.match(await store.verify(), { ok: true, checked: stored.size })
    const next = await store.append(auditEvent())
    t.equal(next.seq, stored.size + 1, 'the chain goes on from where the writer died')
  })
}

t.test('sqlite: the store runs in WAL mode', async (t) => {
  const target = await newTarget(t, 'sqlite')
  const store = openStore(target, { signingKey: newSigningKey() })
  t.teardown(() => store.close())
  await store.query({})

  const { stdout } = await promisify(execFile)('sqlite3',
    [target.location, 'PRAGMA journal_mode'])

  t.equal(stdout.trim(), 'wal')
  t.ok(existsSync(`${target.location}-wal`))
})
