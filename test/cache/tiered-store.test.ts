// Two TieredStores over one Redis stand for two gateway instances.
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import {
  namespace, rawClient, startTieredStore, testRecord, waitFor
} from '../helpers/cache-stores.js'

const KEEP = { keepMs: 60_000, fetchedSince: 0 }
const PUBSUB_WITHIN_MS = 2000

t.test('an invalidation on one instance drops the local copy on the other', async (t) => {
  const ns = namespace(t)
  const a = await startTieredStore(t, { ns })
  const b = await startTieredStore(t, { ns })
  const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
  await a.store.set(key, testRecord({ v: 1 }), KEEP)
  await b.store.get(key)
  t.ok(await b.local.get(key), 'b keeps a local copy after reading')

  await a.store.invalidate([key], 5000)
  const tookMs = await waitFor(async () => await b.local.get(key) === undefined,
    PUBSUB_WITHIN_MS)

  t.comment(`b dropped its copy ${tookMs.toFixed(1)} ms after the invalidation`)
  t.equal(await b.store.get(key), undefined)
  t.equal(await a.store.get(key), undefined)
})

t.test('after the announcement, the other instance refuses a late local write',
  async (t) => {
    const ns = namespace(t)
    const a = await startTieredStore(t, { ns })
    const b = await startTieredStore(t, { ns })
    const key = ns.namer.record({ source: 'vneid', kind: 'wallet', id: '001085000001' })
    const readStartedAt = Date.now()
    await sleep(2)
    await a.store.invalidate([key], 5000)
    await waitFor(async () => {
      // The announcement has arrived once b's local tier refuses an old read.
      await b.local.set(key, testRecord(), { keepMs: 60_000, fetchedSince: readStartedAt })
      return await b.local.get(key) === undefined
    }, PUBSUB_WITHIN_MS)

    await b.store.set(key, testRecord({ old: true }), {
      keepMs: 60_000, fetchedSince: readStartedAt
    })

    t.equal(await b.store.get(key), undefined)
  })

t.test('a local copy is served for at most localTtlMs', async (t) => {
  const ns = namespace(t)
  const { store, local } = await startTieredStore(t, { ns, localTtlMs: 200 })
  const raw = await rawClient(t)
  const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
  await store.set(key, testRecord(), KEEP)

  // Deleted behind the store's back: only the local copy still answers.
  await raw.del(key)
  const early = await store.get(key)
  await sleep(300)

  t.ok(early, 'served from the local copy')
  t.equal(await store.get(key), undefined, 'not once localTtlMs has passed')
  t.equal(local.size, 0)
})

t.test('a local copy never outlives the shared entry', async (t) => {
  const ns = namespace(t)
  const a = await startTieredStore(t, { ns })
  const b = await startTieredStore(t, { ns, localTtlMs: 60_000 })
  const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
  await a.store.set(key, testRecord(), { keepMs: 200, fetchedSince: 0 })
  t.ok(await b.store.get(key), 'b read it from Redis')

  await sleep(300)

  t.equal(await b.local.get(key), undefined)
  t.equal(await b.store.get(key), undefined)
})

t.test('a write refused by a shared tombstone is not kept locally either', async (t) => {
  const ns = namespace(t)
  const { store, local } = await startTieredStore(t, { ns })
  const raw = await rawClient(t)
  const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
  const readStartedAt = Date.now()
  await sleep(2)

  // Another instance's tombstone whose announcement never arrived here.
  await raw.set(ns.namer.tombstone(key), String(Date.now()), { PX: 5000 })
  await store.set(key, testRecord(), { keepMs: 60_000, fetchedSince: readStartedAt })

  t.equal(await local.get(key), undefined)
  t.equal(await store.get(key), undefined)
})

t.test('health follows the shared store', async (t) => {
  const { store, shared } = await startTieredStore(t)

  t.equal(store.health(), 'up')
  t.equal(store.health(), shared.health())
})
