import type { BatchPlan, ChainHead } from './chain.js'
import type { AuditCheckpoint, AuditFilter, AuditRecord } from './types.js'

/** Records or checkpoints with seq in (afterSeq, upTo], in seq order. */
export interface SeqRange {
  afterSeq: number
  upTo?: number
  limit: number
}

/**
 * What a database gives the audit store. Rows that were tampered with must still
 * come back as records (a column that no longer parses comes back as raw text), so
 * that verification can name them instead of failing on them.
 */
export interface AuditBackend {
  /** Creates the schema when absent; a read-only backend only checks it can read. */
  open: () => Promise<void>
  /**
   * One durable write transaction: reads the head under the store's write lock,
   * writes what `plan` builds from it, commits with a flush to disk.
   */
  write: (plan: (head: ChainHead) => BatchPlan) => Promise<BatchPlan>
  select: (filter: AuditFilter, range: SeqRange) => Promise<AuditRecord[]>
  checkpoints: (range: SeqRange) => Promise<AuditCheckpoint[]>
  /**
   * The highest seq that the head or any checkpoint vouches for, read in one
   * snapshot so that appends running meanwhile never look like a truncation.
   */
  claimedEnd: () => Promise<number>
  close: () => Promise<void>
}

/** Reads `fetch` a page at a time, each page starting after the last seq seen. */
export async function * bySeq<T extends { seq: number }> (
  fetch: (afterSeq: number) => Promise<T[]>, afterSeq = 0
): AsyncGenerator<T> {
  let after = afterSeq
  for (;;) {
    const page = await fetch(after)
    yield * page
    const last = page.at(-1)
    if (last === undefined) return
    after = last.seq
  }
}
