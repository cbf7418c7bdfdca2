import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { MemoryStore } from '../../src/cache/memory-store.js'
import { testRecord } from '../helpers/cache-stores.js'

const KEEP = { keepMs: 60_000, fetchedSince: 0 }

t.test('holds at most maxEntries, dropping the least recently used', async (t) => {
  const evicted: string[] = []
  const store = new MemoryStore({ maxEntries: 3, onEvict: (key) => evicted.push(key) })
  for (const key of ['a', 'b', 'c']) await store.set(key, testRecord(), KEEP)
  await store.get('a')

  await store.set('d', testRecord(), KEEP)
  await store.set('e', testRecord(), KEEP)

  t.equal(store.size, 3)
  t.same(evicted, ['b', 'c'], 'b and c were least recently used; a was read')
  t.ok(await store.get('a'))
  t.equal(await store.get('b'), undefined)
  t.ok(await store.get('e'))
})

t.test('onEvict is not called for expiry, invalidation, replacement or close', async (t) => {
  const evicted: string[] = []
  const store = new MemoryStore({ maxEntries: 2, onEvict: (key) => evicted.push(key) })
  await store.set('brief', testRecord(), { keepMs: 20, fetchedSince: 0 })
  await store.set('gone', testRecord(), KEEP)
  await store.set('gone', testRecord(), KEEP)
  await store.invalidate(['gone'], 1000)
  await sleep(40)

  await store.get('brief')
  await store.set('x', testRecord(), KEEP)
  await store.set('y', testRecord(), KEEP)
  await store.close()

  t.same(evicted, [])
})

t.test('an expired entry pushed out for room is not counted as evicted', async (t) => {
  const evicted: string[] = []
  const store = new MemoryStore({ maxEntries: 1, onEvict: (key) => evicted.push(key) })
  await store.set('brief', testRecord(), { keepMs: 20, fetchedSince: 0 })
  await sleep(40)

  await store.set('next', testRecord(), KEEP)

  t.same(evicted, [])
})

t.test('returns the very object it was given, not a copy', async (t) => {
  const store = new MemoryStore({ maxEntries: 10 })
  const record = testRecord()

  await store.set('k', record, KEEP)

  t.equal(await store.get('k'), record)
})

t.test('tombstones are bounded too, oldest dropped first', async (t) => {
  const store = new MemoryStore({ maxEntries: 10, maxTombstones: 2 })
  const before = Date.now()
  await sleep(2)
  await store.invalidate(['a', 'b', 'c'], 60_000)

  await store.set('a', testRecord(), { keepMs: 60_000, fetchedSince: before })
  await store.set('c', testRecord(), { keepMs: 60_000, fetchedSince: before })

  t.ok(await store.get('a'), 'the oldest tombstone was dropped for room')
  t.equal(await store.get('c'), undefined, 'a recent one still refuses')
})

t.test('nothing is kept for a keepMs of zero; health is always up', async (t) => {
  const store = new MemoryStore({ maxEntries: 10 })

  await store.set('k', testRecord(), { keepMs: 0, fetchedSince: 0 })

  t.equal(await store.get('k'), undefined)
  t.equal(store.health(), 'up')
})
