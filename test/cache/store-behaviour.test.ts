// The CacheStore contract, run against every implementation: whatever the store,
// the record cache above it must see the same behaviour.
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { MemoryStore } from '../../src/cache/memory-store.js'
import type { CacheStore } from '../../src/cache/store.js'
import {
  namespace, startRedisStore, startTieredStore, testRecord
} from '../helpers/cache-stores.js'

type Make = (t: Test) => Promise<{ store: CacheStore, key: (n: string) => string }>

const makers: Record<string, Make> = {
  memory: async () => ({
    store: new MemoryStore({ maxEntries: 100 }),
    key: (n) => `mem:${n}`
  }),
  redis: async (t) => {
    const { store, ns } = await startRedisStore(t)
    return { store, key: recordKey(ns.namer) }
  },
  tiered: async (t) => {
    const { store, ns } = await startTieredStore(t, { ns: namespace(t) })
    return { store, key: recordKey(ns.namer) }
  }
}

function recordKey (namer: { record: (ref: never) => string }) {
  return (n: string) => namer.record({ source: 'population', kind: 'person', id: n } as never)
}

const KEEP = { keepMs: 60_000, fetchedSince: 0 }

for (const [kind, make] of Object.entries(makers)) {
  t.test(`${kind} store`, async (t) => {
    t.test('answers undefined for a key never set', async (t) => {
      const { store, key } = await make(t)

      t.equal(await store.get(key('nobody')), undefined)
      t.equal(store.kind, kind)
      t.equal(store.health(), 'up')
    })

    t.test('returns what was set, null data and Vietnamese text included', async (t) => {
      const { store, key } = await make(t)
      const held = testRecord({ fullName: 'Trần Thị Bình', n: 1.5, list: [true, null] })
      const notHeld = { ...testRecord(), data: null }

      await store.set(key('held'), held, KEEP)
      await store.set(key('none'), notHeld, KEEP)

      t.same(await store.get(key('held')), held)
      t.same(await store.get(key('none')), notHeld)
      t.equal((await store.get(key('none')))?.data, null)
    })

    t.test('a later set replaces the value', async (t) => {
      const { store, key } = await make(t)

      await store.set(key('a'), testRecord({ v: 1 }), KEEP)
      await store.set(key('a'), testRecord({ v: 2 }), KEEP)

      t.same((await store.get(key('a')))?.data, { v: 2 })
    })

    t.test('an entry is gone after keepMs', async (t) => {
      const { store, key } = await make(t)

      await store.set(key('brief'), testRecord(), { keepMs: 150, fetchedSince: 0 })
      const early = await store.get(key('brief'))
      await sleep(300)

      t.ok(early, 'held before keepMs')
      t.equal(await store.get(key('brief')), undefined, 'gone after keepMs')
    })

    t.test('invalidate drops the named keys and only those', async (t) => {
      const { store, key } = await make(t)
      for (const n of ['a', 'b', 'c']) await store.set(key(n), testRecord(), KEEP)

      await store.invalidate([key('a'), key('b')], 5000)

      t.equal(await store.get(key('a')), undefined)
      t.equal(await store.get(key('b')), undefined)
      t.ok(await store.get(key('c')), 'the other key stays')
      await store.invalidate([], 5000)
    })

    t.test('a read begun before an invalidation cannot write back', async (t) => {
      const { store, key } = await make(t)
      const readStartedAt = Date.now()
      await sleep(2)
      await store.invalidate([key('late')], 5000)

      await store.set(key('late'), testRecord({ old: true }), {
        keepMs: 60_000, fetchedSince: readStartedAt
      })

      t.equal(await store.get(key('late')), undefined)
    })

    t.test('a read begun after an invalidation writes normally', async (t) => {
      const { store, key } = await make(t)
      await store.invalidate([key('k')], 5000)
      await sleep(2)

      await store.set(key('k'), testRecord({ fresh: true }), {
        keepMs: 60_000, fetchedSince: Date.now()
      })

      t.same((await store.get(key('k')))?.data, { fresh: true })
    })

    t.test('a tombstone expires after tombstoneMs', async (t) => {
      const { store, key } = await make(t)
      const readStartedAt = Date.now()
      await sleep(2)
      await store.invalidate([key('k')], 100)
      await sleep(200)

      await store.set(key('k'), testRecord(), { keepMs: 60_000, fetchedSince: readStartedAt })

      t.ok(await store.get(key('k')), 'written once the tombstone is gone')
    })

    t.test('close releases the store', async (t) => {
      const { store } = await make(t)

      await store.close()

      t.pass('closed without error')
    })
  })
}
