// Builds the cache stores for one test against a real Redis, each under a key prefix
// of its own that is deleted when the test ends, with a logger whose lines the test
// can read back.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { createClient, RESP_TYPES } from 'redis'
import { InvalidationSubscriber } from '../../src/cache/invalidation-subscriber.js'
import { createKeyNamer, type KeyNamer } from '../../src/cache/key-names.js'
import { MemoryStore } from '../../src/cache/memory-store.js'
import type { CacheLogger } from '../../src/cache/redis-connection.js'
import { RedisStore } from '../../src/cache/redis-store.js'
import { createSealer, type Sealer } from '../../src/cache/sealer.js'
import type { CachedRecord } from '../../src/cache/store.js'
import { TieredStore } from '../../src/cache/tiered-store.js'

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface LogLine {
  level: 'info' | 'warn' | 'error'
  obj: object
  msg: string
}

export interface CapturedLogger {
  logger: CacheLogger
  lines: LogLine[]
  count: (level: LogLine['level']) => number
}

export function captureLogs (): CapturedLogger {
  const lines: LogLine[] = []
  const at = (level: LogLine['level']) =>
    (obj: object, msg: string) => { lines.push({ level, obj, msg }) }
  return {
    logger: { info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    count: (level) => lines.filter((l) => l.level === level).length
  }
}

export function testRecord (data: unknown = { note: 'x' }): CachedRecord {
  return {
    source: 'population',
    data,
    retrievedAt: new Date().toISOString(),
    freshUntil: Date.now() + 60_000
  }
}

/** A connected client that reads values as bytes, closed with the test. */
export async function rawClient (t: Test, url = REDIS_URL) {
  const client = createClient({
    url, commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }
  })
  client.on('error', () => {})
  await client.connect()
  t.teardown(() => client.close())
  return client
}

/** Every key under `prefix`, as stored. */
export async function keysUnder (client: Awaited<ReturnType<typeof rawClient>>,
  prefix: string): Promise<string[]> {
  const found: string[] = []
  for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) {
    found.push(...keys.map(String))
  }
  return found
}

/** Deletes the prefix's keys when the test ends. */
export function cleanKeysAfter (t: Test, prefix: string, url = REDIS_URL): void {
  t.teardown(async () => {
    const client = createClient({ url })
    client.on('error', () => {})
    await client.connect()
    const keys = await keysUnder(client as never, prefix)
    if (keys.length > 0) await client.del(keys)
    await client.close()
  })
}

export interface Namespace {
  prefix: string
  namer: KeyNamer
  sealer: Sealer
}

/** A fresh prefix, key secret and encryption key, with the keys cleaned afterwards. */
export function namespace (t: Test, url = REDIS_URL): Namespace {
  const prefix = `test:${randomUUID()}`
  cleanKeysAfter(t, prefix, url)
  return {
    prefix,
    namer: createKeyNamer({ secret: randomBytes(32), prefix }),
    sealer: createSealer({ current: randomBytes(32) })
  }
}

export interface RedisStoreSetup {
  ns?: Namespace
  url?: string
  logs?: CapturedLogger
  timeoutMs?: number
}

export function buildRedisStore (t: Test, setup: RedisStoreSetup = {}) {
  const url = setup.url ?? REDIS_URL
  const ns = setup.ns ?? namespace(t, url)
  const logs = setup.logs ?? captureLogs()
  const store = new RedisStore({
    url,
    sealer: ns.sealer,
    tombstoneKey: ns.namer.tombstone,
    logger: logs.logger,
    timeoutMs: setup.timeoutMs ?? 150,
    connectTimeoutMs: 500
  })
  t.teardown(() => store.close())
  return { store, ns, logs }
}

export async function startRedisStore (t: Test, setup: RedisStoreSetup = {}) {
  const built = buildRedisStore(t, setup)
  await built.store.start()
  return built
}

export interface TieredSetup extends RedisStoreSetup {
  localTtlMs?: number
  maxEntries?: number
}

/** One gateway instance's tiered store; pass the same `ns` to share a Redis. */
export async function startTieredStore (t: Test, setup: TieredSetup = {}) {
  const url = setup.url ?? REDIS_URL
  const ns = setup.ns ?? namespace(t, url)
  const { store: shared, logs } = buildRedisStore(t, { ...setup, ns, url })
  const local = new MemoryStore({ maxEntries: setup.maxEntries ?? 1000 })
  const subscriber = new InvalidationSubscriber({
    url, channel: ns.namer.channel, logger: logs.logger, connectTimeoutMs: 500
  })
  const store = new TieredStore(local, shared, {
    localTtlMs: setup.localTtlMs ?? 5000, subscriber
  })
  t.teardown(() => store.close())
  await store.start()
  return { store, local, shared, subscriber, ns, logs }
}

/** Polls `check` every 10 ms until it holds or `withinMs` passes; the time it took. */
export async function waitFor (check: () => boolean | Promise<boolean>,
  withinMs: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < withinMs) {
    if (await check()) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`condition not met within ${withinMs} ms`)
}
