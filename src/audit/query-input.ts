import { AuditQueryError } from './errors.js'
import { isoTime, OUTCOMES } from './event.js'
import type { AuditFilter, AuditPageOptions } from './types.js'

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

const TEXT_KEYS = [
  'citizenId', 'clientId', 'officerId', 'procedureCode', 'dossierId', 'operation'
] as const
const KEYS = new Set<string>([...TEXT_KEYS, 'outcome', 'from', 'to'])

/** A checked copy of the filter, times normalised as stored. */
export function checkFilter (filter: AuditFilter): AuditFilter {
  for (const key of Object.keys(filter)) {
    if (!KEYS.has(key)) throw new AuditQueryError(`unknown audit filter ${key}`, key)
  }
  const out: AuditFilter = {}
  for (const key of TEXT_KEYS) {
    const value = filter[key]
    if (value === undefined) continue
    if (typeof value !== 'string' || value === '') throw invalid(key)
    out[key] = value
  }
  if (filter.outcome !== undefined) {
    if (!OUTCOMES.has(filter.outcome)) throw invalid('outcome')
    out.outcome = filter.outcome
  }
  if (filter.from !== undefined) out.from = time(filter.from, 'from')
  if (filter.to !== undefined) out.to = time(filter.to, 'to')
  return out
}

export function checkLimit (limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalid('limit')
  return limit
}

// The cursor is the last seq served, wrapped so that callers treat it as opaque
// and a later change of what it holds breaks nobody.
export function encodeCursor (seq: number): string {
  return Buffer.from(`v1:${seq}`).toString('base64url')
}

export function decodeCursor (cursor: AuditPageOptions['cursor']): number {
  if (cursor === undefined || cursor === null) return 0
  const match = /^v1:(\d{1,16})$/.exec(Buffer.from(String(cursor), 'base64url').toString())
  if (match === null) throw invalid('cursor')
  return Number(match[1])
}

function time (value: string, key: string): string {
  try {
    return isoTime(value, key)
  } catch {
    throw invalid(key)
  }
}

function invalid (key: string) {
  return new AuditQueryError(`audit query ${key} is invalid`, key)
}
