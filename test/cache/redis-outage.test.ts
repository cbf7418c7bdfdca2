// Redis failing under the store, played with a redis-server of the test's own:
// killed, frozen, or not there at all when the gateway starts.
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import type { RedisStore } from '../../src/cache/redis-store.js'
import {
  buildRedisStore, startRedisStore, startTieredStore, testRecord, waitFor
} from '../helpers/cache-stores.js'
import { startRedisServer } from '../helpers/redis-server.js'

const KEEP = { keepMs: 60_000, fetchedSince: 0 }
/** Generous bound for one call: the deadline is 150 ms; a queued call would wait seconds. */
const CALL_BOUND_MS = 1000
const RECOVERY_WITHIN_MS = 5000

interface Timed { slowestMs: number, hits: number, calls: number }

/** Calls get and set in a loop for `forMs`, timing each call. */
async function hammer (store: RedisStore, key: string, forMs: number): Promise<Timed> {
  const result = { slowestMs: 0, hits: 0, calls: 0 }
  const until = performance.now() + forMs
  while (performance.now() < until) {
    const started = performance.now()
    const got = await store.get(key)
    await store.set(key, testRecord(), KEEP)
    result.slowestMs = Math.max(result.slowestMs, performance.now() - started)
    result.calls++
    if (got !== undefined) result.hits++
    await sleep(5)
  }
  return result
}

t.test('Redis killed: calls stay fast misses, one warning, then it recovers alone',
  async (t) => {
    const server = await startRedisServer(t)
    const { store, ns, logs } = await startRedisStore(t, { url: server.url })
    const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
    await store.set(key, testRecord(), KEEP)
    t.ok(await store.get(key), 'works before the outage')

    await server.stop()
    const down = await hammer(store, key, 1500)
    const invalidateStarted = performance.now()
    const invalidation = await store.invalidate([key], 5000).catch((err: Error) => err)
    const invalidateMs = performance.now() - invalidateStarted

    t.comment(`down: ${down.calls} get+set pairs, slowest ${down.slowestMs.toFixed(1)} ms; ` +
      `invalidate failed in ${invalidateMs.toFixed(1)} ms`)
    t.equal(down.hits, 0, 'every get is a miss')
    t.ok(down.slowestMs < CALL_BOUND_MS, 'no call waits for Redis')
    t.equal(store.health(), 'degraded')
    t.match(invalidation, { name: 'CacheUnavailableError', code: 'CACHE_UNAVAILABLE' })
    t.ok(invalidateMs < CALL_BOUND_MS)
    t.same(logs.lines.map((l) => [l.level, l.msg]), [['warn', 'redis cache unavailable']])

    await server.start()
    const recoveredMs = await waitFor(() => store.health() === 'up', RECOVERY_WITHIN_MS)
    await store.set(key, testRecord({ after: true }), KEEP)

    t.comment(`health back to up ${recoveredMs.toFixed(0)} ms after the restart`)
    t.same((await store.get(key))?.data, { after: true }, 'values are stored again')
    await store.invalidate([key], 5000)
    t.equal(await store.get(key), undefined, 'invalidate works again')
    t.same(logs.lines.map((l) => [l.level, l.msg]),
      [['warn', 'redis cache unavailable'], ['info', 'redis cache recovered']])
    t.match(logs.lines[1].obj, { downMs: Number })
  })

t.test('Redis frozen: each call ends at the deadline, not when Redis answers',
  async (t) => {
    const server = await startRedisServer(t)
    const { store, ns, logs } = await startRedisStore(t, {
      url: server.url, timeoutMs: 100
    })
    const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
    await store.set(key, testRecord(), KEEP)

    server.pause()
    const started = performance.now()
    const got = await store.get(key)
    const getMs = performance.now() - started
    const invalidation = await store.invalidate([key], 5000).catch((err: Error) => err)

    t.comment(`get against a frozen Redis returned in ${getMs.toFixed(1)} ms`)
    t.equal(got, undefined)
    t.ok(getMs >= 90 && getMs < CALL_BOUND_MS, 'ended by the 100 ms deadline')
    t.equal(store.health(), 'degraded')
    t.match(invalidation, { code: 'CACHE_UNAVAILABLE' })
    t.match(logs.lines[0], { level: 'warn', obj: { err: { code: 'CACHE_TIMEOUT' } } })

    server.resume()
    await waitFor(async () => {
      await store.get(key)
      return store.health() === 'up'
    }, RECOVERY_WITHIN_MS)
    // The invalidation that timed out still ran once Redis woke: its tombstone
    // bars reads begun before it, so this write is a read begun now.
    await sleep(2)
    await store.set(key, testRecord({ after: true }), {
      keepMs: 60_000, fetchedSince: Date.now()
    })

    t.same((await store.get(key))?.data, { after: true })
    t.same(logs.lines.map((l) => l.level), ['warn', 'info'])
  })

t.test('a first connect with Redis down does not throw; it connects later', async (t) => {
  const server = await startRedisServer(t, { running: false })
  const { store, ns, logs } = buildRedisStore(t, { url: server.url })
  const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })

  const started = performance.now()
  await store.start()
  const startMs = performance.now() - started
  const got = await store.get(key)
  await store.set(key, testRecord(), KEEP)

  t.comment(`start() returned in ${startMs.toFixed(1)} ms with Redis down`)
  t.ok(startMs < CALL_BOUND_MS)
  t.equal(got, undefined)
  t.equal(store.health(), 'degraded')
  t.equal(logs.count('warn'), 1)

  await server.start()
  const recoveredMs = await waitFor(() => store.health() === 'up', RECOVERY_WITHIN_MS)
  await store.set(key, testRecord({ later: true }), KEEP)

  t.comment(`connected ${recoveredMs.toFixed(0)} ms after Redis started`)
  t.same((await store.get(key))?.data, { later: true })
  t.same(logs.lines.map((l) => [l.level, l.msg]),
    [['warn', 'redis cache unavailable'], ['info', 'redis cache recovered']])
})

t.test('tiered: local copies are not trusted while the subscription is down',
  async (t) => {
    const server = await startRedisServer(t)
    const { store, local, subscriber, ns } = await startTieredStore(t, { url: server.url })
    const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
    await store.set(key, testRecord(), KEEP)
    t.ok(await local.get(key), 'a local copy is kept while subscribed')

    await server.stop()
    await waitFor(() => !subscriber.listening, RECOVERY_WITHIN_MS)

    t.equal(await store.get(key), undefined, 'the local copy is not served')
    t.equal(store.health(), 'degraded')

    await server.start()
    await waitFor(() => subscriber.listening, RECOVERY_WITHIN_MS)

    t.equal(local.size, 0, 'local copies dropped on resubscribing')
    await waitFor(() => store.health() === 'up', RECOVERY_WITHIN_MS)
    await store.set(key, testRecord({ again: true }), KEEP)
    t.same((await store.get(key))?.data, { again: true })
  })
