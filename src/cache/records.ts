import { LRUCache } from 'lru-cache'
import type { RecordRef } from '../sources/change-events.js'
import type { SourceName } from '../sources/types.js'
import type { CachedRecord, CacheStore } from './store.js'

export type CacheOutcome = 'hit' | 'miss' | 'stale'

/** A register read as the cache answered it. */
export interface CachedRead {
  data: unknown
  retrievedAt: string
  cache: CacheOutcome
}

export interface RecordPolicy {
  /** How long a record stays fresh, per register, in ms. */
  ttlMs: Record<SourceName, number>
  /** How long a "not held" answer stays fresh, in ms. */
  negativeTtlMs: number
  /** How long past its freshness a record may still be served when its register fails, in ms. */
  staleWindowMs: number
  /** How long an invalidation bars writes from reads that started before it, in ms. */
  tombstoneMs: number
}

export interface CacheEvents {
  lookup: (source: SourceName, outcome: CacheOutcome) => void
  coalesced: (source: SourceName) => void
}

export interface RecordCacheOptions {
  store: CacheStore
  name: (ref: RecordRef) => string
  policy: RecordPolicy
  events?: Partial<CacheEvents>
}

const NAME_MEMO_ENTRIES = 50_000

type Fetch = () => Promise<{ data: unknown, retrievedAt: string }>

interface Flight { promise: Promise<CachedRecord>, startedAt: number }

/**
 * Register records through the cache. A fresh entry is a hit; otherwise one register
 * call per key is made however many requests want it (concurrent misses wait on the
 * same promise). If that call fails and the store still holds the record within its
 * stale window, the stale record is served and said to be stale.
 */
export class RecordCache {
  readonly #store: CacheStore
  readonly #name: (ref: RecordRef) => string
  readonly #policy: RecordPolicy
  readonly #events: Partial<CacheEvents>
  readonly #inFlight = new Map<string, Flight>()
  // A key name is an HMAC; computing it on every look-up costs more than the
  // look-up itself in the memory tier, so recent names are remembered.
  readonly #names = new LRUCache<string, string>({ max: NAME_MEMO_ENTRIES })

  constructor (opts: RecordCacheOptions) {
    this.#store = opts.store
    this.#name = opts.name
    this.#policy = opts.policy
    this.#events = opts.events ?? {}
  }

  get store (): CacheStore {
    return this.#store
  }

  async read (ref: RecordRef, fetch: Fetch): Promise<CachedRead> {
    const key = this.#keyOf(ref)
    const cached = await this.#store.get(key)
    if (cached !== undefined && Date.now() < cached.freshUntil) {
      this.#events.lookup?.(ref.source, 'hit')
      return { data: cached.data, retrievedAt: cached.retrievedAt, cache: 'hit' }
    }
    try {
      const fresh = await this.#fetchOnce(key, ref.source, fetch)
      this.#events.lookup?.(ref.source, 'miss')
      return { data: fresh.data, retrievedAt: fresh.retrievedAt, cache: 'miss' }
    } catch (err) {
      // A register failure earns a stale answer; a "not held" entry never does, and
      // neither does a failure of the gateway's own making.
      if (cached === undefined || cached.data === null || !isUpstreamFailure(err)) throw err
      this.#events.lookup?.(ref.source, 'stale')
      return { data: cached.data, retrievedAt: cached.retrievedAt, cache: 'stale' }
    }
  }

  /**
   * Drops the records a change altered, in the store and among the calls in flight,
   * and bars reads that began before now from writing them back.
   */
  async invalidate (refs: RecordRef[]): Promise<void> {
    const keys = refs.map((ref) => this.#keyOf(ref))
    for (const key of keys) this.#inFlight.delete(key)
    await this.#store.invalidate(keys, this.#policy.tombstoneMs)
  }

  #keyOf (ref: RecordRef): string {
    const plain = `${ref.source}/${ref.kind}/${ref.id}`
    let key = this.#names.get(plain)
    if (key === undefined) {
      key = this.#name(ref)
      this.#names.set(plain, key)
    }
    return key
  }

  #fetchOnce (key: string, source: SourceName, fetch: Fetch): Promise<CachedRecord> {
    const flying = this.#inFlight.get(key)
    if (flying !== undefined) {
      this.#events.coalesced?.(source)
      return flying.promise
    }
    const startedAt = Date.now()
    const promise = this.#fetchAndStore(key, source, fetch, startedAt)
    const flight = { promise, startedAt }
    this.#inFlight.set(key, flight)
    // Only this flight may clear its entry: an invalidation may already have
    // replaced it with a newer one.
    const done = () => {
      if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key)
    }
    promise.then(done, done)
    return promise
  }

  async #fetchAndStore (key: string, source: SourceName, fetch: Fetch,
    startedAt: number): Promise<CachedRecord> {
    const { data, retrievedAt } = await fetch()
    const held = data !== undefined
    const ttl = held ? this.#policy.ttlMs[source] : this.#policy.negativeTtlMs
    const record: CachedRecord = {
      source,
      data: held ? data : null,
      retrievedAt,
      freshUntil: Date.now() + ttl
    }
    const keepMs = held ? ttl + this.#policy.staleWindowMs : ttl
    if (keepMs > 0) await this.#store.set(key, record, { keepMs, fetchedSince: startedAt })
    return record
  }
}

function isUpstreamFailure (err: unknown): boolean {
  const code = (err as { code?: string }).code
  return code === 'UPSTREAM_UNAVAILABLE' || code === 'UPSTREAM_TIMEOUT' ||
    code === 'UPSTREAM_BAD_RESPONSE'
}
