// The offline verifier as an operator runs it: exit 0 intact, 1 not, 2 unusable.
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { fromRoot } from '../../src/paths.js'
import {
  appendInOrder, makeStore, newSigningKey, tamper, testDir, type StoreKind
} from '../helpers/audit-stores.js'

const CLI = fromRoot('src', 'audit', 'verify-cli.ts')

interface CliRun { code: number, stdout: string, stderr: string }

function cli (args: string[]): Promise<CliRun> {
  const argv = ['--import', '@tapjs/typescript/import', CLI, ...args]
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: fromRoot() }, (err, stdout, stderr) => {
      const code = err === null ? 0 : (err as { code: number }).code
      resolve({ code, stdout, stderr })
    })
  })
}

function keyFile (t: Test, pem: string): string {
  const file = join(testDir(t), `key-${Math.random().toString(36).slice(2)}.pem`)
  writeFileSync(file, pem)
  return file
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: exit 0 on an intact store, 1 once it is tampered with`, async (t) => {
    const { store, target } = await makeStore(t, kind, { checkpointEvery: 5 })
    await appendInOrder(store, 12)
    const key = keyFile(t, store.publicKeyPem!)
    const args = [`--${kind}`, target.location, '--public-key', key]

    const intact = await cli(args)
    await tamper(target, 'UPDATE audit_records SET route = \'/v1/other\' WHERE seq = 8')
    const tampered = await cli(args)

    t.equal(intact.code, 0, intact.stderr)
    t.same(JSON.parse(intact.stdout), { ok: true, checked: 12, checkpoints: 2 })
    t.equal(tampered.code, 1)
    t.same(JSON.parse(tampered.stdout).firstBad,
      { seq: 8, id: 'aud_8', problem: 'hash-mismatch' })
  })
}

t.test('exit 1 when the public key is not the one that signed', async (t) => {
  const { store, target } = await makeStore(t, 'sqlite', { checkpointEvery: 5 })
  await appendInOrder(store, 6)
  const other = newSigningKey().export({ type: 'pkcs8', format: 'pem' }).toString()

  const run = await cli(['--sqlite', target.location, '--public-key', keyFile(t, other)])

  t.equal(run.code, 1)
  t.match(JSON.parse(run.stdout),
    { ok: false, firstBad: { id: 'chk_5', problem: 'bad-signature' } })
})

t.test('exit 2, without creating anything, when the file does not exist', async (t) => {
  const missing = join(testDir(t), 'nothing-here.db')
  const pem = newSigningKey().export({ type: 'pkcs8', format: 'pem' }).toString()

  const run = await cli(['--sqlite', missing, '--public-key', keyFile(t, pem)])

  t.equal(run.code, 2)
  t.equal(run.stdout, '')
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
  t.notOk(existsSync(missing))
})

t.test('exit 2 with the usage on wrong arguments', async (t) => {
  const pem = keyFile(t, newSigningKey().export({ type: 'pkcs8', format: 'pem' }).toString())

  const runs = await Promise.all([
    cli([]),
    cli(['--sqlite', 'a.db']),
    cli(['--sqlite', 'a.db', '--postgres', 'postgres://x', '--public-key', pem]),
    cli(['--mysql', 'x', '--public-key', pem])
  ])

  for (const run of runs) {
    t.equal(run.code, 2)
    t.match(run.stderr, /^usage: verify-cli/)
  }
})

t.test('exit 2 without echoing the connection string when PostgreSQL refuses', async (t) => {
  const pem = keyFile(t, newSigningKey().export({ type: 'pkcs8', format: 'pem' }).toString())
  const url = 'postgres://auditor:s3cret-pass@127.0.0.1:1/audit'

  const run = await cli(['--postgres', url, '--public-key', pem])

  t.equal(run.code, 2)
  t.match(run.stderr, /could not run/)
  t.notMatch(run.stderr, /s3cret/)
})
