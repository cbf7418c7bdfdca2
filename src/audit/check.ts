import { AuditEventError } from './errors.js'
import type { AuditCheck, AuditCheckItem } from './types.js'

// A procedure names a handful of parties and a few dozen requirements; these bounds
// leave room for that and still cap what one check adds to a record.
const MAX_PARTIES = 20
const MAX_ITEMS = 200
// Roles, requirement ids, document types, reasons and citizen ids are all short codes.
const MAX_TEXT_CHARS = 64

const STATUSES = new Set(['satisfied', 'must-submit', 'not-applicable'])
const SOURCES = new Set(['population', 'civilStatus', 'vneid'])

type Party = AuditCheck['parties'][number]
type Loose = Record<string, unknown>

/**
 * A checked copy of a requirement check with only its known fields; absent becomes
 * null. One bad part refuses the whole check, and with it the event: a check that
 * is stored must be one that statistics can count as it stands.
 */
export function normaliseCheck (value: AuditCheck | null | undefined): AuditCheck | null {
  if (value === undefined || value === null) return null
  ensure(isObject(value), 'check')
  const { outsideResidence } = value
  ensure(outsideResidence === null || typeof outsideResidence === 'boolean',
    'check.outsideResidence')
  return {
    parties: bounded(value.parties, MAX_PARTIES, 'check.parties').map(party),
    items: bounded(value.items, MAX_ITEMS, 'check.items').map(item),
    outsideResidence
  }
}

function party (value: unknown, i: number): Party {
  const path = `check.parties[${i}]`
  ensure(isObject(value), path)
  return {
    role: text(value.role, `${path}.role`),
    citizenId: nullable(value.citizenId, `${path}.citizenId`)
  }
}

function item (value: unknown, i: number): AuditCheckItem {
  const path = `check.items[${i}]`
  ensure(isObject(value), path)
  const { status, source } = value
  ensure(typeof status === 'string' && STATUSES.has(status), `${path}.status`)
  ensure(source === null || (typeof source === 'string' && SOURCES.has(source)),
    `${path}.source`)
  return {
    requirementId: text(value.requirementId, `${path}.requirementId`),
    documentType: text(value.documentType, `${path}.documentType`),
    role: text(value.role, `${path}.role`),
    status: status as AuditCheckItem['status'],
    reason: nullable(value.reason, `${path}.reason`),
    source: source as AuditCheckItem['source']
  }
}

function bounded (value: unknown, max: number, path: string): unknown[] {
  ensure(Array.isArray(value) && value.length <= max, path)
  return value
}

function text (value: unknown, path: string): string {
  ensure(typeof value === 'string' && value.length > 0 &&
    value.length <= MAX_TEXT_CHARS, path)
  return value
}

function nullable (value: unknown, path: string): string | null {
  return value === null ? null : text(value, path)
}

function isObject (value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function ensure (ok: boolean, path: string): asserts ok {
  if (!ok) throw new AuditEventError(`audit event field ${path} is missing or invalid`)
}
