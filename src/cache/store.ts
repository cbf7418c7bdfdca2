import type { SourceName } from '../sources/types.js'

/** What the cache keeps for one register record. */
export interface CachedRecord {
  source: SourceName
  /** The register's record, or null when the register answered that it holds none. */
  data: unknown
  /** When the gateway read it from the register (ISO date-time). */
  retrievedAt: string
  /** Epoch milliseconds after which the entry is stale: served only when the register fails. */
  freshUntil: number
}

export interface SetOptions {
  /** How long the store keeps the entry, fresh time and stale window together, in ms. */
  keepMs: number
  /**
   * Epoch ms when the register call that produced the value started. The store refuses
   * the write when the key was invalidated after that moment, so an answer read
   * before a change can never be written back over the change.
   */
  fetchedSince: number
}

export type StoreHealth = 'up' | 'degraded'

/**
 * Where cached register records live. Implementations: memory (bounded, in process),
 * Redis (shared, encrypted at rest) and tiered (memory in front of Redis).
 * `get` and `set` never throw: a storage failure is a miss (or a skipped write), logged
 * once when the store degrades and once when it recovers. `invalidate` does throw when
 * it cannot drop the keys, because a change must not be acknowledged until it has.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis' | 'tiered'
  get: (key: string) => Promise<CachedRecord | undefined>
  set: (key: string, value: CachedRecord, opts: SetOptions) => Promise<void>
  /**
   * Drops the keys and remembers, for `tombstoneMs`, that they were invalidated now,
   * so in-flight register reads that started earlier cannot write them back.
   */
  invalidate: (keys: string[], tombstoneMs: number) => Promise<void>
  health: () => StoreHealth
  close: () => Promise<void>
}
