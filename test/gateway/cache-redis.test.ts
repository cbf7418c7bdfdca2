import t, { type Test } from 'tap'
import { createClient, RESP_TYPES } from 'redis'
import { REDIS_URL, startStack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'
import { startRedisServer } from '../helpers/redis-server.js'
import { foldDiacritics } from '../../src/reference/names.js'

const P = personas()

async function rawRedis (t: Test, url: string) {
  const client = createClient({ url })
  client.on('error', () => {})
  await client.connect()
  t.teardown(() => client.close())
  return client
}

t.test('a Redis dump after reading every persona shows no name, id or address', async (t) => {
  const stack = await startStack(t, { cache: 'redis' })
  for (const p of P.population.persons) {
    await stack.call(`/v1/citizens/${p.citizenId}`)
    await stack.call(`/v1/citizens/${p.citizenId}/documents`)
  }
  const redis = await rawRedis(t, REDIS_URL)
  const keys: string[] = []
  for await (const batch of redis.scanIterator({ MATCH: `${stack.prefix}:*`, COUNT: 500 })) {
    keys.push(...batch)
  }
  t.teardown(async () => { if (keys.length > 0) await redis.del(keys) })
  t.ok(keys.length >= P.population.persons.length, `${keys.length} keys written`)
  const binary = redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
  const values = await Promise.all(keys.map((k) => binary.get(k)))
  const dump = Buffer.concat([Buffer.from(keys.join('\n')), ...values.filter((v) => v !== null)])
  const text = dump.toString('latin1') + dump.toString('utf8')
  for (const p of P.population.persons) {
    t.notOk(text.includes(p.citizenId), `no id of ${p.citizenId.slice(0, 3)}…`)
    for (const form of [p.fullName, foldDiacritics(p.fullName)]) {
      t.notOk(text.includes(form), 'no name')
    }
    const street = p.permanentResidence?.street
    if (street != null) t.notOk(text.includes(street), 'no street')
  }
})

t.test('Redis going away under traffic fails no request, and the cache comes back', async (t) => {
  const server = await startRedisServer(t)
  const stack = await startStack(t, { cache: 'redis', redisUrl: server.url })
  const ids = P.population.persons.slice(0, 10).map((p) => p.citizenId)
  let failures = 0
  let served = 0
  const traffic = { running: true }
  const load = (async () => {
    while (traffic.running) {
      const answers = await Promise.all(ids.map((id) => stack.call(`/v1/citizens/${id}`)))
      served += answers.length
      failures += answers.filter((a) => a.status !== 200).length
    }
  })()
  await new Promise((resolve) => setTimeout(resolve, 300))
  await server.stop()
  await new Promise((resolve) => setTimeout(resolve, 800))
  const degraded = await stack.call('/readyz', { auth: false, purpose: false })
  t.equal(degraded.status, 200, 'still ready: the registers answer')
  t.equal(degraded.json.checks.cache, 'degraded')
  await server.start()
  let health = 'degraded'
  for (let i = 0; i < 100 && health !== 'up'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    health = (await stack.call('/readyz', { auth: false, purpose: false })).json.checks.cache
  }
  t.equal(health, 'up', 'the cache is used again on its own')
  traffic.running = false
  await load
  t.equal(failures, 0, `no request failed out of ${served}`)
  const warnings = stack.logs.filter((l) => l.level === 40)
  t.equal(warnings.length, 1, 'one warning for the outage')
  t.match(warnings[0]?.msg, /unavailable/)
  t.ok(stack.logs.some((l) => l.level === 30 && /recovered/.test(String(l.msg))), 'one recovery line')
  // After recovery the cache fills and answers again.
  await stack.call(`/v1/citizens/${ids[0]}`)
  const hit = await stack.call(`/v1/citizens/${ids[0]}`)
  t.equal(hit.headers['x-cache'], 'hit')
})

t.test('a change cannot be acknowledged while Redis is down', async (t) => {
  const server = await startRedisServer(t)
  const stack = await startStack(t, { cache: 'redis', redisUrl: server.url })
  const someone = P.find('a living married citizen', (p) => p.lifeStatus === 'alive' && p.maritalStatus === 'married')
  await stack.call(`/v1/citizens/${someone.citizenId}`)
  await server.stop()
  const change = await stack.change('civilStatus', '/death', { citizenId: someone.citizenId })
  t.equal(change.status, 502, 'the register is told its event was not delivered')
  t.equal(change.json.code, 'WEBHOOK_DELIVERY_FAILED')
})
