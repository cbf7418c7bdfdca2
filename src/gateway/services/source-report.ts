import type { Fetched } from '../../sources/registers.js'
import type { SourceName } from '../../sources/types.js'
import type { CacheOutcome } from '../../cache/records.js'
import type { Minimised } from '../../access/minimise.js'
import { MEMO_SLOT, RAW_ANSWER, recall, type MemoSlot, type RawAnswer } from './answer-memo.js'
import { withFacts, type AnswerFacts } from './answer-facts.js'

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

/** A remembered answer, sent as it is (see answer-memo.ts). */
export interface Recalled {
  [RAW_ANSWER]: RawAnswer
  [CACHE_STATE]: CacheOutcome | undefined
}

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
  readonly #stateBy = new Map<SourceName, CacheOutcome | undefined>()
  readonly #records: Array<object | undefined> = []
  #clean = true

  /**
   * The minimised answer's body, with its cache state (see CACHE_STATE) and what it
   * disclosed (see answer-facts.ts) attached.
   */
  finish<T extends object> (minimised: Minimised & { answer: T }): T {
    const body = Object.assign(minimised.answer, { [CACHE_STATE]: this.#state })
    return withFacts(body, this.facts(minimised.returned))
  }

  /** The registers that answered, each with how this request got its records. */
  facts (fields: string[]): AnswerFacts {
    const sources = [...this.#stateBy].map(([register, cache]) => ({ register, cache: cache ?? 'none' as const }))
    return { fields, sources }
  }

  /**
   * The answer remembered for exactly the records read so far, or the one `build`
   * makes, marked to be remembered once serialised. `variant` names the route and
   * anything else the answer depends on.
   */
  answer<T extends object> (variant: string, build: () => Minimised & { answer: T }): T | Recalled {
    const slot: MemoSlot = { variant, records: [...this.#records], returned: [] }
    if (this.#clean && this.#state !== 'stale') {
      const known = recall(slot)
      if (known !== undefined) {
        return withFacts({ [RAW_ANSWER]: known, [CACHE_STATE]: this.#state }, this.facts(known.returned))
      }
    }
    const minimised = build()
    slot.returned = minimised.returned
    const body = this.finish(minimised)
    return this.#clean && this.#state !== 'stale' ? Object.assign(body, { [MEMO_SLOT]: slot }) : body
  }

  answered<T extends { updatedAt: string }> (fetched: Fetched<T>): T | undefined {
    const { data, source, retrievedAt } = fetched
    const before = this.sources[source]
    const previous = before?.updatedAt ?? null
    const updatedAt = data === undefined ? previous : latest(previous, data.updatedAt)
    const held = data !== undefined || before?.status === 'ok'
    this.#state = lessFresh(this.#state, fetched.cache)
    this.#stateBy.set(source, lessFresh(this.#stateBy.get(source), fetched.cache))
    this.#records.push(data)
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
    this.#clean = false
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
