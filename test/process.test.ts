import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { fromRoot } from '../src/paths.js'
import { startSimulators } from '../src/simulators/start.js'

interface Running { child: ChildProcess, lines: Array<Record<string, any>>, stderr: () => string }

// Runs the real entry point (src/main.ts through tap's TypeScript loader) with the
// given environment, on free ports.
function run (t: Test, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', '@tapjs/typescript/import', fromRoot('src', 'main.ts')], {
    cwd: fromRoot(),
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      POPULATION_SIM_PORT: '0',
      CIVIL_STATUS_SIM_PORT: '0',
      VNEID_SIM_PORT: '0',
      ...env
    }
  })
  const lines: Array<Record<string, any>> = []
  let err = ''
  let buffer = ''
  child.stdout!.on('data', (chunk) => {
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    for (const line of parts) if (line.startsWith('{')) lines.push(JSON.parse(line))
  })
  child.stderr!.on('data', (chunk) => { err += chunk })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  return { child, lines, stderr: () => err }
}

// Start-up goes through tap's TypeScript loader, which transpiles every module on
// the way: on a loaded two-core machine that alone can take over ten seconds.
const READY_WAIT_MS = 60_000
const POLL_MS = 50

async function ready (r: Running): Promise<Record<string, any>> {
  for (let i = 0; i < READY_WAIT_MS / POLL_MS; i++) {
    const line = r.lines.find((l) => l.msg === 'gateway ready')
    if (line !== undefined) return line
    if (r.child.exitCode !== null) throw new Error(`exited: ${r.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error('the gateway did not become ready')
}

t.test('npm start\'s entry runs the gateway with the three simulators and drains on SIGTERM', async (t) => {
  const r = run(t, {})
  const line = await ready(r)
  t.same(line.simulated.sort(), ['civilStatus', 'population', 'vneid'])
  t.type(line.startupMs, 'number')
  const readyz = await request(`${line.address}/readyz`)
  t.same(await readyz.body.json(), { status: 'ready', checks: { population: 'up', civilStatus: 'up', vneid: 'up', cache: 'up' } })
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
  const r = run(t, { POPULATION_URL: external.urls.population! })
  const line = await ready(r)
  t.same(line.simulated.sort(), ['civilStatus', 'vneid'])
  t.equal(line.upstreams.population, external.urls.population)
  r.child.kill('SIGTERM')
  await once(r.child, 'exit')
})

t.test('a bad variable stops start-up with one line naming it', async (t) => {
  const r = run(t, { UPSTREAM_DEADLINE_MS: 'soon' })
  const [code] = await once(r.child, 'exit')
  t.equal(code, 1)
  t.match(r.stderr(), /UPSTREAM_DEADLINE_MS/)
  t.notMatch(r.stderr(), /\n\s+at /, 'no stack trace')
})
