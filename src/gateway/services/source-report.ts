import type { Fetched } from '../../sources/registers.js'
import type { SourceName } from '../../sources/types.js'
import type { CacheOutcome } from '../../cache/records.js'

export interface SourceStatus {
  status: 'ok' | 'not-held' | 'unavailable'
  updatedAt?: string | null
  retrievedAt?: string | null
  /** Present only when a copy past its freshness was served. */
  cache?: 'stale'
}

/**
 * The answer's cache state, carried beside the body for the X-Cache header. A symbol
 * is never serialised: a hit and a miss of the same records give the same body, so
 * ETags stay stable and If-None-Match works across them.
 */
export const CACHE_STATE = Symbol('cache-state')

// When one answer reads several records of a register, the register's cache state is
// the least fresh of them.
const FRESHNESS: CacheOutcome[] = ['hit', 'miss', 'stale']

function lessFresh (a: CacheOutcome | undefined, b: CacheOutcome | undefined) {
  if (a === undefined) return b
  if (b === undefined) return a
  return FRESHNESS.indexOf(a) > FRESHNESS.indexOf(b) ? a : b
}

/**
 * Collects, while an answer is assembled, which registers answered and which parts
 * could not be filled, so the reply says so instead of leaving values silently out.
 */
export class SourceReport {
  readonly sources: Partial<Record<SourceName, SourceStatus>> = {}
  readonly unavailable: string[] = []
  #state: CacheOutcome | undefined

  /** Attaches the cache state to the answer body (see CACHE_STATE). */
  finish<T extends object> (body: T): T {
    return Object.assign(body, { [CACHE_STATE]: this.#state })
  }

  answered<T extends { updatedAt: string }> (fetched: Fetched<T>): T | undefined {
    const { data, source, retrievedAt } = fetched
    const before = this.sources[source]
    const previous = before?.updatedAt ?? null
    const updatedAt = data === undefined ? previous : latest(previous, data.updatedAt)
    const held = data !== undefined || before?.status === 'ok'
    this.#state = lessFresh(this.#state, fetched.cache)
    const stale = before?.cache === 'stale' || fetched.cache === 'stale'
    this.sources[source] = {
      status: held ? 'ok' : 'not-held',
      updatedAt,
      retrievedAt: earliest(before?.retrievedAt ?? null, retrievedAt),
      ...(stale ? { cache: 'stale' as const } : {})
    }
    return data
  }

  failed (source: SourceName, ...parts: string[]): void {
    this.sources[source] = { status: 'unavailable', updatedAt: null, retrievedAt: null }
    this.missing(...parts)
  }

  /** Marks value paths no register supplied (null in the answer). */
  missing (...paths: string[]): void {
    for (const p of paths) if (!this.unavailable.includes(p)) this.unavailable.push(p)
  }

  /** Marks `path` missing when `value` is null; returns the value unchanged. */
  check<T> (path: string, value: T | null): T | null {
    if (value === null) this.missing(path)
    return value
  }
}

function latest (a: string | null, b: string): string {
  return a !== null && a > b ? a : b
}

function earliest (a: string | null, b: string): string {
  return a !== null && a < b ? a : b
}

/** Settles a register call: the value, or the error for the caller to judge. */
export async function settle<T> (p: Promise<T>): Promise<{ ok: true, value: T } |
{ ok: false, error: Error }> {
  try {
    return { ok: true, value: await p }
  } catch (error) {
    return { ok: false, error: error as Error }
  }
}
