import { LRUCache } from 'lru-cache'
import type { CachedRecord, CacheStore, SetOptions, StoreHealth } from './store.js'

// Records live in this process only, so they are kept as the objects themselves:
// sealing them would protect nothing that the process memory does not already
// expose, and would cost a parse on every hit. Callers must treat a returned record
// as read-only, because the next caller receives the same object.
//
// Expiry is tracked here rather than by the LRU's own TTL so that an entry pushed out
// for room can be told apart from one that had already expired: only the first is an
// eviction worth counting.

export interface MemoryStoreOptions {
  /** Most records held at once; the least recently used goes first. */
  maxEntries: number
  /** Most tombstones held at once. Default: `maxEntries`. */
  maxTombstones?: number
  /** Called when a live record is dropped to make room (not on expiry or invalidation). */
  onEvict?: (key: string) => void
}

interface Entry {
  record: CachedRecord
  /** `performance.now()` after which the entry is gone. */
  expiresAt: number
}

interface Tombstone {
  /** Epoch ms of the invalidation, compared with `fetchedSince`. */
  invalidatedAt: number
  expiresAt: number
}

export class MemoryStore implements CacheStore {
  readonly kind = 'memory'
  readonly #entries: LRUCache<string, Entry>
  readonly #tombstones: LRUCache<string, Tombstone>

  constructor (opts: MemoryStoreOptions) {
    const onEvict = opts.onEvict
    this.#entries = new LRUCache<string, Entry>({
      max: opts.maxEntries,
      dispose: onEvict === undefined
        ? undefined
        : (entry, key, reason) => {
            if (reason === 'evict' && entry.expiresAt > performance.now()) onEvict(key)
          }
    })
    this.#tombstones = new LRUCache({ max: opts.maxTombstones ?? opts.maxEntries })
  }

  async get (key: string): Promise<CachedRecord | undefined> {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt > performance.now()) return entry.record
    this.#entries.delete(key)
    return undefined
  }

  async set (key: string, value: CachedRecord, opts: SetOptions): Promise<void> {
    this.put(key, value, opts)
  }

  /** `set` without the promise: false when a tombstone or `keepMs` refused it. */
  put (key: string, value: CachedRecord, opts: SetOptions): boolean {
    if (opts.keepMs <= 0 || this.#barred(key, opts.fetchedSince)) return false
    const expiresAt = performance.now() + opts.keepMs
    this.#entries.set(key, { record: value, expiresAt })
    return true
  }

  async invalidate (keys: string[], tombstoneMs: number): Promise<void> {
    const invalidatedAt = Date.now()
    const expiresAt = performance.now() + tombstoneMs
    for (const key of keys) {
      this.#entries.delete(key)
      if (tombstoneMs > 0) this.#tombstones.set(key, { invalidatedAt, expiresAt })
    }
  }

  /** Forgets every record, keeping the tombstones. */
  clear (): void {
    this.#entries.clear()
  }

  get size (): number {
    return this.#entries.size
  }

  health (): StoreHealth {
    return 'up'
  }

  async close (): Promise<void> {
    this.#entries.clear()
    this.#tombstones.clear()
  }

  #barred (key: string, fetchedSince: number): boolean {
    const stone = this.#tombstones.get(key)
    if (stone === undefined) return false
    if (stone.expiresAt <= performance.now()) {
      this.#tombstones.delete(key)
      return false
    }
    // Equal counts as after: within one millisecond the order is unknown.
    return stone.invalidatedAt >= fetchedSince
  }
}
