import { existsSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import t from 'tap'
import { request } from 'undici'
import { fromRoot } from '../src/paths.js'
import { startSimulators } from '../src/simulators/start.js'
import { ready, runGateway } from './helpers/gateway-process.js'

t.test('npm start\'s entry runs the gateway with the three simulators and drains on SIGTERM', async (t) => {
  const r = runGateway(t, {})
  const line = await ready(r)
  t.same(line.simulated.sort(), ['civilStatus', 'population', 'vneid'])
  t.type(line.startupMs, 'number')
  const readyz = await request(`${line.address}/readyz`)
  t.same(await readyz.body.json(), {
    status: 'ready',
    checks: { population: 'up', civilStatus: 'up', vneid: 'up', cache: 'up', audit: 'up' }
  })
  t.ok(existsSync(r.auditFile), 'the audit log is in the test\'s directory')
  t.ok(existsSync(r.keyFile), 'and so is the development signing key')
  r.child.kill('SIGTERM')
  const [code] = await once(r.child, 'exit')
  t.equal(code, 0)
  t.ok(r.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'))
})

t.test('a register with an upstream URL is not simulated', async (t) => {
  const external = await startSimulators({
    datasets: [fromRoot('fixtures', 'personas')], host: '127.0.0.1', ports: {}, which: ['population']
  })
  t.teardown(() => external.close())
  const r = runGateway(t, { POPULATION_URL: external.urls.population! })
  const line = await ready(r)
  t.same(line.simulated.sort(), ['civilStatus', 'vneid'])
  t.equal(line.upstreams.population, external.urls.population)
  r.child.kill('SIGTERM')
  await once(r.child, 'exit')
})

t.test('a bad variable stops start-up with one line naming it', async (t) => {
  const r = runGateway(t, { UPSTREAM_DEADLINE_MS: 'soon' })
  const [code] = await once(r.child, 'exit')
  t.equal(code, 1)
  t.match(r.stderr(), /UPSTREAM_DEADLINE_MS/)
  t.notMatch(r.stderr(), /\n\s+at /, 'no stack trace')
})

// Reads a persona's documents from a running gateway process with the demo counter's key.
async function documentsFrom (address: string, citizenId: string) {
  const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8'))
  const counter = sandbox.clients.find((c: { clientId: string }) => c.clientId === 'demo-counter')
  const res = await request(`${address}/v1/citizens/${citizenId}/documents`, {
    headers: {
      authorization: `Bearer ${counter.apiKey}`,
      'x-procedure-code': 'CDG-CD-01',
      'x-dossier-id': 'HS-2026-000123',
      'x-officer-id': 'CB-0042'
    }
  })
  return { status: res.statusCode, json: await res.body.json() as any }
}

t.test('VNeID documents verify against the simulator\'s key or VNEID_PUBLIC_KEYS', async (t) => {
  const external = await startSimulators({
    datasets: [fromRoot('fixtures', 'personas')], host: '127.0.0.1', ports: {}, which: ['vneid']
  })
  t.teardown(() => external.close())
  const holder = '001085000001'

  const missing = runGateway(t, { VNEID_URL: external.urls.vneid! })
  const [code] = await once(missing.child, 'exit')
  const inProcess = runGateway(t, {})
  const configured = runGateway(t, {
    VNEID_URL: external.urls.vneid!,
    VNEID_PUBLIC_KEYS: external.documentSigning.publicKeyPem.trim().replaceAll('\n', '\\n')
  })
  const own = await documentsFrom((await ready(inProcess)).address, holder)
  const theirs = await documentsFrom((await ready(configured)).address, holder)

  t.equal(code, 1, 'VNEID_URL without VNEID_PUBLIC_KEYS does not start')
  t.match(missing.stderr(), /VNEID_PUBLIC_KEYS is required when VNEID_URL is set/)
  for (const [name, answer] of [['in-process simulator', own], ['external register', theirs]] as const) {
    t.equal(answer.status, 200, name)
    t.ok(answer.json.documents.length > 0, name)
    t.ok(answer.json.documents.every((d: { signature: string }) => d.signature === 'verified'), name)
    t.same(answer.json.rejected, [], name)
  }
  for (const r of [inProcess, configured]) r.child.kill('SIGTERM')
  await Promise.all([inProcess, configured].map((r) => once(r.child, 'exit')))
})
