import t from 'tap'
import { startStack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'
import { startRedisServer } from '../helpers/redis-server.js'

const path = `/v1/citizens/${personas().any().citizenId}`

t.test('a client over its limit gets 429 RATE_LIMITED with Retry-After', async (t) => {
  const stack = await startStack(t, { rateLimit: { max: 3, windowMs: 60_000 } })
  const statuses = []
  for (let i = 0; i < 5; i++) statuses.push((await stack.call(path)).status)
  t.same(statuses, [200, 200, 200, 429, 429])
  const refused = await stack.call(path)
  t.equal(refused.json.code, 'RATE_LIMITED')
  t.match(refused.headers['content-type'], /application\/problem\+json/)
  const retry = Number(refused.headers['retry-after'])
  t.ok(retry > 0 && retry <= 60, `Retry-After ${retry}`)
})

t.test('the limit counts every route of the client together', async (t) => {
  const stack = await startStack(t, { rateLimit: { max: 2, windowMs: 60_000 } })
  t.equal((await stack.call(path)).status, 200)
  t.equal((await stack.call(`${path}/civil-status`)).status, 200)
  t.equal((await stack.call(`${path}/documents`)).status, 429)
})

t.test('with Redis the limit is shared by every instance', async (t) => {
  const prefix = `test-rl-${Date.now()}`
  const a = await startStack(t, { prefix, rateLimit: { max: 4, windowMs: 60_000, shared: true } })
  const b = await startStack(t, { prefix, rateLimit: { max: 4, windowMs: 60_000, shared: true } })
  // Both stacks name their test client the same, so they count one client.
  const statuses = []
  for (const stack of [a, b, a, b, a, b]) statuses.push((await stack.call(path)).status)
  t.same(statuses, [200, 200, 200, 200, 429, 429])
})

t.test('when the shared counter is down requests go through', async (t) => {
  const server = await startRedisServer(t)
  const stack = await startStack(t, { redisUrl: server.url, rateLimit: { max: 2, windowMs: 60_000, shared: true } })
  await server.stop()
  for (let i = 0; i < 4; i++) t.equal((await stack.call(path)).status, 200, `request ${i}`)
})
