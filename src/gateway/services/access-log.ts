import type { Catalogue } from '../../access/catalogue.js'
import type { ClientRegistry } from '../../access/client-registry.js'
import {
  cursorAfter, type AuditFilter, type AuditRecord, type AuditStore
} from '../../audit/index.js'
import { withFacts } from './answer-facts.js'
import { readLog } from './audit-log.js'

/** A register (or `verify`, `audit`) and the top-level parts of its answer that went out. */
export interface DataKind {
  register: string
  parts: string[]
}

/** One read of the citizen's data, as the citizen is shown it. */
export interface AccessLogEntry {
  id: string
  time: string
  /** The agency's procedure system; `name` is null once it is no longer registered. */
  agency: { clientId: string, name: string | null }
  procedure: { code: string, name: string | null }
  data: DataKind[]
}

export interface AccessLogPage {
  citizenId: string
  entries: AccessLogEntry[]
  nextCursor: string | null
}

export interface AccessLogQuery {
  citizenId: string
  from?: string
  to?: string
  limit: number
  cursor?: string
}

export interface AccessLogContext {
  store: AuditStore
  registry: ClientRegistry
  catalogue: Catalogue
}

// Records are read from the store in pages of this many while entries are collected:
// withheld ones are skipped, so a page of entries may take more than one page of records.
const SCAN_PAGE = 200

const REGISTER_ORDER = ['population', 'civilStatus', 'vneid', 'requirements', 'verify', 'audit', 'gateway']

/**
 * Whether the citizen is shown this record: only reads that let data out (the
 * client was let through and got a 2xx or 304), and no covert read before its
 * `covertUntil`. Refusals and failures disclosed nothing; auditors see them.
 */
export function shownToCitizen (record: AuditRecord, nowMs: number): boolean {
  if (record.outcome !== 'allowed' || record.status >= 400) return false
  return record.covertUntil === null || Date.parse(record.covertUntil) <= nowMs
}

/**
 * What kinds of data went out, from the record's field paths: `population:identity.fullName`
 * counts as the `identity` part of the population register. Paths without a register
 * (an identifier link, match candidates) count for each register the record says was read.
 */
export function dataKinds (record: AuditRecord): DataKind[] {
  const parts = new Map<string, Set<string>>()
  const add = (register: string, path: string) => {
    const set = parts.get(register) ?? new Set<string>()
    set.add(path.split('.')[0])
    parts.set(register, set)
  }
  // A row edited behind the store's back may hold something other than lists here.
  const read = (Array.isArray(record.sources) ? record.sources : [])
    .flatMap((s) => typeof s?.register === 'string' ? [s.register] : [])
  for (const item of Array.isArray(record.fields) ? record.fields : []) {
    const field = String(item)
    const colon = field.indexOf(':')
    if (colon > 0) add(field.slice(0, colon), field.slice(colon + 1))
    else for (const register of read.length > 0 ? read : ['gateway']) add(register, field)
  }
  return [...parts]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([register, set]) => ({ register, parts: [...set].sort() }))
}

function rank (register: string): number {
  const i = REGISTER_ORDER.indexOf(register)
  return i === -1 ? REGISTER_ORDER.length : i
}

function entryOf (record: AuditRecord, ctx: AccessLogContext): AccessLogEntry {
  const code = record.procedureCode ?? ''
  return {
    id: record.id,
    time: record.time,
    agency: { clientId: record.clientId, name: ctx.registry.client(record.clientId)?.name ?? null },
    procedure: { code, name: ctx.catalogue.procedure(code)?.name ?? null },
    data: dataKinds(record)
  }
}

/**
 * The citizen's reads in the order they happened, `limit` at a time. One entry more
 * than asked is looked for, so `nextCursor` is null exactly when no further entry is
 * shown: a cursor leading to an empty page would tell the citizen that withheld
 * records follow. The cursor resumes after the last entry shown, never after a
 * withheld record, for the same reason.
 */
export async function readAccessLog (q: AccessLogQuery, ctx: AccessLogContext,
  nowMs = Date.now()): Promise<AccessLogPage> {
  const filter: AuditFilter = { citizenId: q.citizenId, outcome: 'allowed' }
  if (q.from !== undefined) filter.from = q.from
  if (q.to !== undefined) filter.to = q.to
  const shown: AuditRecord[] = []
  let cursor: string | null | undefined = q.cursor
  while (shown.length <= q.limit) {
    const page = await readLog(() => ctx.store.query(filter, { limit: SCAN_PAGE, cursor }))
    for (const record of page.records) {
      if (shownToCitizen(record, nowMs)) shown.push(record)
      if (shown.length > q.limit) break
    }
    cursor = page.nextCursor
    if (cursor === null) break
  }
  const entries = shown.slice(0, q.limit)
  const more = shown.length > q.limit
  const body: AccessLogPage = {
    citizenId: q.citizenId,
    entries: entries.map((r) => entryOf(r, ctx)),
    nextCursor: more ? cursorAfter(entries.at(-1)!.seq) : null
  }
  // What this answer disclosed, for its own audit record: the citizen's log, whose
  // reads then appear in it like any other.
  return withFacts(body, { fields: ['audit:accessLog'], sources: [] })
}
