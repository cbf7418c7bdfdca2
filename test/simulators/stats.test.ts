import t from 'tap'
import { buildPopulationSimulator } from '../../src/simulators/population.js'
import { buildVneidSimulator } from '../../src/simulators/vneid.js'
import { AN, UNKNOWN } from '../helpers/simulator-dataset.js'
import { call, startSimulator } from '../helpers/simulator-server.js'

t.test('stats count data requests by route', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  await call(`${url}/persons/${AN}`)
  await call(`${url}/persons/${UNKNOWN}`)
  await call(`${url}/persons/bad-id`)
  await call(`${url}/search`, { method: 'POST', body: { fullName: 'An' } })
  await call(`${url}/identifiers/123456789`,
    { headers: { 'x-sandbox-fault': 'error' } })
  const stats = await call(`${url}/_sandbox/stats`)

  t.same(stats.json, {
    calls: 5,
    byRoute: {
      'GET /persons/:citizenId': 3,
      'POST /search': 1,
      'GET /identifiers/:value': 1
    }
  })
})

t.test('stats leave out health, sandbox and unknown routes', async (t) => {
  const { url } = await startSimulator(t, buildVneidSimulator)

  await call(`${url}/healthz`)
  await call(`${url}/_sandbox`)
  await call(`${url}/_sandbox/faults`)
  await call(`${url}/nowhere`)
  await call(`${url}/citizens/${AN}/documents`)
  const stats = await call(`${url}/_sandbox/stats`)

  t.same(stats.json, {
    calls: 1,
    byRoute: { 'GET /citizens/:citizenId/documents': 1 }
  })
})

t.test('POST /_sandbox/stats/reset starts the count again', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)
  await call(`${url}/persons/${AN}`)

  const reset = await call(`${url}/_sandbox/stats/reset`, { method: 'POST' })
  await call(`${url}/households/HH-001`)
  const stats = await call(`${url}/_sandbox/stats`)

  t.same(reset.json, { calls: 0, byRoute: {} })
  t.same(stats.json,
    { calls: 1, byRoute: { 'GET /households/:householdId': 1 } })
})
