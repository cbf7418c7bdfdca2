import t from 'tap'
import { startStack, SETTINGS } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const someone = personas().find('a citizen with civil events',
  (p) => personas().eventsOf(p.citizenId).length > 0)
const path = `/v1/citizens/${someone.citizenId}`

t.test('a register answering 503 gives 503 UPSTREAM_UNAVAILABLE with Retry-After', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  await stack.fault('population', { mode: 'unavailable', retryAfterSeconds: 0 })
  const res = await stack.call(path)
  t.equal(res.status, 503)
  t.equal(res.json.code, 'UPSTREAM_UNAVAILABLE')
  t.ok(Number(res.headers['retry-after']) > 0)
  t.match(res.json.detail, 'population')
  t.equal(await stack.calls('population'), SETTINGS.retries + 1, 'retried, within bounds')
})

t.test('a register that is down gives 503, not 500', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  await stack.sims.apps.population!.close()
  const res = await stack.call(path)
  t.equal(res.status, 503)
  t.equal(res.json.code, 'UPSTREAM_UNAVAILABLE')
})

t.test('a register that hangs is cut at the deadline with 504 UPSTREAM_TIMEOUT', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  await stack.fault('population', { mode: 'hang' })
  const started = Date.now()
  const res = await stack.call(path)
  t.equal(res.status, 504)
  t.equal(res.json.code, 'UPSTREAM_TIMEOUT')
  t.ok(res.headers['retry-after'])
  // Generous bound: the point is that the request ends, not how fast.
  t.ok(Date.now() - started < SETTINGS.deadlineMs * 4, 'the request ended')
})

t.test('a register that drips its body is cut by the overall deadline', async (t) => {
  // Each byte arrives well inside the body timeout, so only the deadline can stop it.
  const stack = await startStack(t, { cache: 'none', upstream: { bodyTimeoutMs: 5_000, deadlineMs: 800 } })
  await stack.fault('population', { mode: 'drip', latencyMs: 100 })
  const res = await stack.call(path)
  t.equal(res.status, 504)
  t.equal(res.json.code, 'UPSTREAM_TIMEOUT')
})

t.test('a register that answers garbage or 500 gives 502 UPSTREAM_BAD_RESPONSE', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  for (const mode of ['garbage', 'error']) {
    await stack.fault('population', { mode })
    const res = await stack.call(path)
    t.equal(res.status, 502, mode)
    t.equal(res.json.code, 'UPSTREAM_BAD_RESPONSE', mode)
    t.notMatch(res.text, /garbage|internal|stack/i, 'the register\'s words stay out')
  }
})

t.test('a transient register failure is retried and the client never sees it', async (t) => {
  const stack = await startStack(t, { cache: 'none', upstream: { retries: 2 } })
  await stack.fault('population', { mode: 'unavailable', rate: 0.5, retryAfterSeconds: 0 })
  for (let i = 0; i < 4; i++) {
    const res = await stack.call(path)
    t.equal(res.status, 200, `request ${i}`)
  }
})

t.test('the profile survives a civil-status outage and says what it could not check', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  await stack.fault('civilStatus', { mode: 'unavailable', retryAfterSeconds: 0 })
  const res = await stack.call(path)
  t.equal(res.status, 200)
  t.equal(res.json.sources.civilStatus.status, 'unavailable')
  t.equal(res.json.sources.population.status, 'ok')
  t.ok(res.json.unavailable.includes('conflicts'))
  t.same(res.json.conflicts, [])
})

t.test('civil status without the population register still answers from its own register', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  await stack.fault('population', { mode: 'error' })
  const res = await stack.call(`${path}/civil-status`)
  t.equal(res.status, 200)
  t.equal(res.json.sources.population.status, 'unavailable')
  t.equal(res.json.events.length, personas().eventsOf(someone.citizenId).length)
})

t.test('readiness reports a register that is down', async (t) => {
  const stack = await startStack(t, { cache: 'none' })
  const ready = await stack.call('/readyz', { auth: false, purpose: false })
  t.same(ready.json, { status: 'ready', checks: { population: 'up', civilStatus: 'up', vneid: 'up', cache: 'up', audit: 'up' } })
  await stack.sims.apps.vneid!.close()
  const res = await stack.call('/readyz', { auth: false, purpose: false })
  t.equal(res.status, 503)
  t.same(res.json, { status: 'not-ready', checks: { population: 'up', civilStatus: 'up', vneid: 'down', cache: 'up', audit: 'up' } })
})
