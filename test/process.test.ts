import { existsSync } from 'node:fs'
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
