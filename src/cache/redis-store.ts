import { createClient, RESP_TYPES } from 'redis'
import { guardedSet } from './guarded-set.js'
import { OutageLog } from './outage-log.js'
import {
  closeClient, connectInBackground, connectionOptions, withDeadline,
  type CacheLogger, type RedisConnectionOptions
} from './redis-connection.js'
import type { Sealer } from './sealer.js'
import type { CachedRecord, CacheStore, SetOptions, StoreHealth } from './store.js'

export interface RedisStoreOptions extends RedisConnectionOptions {
  /** Seals values at rest, bound to their key name. */
  sealer: Sealer
  /** The tombstone key of a record key (the key namer's `tombstone`). */
  tombstoneKey: (key: string) => string
  logger: CacheLogger
  /** Deadline of our own around every command, in ms. Default 150. */
  timeoutMs?: number
}

/** A record as Redis holds it, with the moment Redis will drop it. */
export interface SharedEntry {
  record: CachedRecord
  /** Epoch ms at which the entry expires. */
  keepUntil: number
}

/** `refused`: a tombstone barred it (or nothing to keep); `failed`: Redis did not answer. */
export type WriteOutcome = 'stored' | 'refused' | 'failed'

/** Published with an invalidation, in the same round trip. */
export interface InvalidationNotice {
  channel: string
  message: string
}

export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError'
  code = 'CACHE_UNAVAILABLE'
}

function createCacheClient (opts: RedisConnectionOptions) {
  return createClient({
    ...connectionOptions(opts),
    scripts: { guardedSet },
    // Sealed values are binary: read them as bytes, never as UTF-8 text.
    commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }
  })
}

type CacheClient = ReturnType<typeof createCacheClient>

/**
 * The shared cache. Values are sealed (see sealer.ts); keys arrive already named
 * (see key-names.ts), so neither carries personal data. A failing Redis turns
 * `get` and `set` into misses and skipped writes at once: commands are not queued
 * while disconnected and each has a deadline.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis'
  readonly #client: CacheClient
  readonly #sealer: Sealer
  readonly #tombstoneKey: (key: string) => string
  readonly #logger: CacheLogger
  readonly #timeoutMs: number
  readonly #outage: OutageLog
  #closed = false

  constructor (opts: RedisStoreOptions) {
    this.#sealer = opts.sealer
    this.#tombstoneKey = opts.tombstoneKey
    this.#logger = opts.logger
    this.#timeoutMs = opts.timeoutMs ?? 150
    this.#outage = new OutageLog(opts.logger, 'redis cache')
    this.#client = createCacheClient(opts)
    // Without a listener an 'error' event would crash the process.
    this.#client.on('error', (err: Error) => this.#outage.failed(err))
    this.#client.on('ready', () => this.#outage.recovered())
  }

  /** Connects; resolves after the first attempt even when it fails (see connectInBackground). */
  async start (): Promise<void> {
    await connectInBackground(this.#client)
  }

  async get (key: string): Promise<CachedRecord | undefined> {
    return (await this.read(key))?.record
  }

  /** `get`, with the moment the entry expires. */
  async read (key: string): Promise<SharedEntry | undefined> {
    const sealed = await this.#attempt((c) => c.get(key))
    if (sealed === undefined || sealed === null) return undefined
    const entry = this.#unseal(key, sealed)
    if (entry === undefined) this.#logger.warn({ key }, 'cache entry does not open')
    return entry
  }

  async set (key: string, value: CachedRecord, opts: SetOptions): Promise<void> {
    await this.write(key, value, opts)
  }

  /** `set`, saying whether the value was stored. */
  async write (key: string, value: CachedRecord, opts: SetOptions): Promise<WriteOutcome> {
    const keepMs = Math.ceil(opts.keepMs)
    if (keepMs <= 0) return 'refused'
    const keepUntil = Date.now() + keepMs
    const plaintext = JSON.stringify({ keepUntil, record: value })
    const args = {
      key,
      tombstone: this.#tombstoneKey(key),
      value: this.#sealer.seal(key, plaintext),
      keepMs,
      fetchedSince: opts.fetchedSince
    }
    const written = await this.#attempt((c) => c.guardedSet(args))
    if (written === undefined) return 'failed'
    return written === 1 ? 'stored' : 'refused'
  }

  /**
   * Deletes the keys and sets their tombstones in one transaction, with `notice`
   * published in the same round trip. Throws CacheUnavailableError when Redis is
   * not connected or does not confirm within the deadline.
   */
  async invalidate (keys: string[], tombstoneMs: number,
    notice?: InvalidationNotice): Promise<void> {
    if (keys.length === 0) return
    if (this.#closed) throw new CacheUnavailableError('the cache store is closed')
    if (!this.#client.isReady) {
      const err = new CacheUnavailableError('redis is not connected')
      this.#outage.failed(err)
      throw err
    }
    try {
      await withDeadline(this.#invalidation(keys, tombstoneMs, notice).exec(),
        this.#timeoutMs)
      this.#outage.recovered()
    } catch (cause) {
      this.#outage.failed(cause)
      throw new CacheUnavailableError('redis did not confirm the invalidation',
        { cause })
    }
  }

  health (): StoreHealth {
    return this.#outage.down || !this.#client.isReady ? 'degraded' : 'up'
  }

  async close (): Promise<void> {
    this.#closed = true
    await closeClient(this.#client)
  }

  #invalidation (keys: string[], tombstoneMs: number, notice?: InvalidationNotice) {
    const at = String(Date.now())
    const multi = this.#client.multi().del(keys)
    const keepMs = Math.ceil(tombstoneMs)
    if (keepMs > 0) {
      const expiration = { type: 'PX', value: keepMs } as const
      for (const key of keys) multi.set(this.#tombstoneKey(key), at, { expiration })
    }
    if (notice !== undefined) multi.publish(notice.channel, notice.message)
    return multi
  }

  /** Runs one command; undefined when Redis is unavailable, slow or failing. */
  async #attempt<T> (command: (c: CacheClient) => Promise<T>): Promise<T | undefined> {
    if (this.#closed) return undefined
    // Skipped at once rather than queued: a request must not wait for a reconnect.
    if (!this.#client.isReady) {
      this.#outage.failed(new CacheUnavailableError('redis is not connected'))
      return undefined
    }
    try {
      const reply = await withDeadline(command(this.#client), this.#timeoutMs)
      this.#outage.recovered()
      return reply
    } catch (err) {
      this.#outage.failed(err)
      return undefined
    }
  }

  #unseal (key: string, sealed: Buffer): SharedEntry | undefined {
    const plaintext = this.#sealer.open(key, sealed)
    if (plaintext === undefined) return undefined
    try {
      const entry = JSON.parse(plaintext.toString('utf8')) as SharedEntry
      return typeof entry.keepUntil === 'number' && isRecord(entry.record)
        ? entry
        : undefined
    } catch {
      return undefined
    }
  }
}

function isRecord (value: unknown): value is CachedRecord {
  const r = value as CachedRecord | null
  return typeof r?.source === 'string' && typeof r.freshUntil === 'number' &&
    typeof r.retrievedAt === 'string' && 'data' in r
}
