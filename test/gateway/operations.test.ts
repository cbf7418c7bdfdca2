import t from 'tap'
import { startStack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const someone = personas().find('a citizen with a household', (p) => p.householdId !== null)

t.test('a caller\'s X-Request-Id is echoed, a bad one replaced', async (t) => {
  const stack = await startStack(t)
  const kept = await stack.call('/healthz', { headers: { 'x-request-id': 'counter-42.a_b' } })
  t.equal(kept.headers['x-request-id'], 'counter-42.a_b')
  const replaced = await stack.call('/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } })
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const problem = await stack.call('/v1/citizens/1', { headers: { 'x-request-id': 'trace-7' } })
  t.equal(problem.json.requestId, 'trace-7')
})

t.test('logs carry the route template and request id, never personal data', async (t) => {
  const stack = await startStack(t)
  await stack.call(`/v1/citizens/${someone.citizenId}`, { headers: { 'x-request-id': 'log-test-1' } })
  await stack.call(`/v1/citizens/${someone.citizenId}/verify`, {
    method: 'POST', body: { attributes: { fullName: someone.fullName } }
  })
  await stack.call('/v1/citizens/match', { method: 'POST', body: { fullName: someone.fullName } })
  await stack.call(`/v1/citizens/${someone.citizenId}`, { auth: false })
  const text = stack.logs.map((l) => JSON.stringify(l)).join('\n')
  const line = stack.logs.find((l) => l.reqId === 'log-test-1' && l.msg === 'request completed')
  t.ok(line, 'one access line for the request')
  t.equal(line?.route, '/v1/citizens/:citizenId')
  t.equal(line?.operation, 'citizens.get')
  t.equal(line?.client, 'test-client')
  t.equal(line?.status, 200)
  t.notMatch(text, someone.citizenId, 'no citizen id in the logs')
  t.notMatch(text, someone.fullName, 'no name in the logs')
  t.notMatch(text, stack.key, 'no API key in the logs')
  t.notMatch(text, /HS-2026-000123/, 'no dossier id in the logs')
})

t.test('a 5xx is logged at error with its cause, the answer stays generic', async (t) => {
  const stack = await startStack(t)
  await stack.fault('population', { mode: 'garbage' })
  const res = await stack.call(`/v1/citizens/${someone.citizenId}`)
  t.equal(res.status, 502)
  const failure = stack.logs.find((l) => l.msg === 'request failed')
  t.equal(failure?.level, 50)
  t.equal(failure?.code, 'UPSTREAM_BAD_RESPONSE')
})
