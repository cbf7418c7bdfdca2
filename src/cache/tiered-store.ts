import { randomUUID } from 'node:crypto'
import type { InvalidationMessage, InvalidationSubscriber } from './invalidation-subscriber.js'
import type { MemoryStore } from './memory-store.js'
import type { RedisStore } from './redis-store.js'
import type { CachedRecord, CacheStore, SetOptions, StoreHealth } from './store.js'

// A short-lived copy in process memory spares Redis the hottest reads. Redis stays
// the truth: an invalidation is confirmed only once Redis has dropped the keys, and
// it is announced on a channel so that every other instance drops its copies too.
//
// The window this leaves: pub/sub delivers at most once, so an instance whose
// subscription is down misses announcements. Local copies are therefore neither
// read nor written while the subscription is down, and all of them are dropped
// when it comes back. What remains is a connection that is dead but not yet seen
// as dead (a network partition without a reset, until the socket errors): an
// announcement lost then leaves a stale copy served for at most `localTtlMs`.

export interface TieredStoreOptions {
  /** Longest a local copy is served without asking Redis, in ms. */
  localTtlMs: number
  /** Announcements of other instances' invalidations. */
  subscriber: InvalidationSubscriber
}

export class TieredStore implements CacheStore {
  readonly kind = 'tiered'
  readonly #local: MemoryStore
  readonly #shared: RedisStore
  readonly #subscriber: InvalidationSubscriber
  readonly #localTtlMs: number
  /** Tells this instance's announcements from the others'. */
  readonly #origin = randomUUID()

  constructor (local: MemoryStore, shared: RedisStore, opts: TieredStoreOptions) {
    this.#local = local
    this.#shared = shared
    this.#subscriber = opts.subscriber
    this.#localTtlMs = opts.localTtlMs
    this.#subscriber.onMessage((m) => this.#heard(m))
    this.#subscriber.onSubscribed(() => this.#local.clear())
  }

  /** Connects the store and the subscriber; never throws (see RedisStore.start). */
  async start (): Promise<void> {
    await Promise.all([this.#shared.start(), this.#subscriber.start()])
  }

  async get (key: string): Promise<CachedRecord | undefined> {
    const trusted = this.#subscriber.listening
    const near = trusted ? await this.#local.get(key) : undefined
    if (near !== undefined) return near
    const since = Date.now()
    const entry = await this.#shared.read(key)
    if (entry === undefined) return undefined
    if (trusted) this.#keepLocally(key, entry.record, entry.keepUntil - Date.now(), since)
    return entry.record
  }

  async set (key: string, value: CachedRecord, opts: SetOptions): Promise<void> {
    const outcome = await this.#shared.write(key, value, opts)
    // Refused means invalidated after the read began: no tier may keep it. A
    // failed write may still be kept locally, guarded by the local tombstones.
    if (outcome === 'refused' || !this.#subscriber.listening) return
    this.#keepLocally(key, value, opts.keepMs, opts.fetchedSince)
  }

  async invalidate (keys: string[], tombstoneMs: number): Promise<void> {
    await this.#local.invalidate(keys, tombstoneMs)
    const message = JSON.stringify({ origin: this.#origin, keys, tombstoneMs })
    await this.#shared.invalidate(keys, tombstoneMs,
      { channel: this.#subscriber.channel, message })
  }

  health (): StoreHealth {
    return this.#shared.health()
  }

  async close (): Promise<void> {
    await Promise.all([this.#subscriber.close(), this.#shared.close()])
    await this.#local.close()
  }

  #keepLocally (key: string, record: CachedRecord, keepMs: number,
    fetchedSince: number): void {
    const localKeepMs = Math.min(this.#localTtlMs, keepMs)
    this.#local.put(key, record, { keepMs: localKeepMs, fetchedSince })
  }

  #heard (message: InvalidationMessage): void {
    if (message.origin === this.#origin) return
    // A tombstone here too: a read in flight on this instance, begun before the
    // change, must not put the old value back into the local tier.
    this.#local.invalidate(message.keys, message.tombstoneMs).catch(() => {})
  }
}
