import { normaliseCheck } from './check.js'
import { AuditEventError } from './errors.js'
import type { AuditCheck, AuditEvent, AuditSource } from './types.js'

/** An event as normaliseEvent returns it: `check` always present. */
export type NormalisedEvent = AuditEvent & { check: AuditCheck | null }

const REGISTERS = new Set(['population', 'civilStatus', 'vneid'])
const CACHE_STATES = new Set(['hit', 'miss', 'stale', 'none'])
export const OUTCOMES = new Set(['allowed', 'denied', 'failed'])

const TEXT = ['requestId', 'clientId', 'operation', 'method', 'route'] as const
const NULLABLE = [
  'officerId', 'procedureCode', 'dossierId', 'counterCode', 'reason',
  'requestHash', 'responseHash'
] as const

/**
 * Checks an event and returns it with only the known fields, times normalised to
 * `toISOString()` form: that is the form hashed, stored and compared in time
 * filters. A bad event is refused, never stored half-right.
 */
export function normaliseEvent (event: AuditEvent): NormalisedEvent {
  for (const f of TEXT) text(event[f], f)
  for (const f of NULLABLE) if (event[f] !== null) text(event[f], f)
  list(event.citizenIds, 'citizenIds', 0)
  list(event.fields, 'fields', 0)
  check(Array.isArray(event.sources) && event.sources.every(isSource), 'sources')
  check(OUTCOMES.has(event.outcome), 'outcome')
  check(Number.isInteger(event.status) && event.status >= 100 &&
    event.status <= 599, 'status')
  return pick(event)
}

/** A parseable ISO date or date-time, as `toISOString()` gives it. */
export function isoTime (value: unknown, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN
  check(Number.isFinite(ms), field)
  return new Date(ms).toISOString()
}

function pick (e: AuditEvent): NormalisedEvent {
  return {
    time: isoTime(e.time, 'time'),
    requestId: e.requestId,
    clientId: e.clientId,
    officerId: e.officerId,
    procedureCode: e.procedureCode,
    dossierId: e.dossierId,
    counterCode: e.counterCode,
    citizenIds: [...e.citizenIds],
    operation: e.operation,
    method: e.method,
    route: e.route,
    fields: [...e.fields],
    sources: e.sources.map((s) => ({ register: s.register, cache: s.cache })),
    outcome: e.outcome,
    status: e.status,
    reason: e.reason,
    covertUntil: e.covertUntil === null ? null : isoTime(e.covertUntil, 'covertUntil'),
    requestHash: e.requestHash,
    responseHash: e.responseHash,
    check: normaliseCheck(e.check)
  }
}

function isSource (s: AuditSource): boolean {
  return typeof s === 'object' && s !== null &&
    REGISTERS.has(s.register) && CACHE_STATES.has(s.cache)
}

function text (value: unknown, field: string): void {
  check(typeof value === 'string' && value.length > 0 && value.length <= 500, field)
}

function list (value: unknown, field: string, min: number): void {
  check(Array.isArray(value) && value.length >= min, field)
  for (const item of value as unknown[]) text(item, field)
}

function check (ok: boolean, field: string): asserts ok {
  if (!ok) throw new AuditEventError(`audit event field ${field} is missing or invalid`)
}
