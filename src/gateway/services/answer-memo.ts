// Building and serialising an answer costs more than reading its records from the
// in-process cache. The serialised answer is therefore remembered, attached to the
// very record objects it was built from: a changed or refreshed record is a new
// object, so a remembered answer can never outlive its records or be served for
// others. Only answers built from clean reads (no register failed, nothing stale)
// are remembered.

/**
 * The serialised answer and its ETag, ready to send. Kept as UTF-8 bytes: Vietnamese
 * text makes a two-byte string that the socket would otherwise encode on every send.
 */
export interface RawAnswer {
  bytes: Buffer
  etag: string | undefined
  /** The field paths the answer carries, for the audit record. */
  returned: string[]
}

/** Where a built answer would be remembered once serialised. */
export interface MemoSlot {
  variant: string
  records: ReadonlyArray<object | undefined>
  /** Known once the answer is built. */
  returned: string[]
}

export const MEMO_SLOT = Symbol('memo-slot')
export const RAW_ANSWER = Symbol('raw-answer')

interface Entry { others: ReadonlyArray<object | undefined>, answer: RawAnswer }

const byFirstRecord = new WeakMap<object, Map<string, Entry>>()

function sameRecords (a: ReadonlyArray<object | undefined>, b: ReadonlyArray<object | undefined>) {
  return a.length === b.length && a.every((r, i) => r === b[i])
}

export function recall (slot: MemoSlot): RawAnswer | undefined {
  const [first, ...others] = slot.records
  if (first === undefined) return undefined
  const entry = byFirstRecord.get(first)?.get(slot.variant)
  return entry !== undefined && sameRecords(entry.others, others) ? entry.answer : undefined
}

export function remember (slot: MemoSlot, answer: Omit<RawAnswer, 'returned'>): void {
  const [first, ...others] = slot.records
  if (first === undefined) return
  let variants = byFirstRecord.get(first)
  if (variants === undefined) {
    variants = new Map()
    byFirstRecord.set(first, variants)
  }
  variants.set(slot.variant, { others, answer: { ...answer, returned: slot.returned } })
}
