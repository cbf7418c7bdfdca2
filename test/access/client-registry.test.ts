import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { Catalogue } from '../../src/access/catalogue.js'
import { ClientRegistry, hashKey } from '../../src/access/client-registry.js'
import { writeClientsFile, type ClientRecord } from '../../src/access/clients-file.js'
import { fromRoot } from '../../src/paths.js'

const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8'))

function logs () {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write (chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l !== '') lines.push(JSON.parse(l))
      done()
    }
  })
  return { lines, logger: pino(stream) }
}

function client (id: string, keys: string[], procedures = ['*']): ClientRecord {
  return {
    id,
    name: `Client ${id}`,
    demo: false,
    keys: keys.map((k, i) => ({
      id: `k${i}`, sha256: hashKey(k).toString('hex'), createdAt: '2026-12-01T00:00:00.000Z'
    })),
    scopes: ['population:read'],
    procedures
  }
}

function registryOn (t: Test, clients: ClientRecord[], watch = true) {
  const path = join(t.testdir(), 'clients.json')
  writeClientsFile(path, { clients })
  const { lines, logger } = logs()
  const registry = new ClientRegistry({ path, catalogue, logger, watch, debounceMs: 20 })
  t.teardown(() => registry.close())
  return { path, lines, registry }
}

async function until (what: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (what()) return true
    await sleep(20)
  }
  return what()
}

t.test('every sandbox key opens its demo client with its procedures', async (t) => {
  const registry = new ClientRegistry({
    path: fromRoot('fixtures', 'clients.json'), catalogue, logger: logs().logger, watch: false
  })
  t.ok(sandbox.clients.length >= 5)
  for (const demo of sandbox.clients) {
    const found = registry.authenticate(demo.apiKey)
    t.equal(found?.id, demo.clientId)
    t.equal(found?.demo, true)
    t.same(found?.scopes, demo.scopes)
    t.same(found?.procedures, demo.procedures)
  }
  t.equal(registry.authenticate('cdg_sbx_not_a_key_at_all_000000'), undefined)
})

t.test('the demo inspector may cite the covert procedure and the counter may not', async (t) => {
  const registry = new ClientRegistry({
    path: fromRoot('fixtures', 'clients.json'), catalogue, logger: logs().logger, watch: false
  })
  const key = (id: string) => sandbox.clients.find((c: any) => c.clientId === id).apiKey
  const counter = registry.authenticate(key('demo-counter'))!
  const inspector = registry.authenticate(key('demo-inspector'))!
  t.ok(registry.mayCite(counter, '1.000894'))
  t.ok(registry.mayCite(counter, '1.000894.000.00.00.H12'), 'long national form')
  t.notOk(registry.mayCite(counter, 'CDG-TTR-01'), '* never covers a covert procedure')
  t.notOk(registry.mayCite(counter, '9.999999'), 'unknown code')
  t.ok(registry.mayCite(inspector, 'CDG-TTR-01'))
  t.notOk(registry.mayCite(inspector, '1.000894'))
})

t.test('every key of a client opens it, for rotation', async (t) => {
  const keys = ['old-key-000000000001', 'new-key-000000000002']
  const { registry } = registryOn(t, [client('sys-a', keys)], false)
  t.equal(registry.authenticate('old-key-000000000001')?.id, 'sys-a')
  t.equal(registry.authenticate('new-key-000000000002')?.id, 'sys-a')
  t.equal(registry.authenticate('other-key-0000000003'), undefined)
})

t.test('a replaced file is picked up without a restart', async (t) => {
  const { path, registry, lines } = registryOn(t, [client('sys-a', ['key-a-00000000000001'])])
  writeClientsFile(path, { clients: [client('sys-b', ['key-b-00000000000002'])] })
  t.ok(await until(() => registry.authenticate('key-b-00000000000002')?.id === 'sys-b'))
  t.equal(registry.authenticate('key-a-00000000000001'), undefined, 'the removed client is gone')
  t.ok(lines.some((l) => l.msg === 'client registry reloaded'))
})

t.test('an invalid file keeps the previous registry and logs one error', async (t) => {
  const { path, registry, lines } = registryOn(t, [client('sys-a', ['key-a-00000000000001'])])
  const bad = client('sys-b', ['key-b-00000000000002'], ['1.999999'])
  writeFileSync(path, JSON.stringify({ clients: [bad] }))
  t.ok(await until(() => lines.some((l) => l.level === 50)))
  await sleep(200)
  const errors = lines.filter((l) => l.level === 50)
  t.equal(errors.length, 1)
  t.match(errors[0].reason, /unknown procedure 1\.999999/)
  t.notMatch(JSON.stringify(errors), bad.keys[0].sha256, 'no hash in the log')
  t.equal(registry.authenticate('key-a-00000000000001')?.id, 'sys-a')
  t.equal(registry.authenticate('key-b-00000000000002'), undefined)
})

t.test('reload() says whether it took the file', async (t) => {
  const { path, registry } = registryOn(t, [client('sys-a', ['key-a-00000000000001'])], false)
  writeFileSync(path, '{"clients": [')
  t.equal(registry.reload(), false)
  t.equal(registry.authenticate('key-a-00000000000001')?.id, 'sys-a')
  writeClientsFile(path, { clients: [client('sys-c', ['key-c-00000000000003'])] })
  t.equal(registry.reload(), true)
  t.equal(registry.authenticate('key-c-00000000000003')?.id, 'sys-c')
})

t.test('a registry that cannot be read at start-up throws', async (t) => {
  const path = join(t.testdir({ 'clients.json': '{"clients": [{"id": "x"}]}' }), 'clients.json')
  t.throws(() => new ClientRegistry({ path, catalogue, logger: logs().logger, watch: false }),
    { code: 'ACCESS_FILE_INVALID' })
  const twice = [client('sys-a', ['same-key-000000000001']), client('sys-b', ['same-key-000000000001'])]
  writeFileSync(path, JSON.stringify({ clients: twice }))
  t.throws(() => new ClientRegistry({ path, catalogue, logger: logs().logger, watch: false }),
    { message: /one key hash listed twice/ })
})
