import { createHash } from 'node:crypto'
import type { AuditRecord } from './types.js'

/** prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64)

/**
 * The content fields in the order they are hashed. The order is part of the chain
 * format: changing it, or adding a field anywhere, breaks every stored hash. A
 * field added since goes after these, under a new format tag (see below).
 */
export const CONTENT_FIELDS = [
  'seq', 'id', 'time', 'requestId', 'clientId', 'officerId', 'procedureCode',
  'dossierId', 'counterCode', 'citizenIds', 'operation', 'method', 'route',
  'fields', 'sources', 'outcome', 'status', 'reason', 'covertUntil',
  'requestHash', 'responseHash'
] as const

type Content = Pick<AuditRecord, typeof CONTENT_FIELDS[number]> &
  Partial<Pick<AuditRecord, 'check'>>

const FORMAT = 'audit-record/v1'
// v2 is v1 with a last line for the record's requirement check. A record without
// one keeps the v1 text byte for byte, so records written before `check` existed
// still verify. The tag differs so that no v1 text is ever also a v2 text.
const FORMAT_WITH_CHECK = 'audit-record/v2'

/**
 * JSON with object keys sorted, so a value read back from a database (where
 * jsonb reorders keys) serialises to the same text it was hashed as. Values are
 * only strings, integers, booleans, null, arrays and plain objects.
 */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    const entries = keys.map((k) =>
      `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** The hashed text: a format tag, then each content field in the fixed order. */
export function canonicalContent (record: Content): string {
  const parts = CONTENT_FIELDS.map((f) => `${f}=${canonicalJson(record[f])}`)
  const check = record.check ?? null
  if (check === null) return `${FORMAT}\n${parts.join('\n')}`
  parts.push(`check=${canonicalJson(check)}`)
  return `${FORMAT_WITH_CHECK}\n${parts.join('\n')}`
}

export function recordHash (prevHash: string, record: Content): string {
  return createHash('sha256')
    .update(prevHash).update('\n').update(canonicalContent(record))
    .digest('hex')
}

export function recordId (seq: number): string {
  return `aud_${seq}`
}

/** The seq an id claims, or undefined when it is not of our form. */
export function seqOfId (id: string): number | undefined {
  const match = /^aud_([1-9]\d{0,15})$/.exec(id)
  return match === null ? undefined : Number(match[1])
}
