import type { Logger } from 'pino'
import type { Metrics } from '../gateway/metrics.js'
import { createKeyNamer, type KeyNamer } from './key-names.js'
import { InvalidationSubscriber } from './invalidation-subscriber.js'
import { MemoryStore } from './memory-store.js'
import { RecordCache, type RecordPolicy } from './records.js'
import { RedisStore } from './redis-store.js'
import { createSealer, parseKey } from './sealer.js'
import { TieredStore } from './tiered-store.js'
import type { CacheStore } from './store.js'

export interface CacheSettings {
  /** Redis for a cache shared by every instance; without it, memory only. */
  redisUrl?: string
  /** Namespace of every key and channel in Redis. */
  prefix: string
  /** Base64 of 32 bytes: seals values in Redis. */
  encryptionKey: string
  /** Base64 of 32 bytes: opens values sealed before the last rotation. */
  previousEncryptionKey?: string
  /** Turns record ids into key names. */
  keySecret: string
  /** Deadline of every Redis command, in ms. */
  timeoutMs: number
  /** Most records held in process memory. */
  maxEntries: number
  /** With Redis: longest a copy is served from process memory without asking Redis, in ms. */
  localTtlMs: number
  policy: RecordPolicy
  logger: Logger
  metrics: Metrics
}

export interface CacheSetup {
  records: RecordCache
  close: () => Promise<void>
}

async function sharedStore (url: string, local: MemoryStore, namer: KeyNamer,
  s: CacheSettings): Promise<CacheStore> {
  const sealer = createSealer({
    current: parseKey(s.encryptionKey, 'CACHE_ENCRYPTION_KEY'),
    ...(s.previousEncryptionKey === undefined
      ? {}
      : { previous: parseKey(s.previousEncryptionKey, 'CACHE_ENCRYPTION_KEY_PREVIOUS') })
  })
  const shared = new RedisStore({
    url, sealer, tombstoneKey: namer.tombstone, logger: s.logger, timeoutMs: s.timeoutMs
  })
  const subscriber = new InvalidationSubscriber({ url, channel: namer.channel, logger: s.logger })
  const store = new TieredStore(local, shared, { localTtlMs: s.localTtlMs, subscriber })
  // Never throws: with Redis down the gateway starts, serves from the registers,
  // and reconnects by itself.
  await store.start()
  return store
}

/**
 * The record cache the settings ask for: memory alone, or memory in front of Redis.
 * Key names are keyed digests in both, so the code paths are the same.
 */
export async function createRecordCache (s: CacheSettings): Promise<CacheSetup> {
  const namer = createKeyNamer({ secret: Buffer.from(s.keySecret), prefix: s.prefix })
  const local = new MemoryStore({ maxEntries: s.maxEntries, onEvict: s.metrics.evicted })
  const store = s.redisUrl === undefined
    ? local
    : await sharedStore(s.redisUrl, local, namer, s)
  s.metrics.watchStore(() => store.health())
  const records = new RecordCache({
    store, name: namer.record, policy: s.policy, events: s.metrics.cacheEvents
  })
  return { records, close: () => store.close() }
}
