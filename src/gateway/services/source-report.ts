import type { Fetched } from '../../sources/registers.js'
import type { SourceName } from '../../sources/types.js'

export interface SourceStatus {
  status: 'ok' | 'not-held' | 'unavailable'
  updatedAt?: string | null
  retrievedAt?: string | null
}

/**
 * Collects, while an answer is assembled, which registers answered and which parts
 * could not be filled, so the reply says so instead of leaving values silently out.
 */
export class SourceReport {
  readonly sources: Partial<Record<SourceName, SourceStatus>> = {}
  readonly unavailable: string[] = []

  answered<T extends { updatedAt: string }> (fetched: Fetched<T>): T | undefined {
    const { data, source, retrievedAt } = fetched
    const previous = this.sources[source]?.updatedAt ?? null
    const updatedAt = data === undefined ? previous : latest(previous, data.updatedAt)
    const held = data !== undefined || this.sources[source]?.status === 'ok'
    this.sources[source] = { status: held ? 'ok' : 'not-held', updatedAt, retrievedAt }
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

/** Settles a register call: the value, or the error for the caller to judge. */
export async function settle<T> (p: Promise<T>): Promise<{ ok: true, value: T } |
{ ok: false, error: Error }> {
  try {
    return { ok: true, value: await p }
  } catch (error) {
    return { ok: false, error: error as Error }
  }
}
