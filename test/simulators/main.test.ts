import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { verifyChangeSignature } from '../../src/sources/change-signature.js'
import { SECRET, startReceiver } from '../helpers/simulator-changes.js'
import { AN, writeDataset } from '../helpers/simulator-dataset.js'
import { call } from '../helpers/simulator-server.js'

const MAIN = fileURLToPath(
  new URL('../../src/simulators-main.ts', import.meta.url))

// Runs the entry as a real process, with the TypeScript loader tap uses.
function runMain (t: Test, env: Record<string, string>) {
  const child = spawn(process.execPath, [...process.execArgv, MAIN], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += chunk })
  child.stderr.on('data', (chunk) => { stderr += chunk })
  const exited = once(child, 'exit').then(([code]) => code as number)
  return { child, exited, stdout: () => stdout, stderr: () => stderr }
}

async function waitFor (read: () => string, pattern: RegExp) {
  for (let i = 0; i < 200 && !pattern.test(read()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return read()
}

t.test('serves the three registers and closes on SIGTERM', async (t) => {
  const run = runMain(t, {
    SIMULATOR_DATASETS: writeDataset(t.testdir()),
    POPULATION_SIM_PORT: '0',
    CIVIL_STATUS_SIM_PORT: '0',
    VNEID_SIM_PORT: '0'
  })

  const out = await waitFor(run.stdout, /vneid simulator listening/)
  const url = (name: string) =>
    new RegExp(`${name} simulator listening at (\\S+)`).exec(out)?.[1]
  const person = await call(`${url('population')}/persons/${AN}`)
  const events = await call(`${url('civilStatus')}/persons/${AN}/events`)
  const wallet = await call(`${url('vneid')}/citizens/${AN}/documents`)
  run.child.kill('SIGTERM')

  t.equal(person.json.citizenId, AN)
  t.equal(events.json.citizenId, AN)
  t.equal(wallet.json.citizenId, AN)
  t.equal(await run.exited, 0, run.stderr())
})

t.test('announces changes to CHANGE_WEBHOOK_URLS', async (t) => {
  const receiver = await startReceiver(t)
  const run = runMain(t, {
    SIMULATOR_DATASETS: writeDataset(t.testdir()),
    POPULATION_SIM_PORT: '0',
    CIVIL_STATUS_SIM_PORT: '0',
    VNEID_SIM_PORT: '0',
    CHANGE_WEBHOOK_URLS: receiver.url,
    CHANGE_WEBHOOK_SECRET: SECRET
  })

  const out = await waitFor(run.stdout, /vneid simulator listening/)
  const url = /vneid simulator listening at (\S+)/.exec(out)?.[1]
  const res = await call(`${url}/_sandbox/changes/documents/DOC-AN-DL/revoke`,
    { method: 'POST', body: { citizenId: AN } })
  run.child.kill('SIGTERM')

  t.equal(res.status, 200)
  t.same(receiver.events(), [res.json.event])
  const [{ signature, body }] = receiver.deliveries
  t.ok(verifyChangeSignature(SECRET, signature, body,
    { toleranceSeconds: 60 }))
  t.equal(await run.exited, 0, run.stderr())
})

t.test('a bad variable is named and the process fails', async (t) => {
  const run = runMain(t, { POPULATION_SIM_PORT: 'eighty' })

  t.equal(await run.exited, 1)
  t.match(run.stderr(), 'POPULATION_SIM_PORT must be integer')
})

t.test('a missing dataset is named and the process fails', async (t) => {
  const folder = t.testdir()
  const run = runMain(t, {
    SIMULATOR_DATASETS: folder,
    POPULATION_SIM_PORT: '0',
    CIVIL_STATUS_SIM_PORT: '0',
    VNEID_SIM_PORT: '0'
  })

  t.equal(await run.exited, 1)
  t.match(run.stderr(), `${folder}/population.json: is missing`)
})
