import type { SeqRange } from './backend.js'
import type { AuditFilter, AuditRecord } from './types.js'

/**
 * The indexes both stores keep: every filter of query() is a range scan in seq order.
 * The DDL is the same in SQLite and PostgreSQL, so it is written once.
 */
export const RECORD_INDEXES = `CREATE INDEX IF NOT EXISTS audit_records_client ON audit_records (client_id, seq);
CREATE INDEX IF NOT EXISTS audit_records_officer ON audit_records (officer_id, seq);
CREATE INDEX IF NOT EXISTS audit_records_procedure
  ON audit_records (procedure_code, seq);
CREATE INDEX IF NOT EXISTS audit_records_dossier ON audit_records (dossier_id, seq);
CREATE INDEX IF NOT EXISTS audit_records_outcome ON audit_records (outcome, seq);
CREATE INDEX IF NOT EXISTS audit_records_operation ON audit_records (operation, seq);
CREATE INDEX IF NOT EXISTS audit_records_time ON audit_records (time);
`

/**
 * Record fields and their columns, in the order exports write them. `check` came
 * later: its column sits last in the table, where ALTER TABLE puts it in older logs.
 */
export const RECORD_COLUMNS = {
  seq: 'seq',
  id: 'id',
  time: 'time',
  requestId: 'request_id',
  clientId: 'client_id',
  officerId: 'officer_id',
  procedureCode: 'procedure_code',
  dossierId: 'dossier_id',
  counterCode: 'counter_code',
  citizenIds: 'citizen_ids',
  operation: 'operation',
  method: 'method',
  route: 'route',
  fields: 'fields',
  sources: 'sources',
  outcome: 'outcome',
  status: 'status',
  reason: 'reason',
  covertUntil: 'covert_until',
  requestHash: 'request_hash',
  responseHash: 'response_hash',
  check: 'check_result',
  prevHash: 'prev_hash',
  hash: 'hash'
} as const satisfies Record<keyof AuditRecord, string>

type Field = keyof typeof RECORD_COLUMNS

export const FIELDS = Object.keys(RECORD_COLUMNS) as Field[]

/** Columns filtered by equality; each has an index led by it. */
const EQUALS = {
  clientId: 'client_id',
  officerId: 'officer_id',
  procedureCode: 'procedure_code',
  dossierId: 'dossier_id',
  operation: 'operation',
  outcome: 'outcome'
} as const

/**
 * A record from a row, each column decoded by `decode` (per database). A column
 * the row lacks reads as null: a read-only store on a log made before the column
 * existed cannot add it.
 */
export function fromRow (row: Record<string, unknown>,
  decode: (field: Field, value: unknown) => unknown): AuditRecord {
  const record: Record<string, unknown> = {}
  for (const field of FIELDS) {
    record[field] = decode(field, row[RECORD_COLUMNS[field]] ?? null)
  }
  return record as unknown as AuditRecord
}

interface Sql { text: string, values: unknown[] }

/** Collects values and hands out their placeholders, in order. */
function collector (param: (n: number) => string) {
  const values: unknown[] = []
  const p = (value: unknown) => { values.push(value); return param(values.length) }
  return { values, p }
}

function seqWhere (range: SeqRange, p: (value: unknown) => string, prefix = '') {
  const where = [`${prefix}seq > ${p(range.afterSeq)}`]
  if (range.upTo !== undefined) where.push(`${prefix}seq <= ${p(range.upTo)}`)
  return where
}

/**
 * The page query for a filter. A citizen filter goes through the join table, whose
 * key (citizen_id, seq) serves "this citizen, after this seq, in seq order" as one
 * index range; the other filters have (column, seq) indexes for the same reason.
 */
export function selectSql (filter: AuditFilter, range: SeqRange,
  param: (n: number) => string): Sql {
  const { values, p } = collector(param)
  const join = filter.citizenId === undefined
    ? ''
    : ` JOIN audit_citizens c ON c.seq = r.seq AND c.citizen_id = ${p(filter.citizenId)}`
  const where = seqWhere(range, p, 'r.')
  for (const [key, column] of Object.entries(EQUALS)) {
    const value = filter[key as keyof typeof EQUALS]
    if (value !== undefined) where.push(`r.${column} = ${p(value)}`)
  }
  if (filter.from !== undefined) where.push(`r.time >= ${p(filter.from)}`)
  if (filter.to !== undefined) where.push(`r.time < ${p(filter.to)}`)
  const text = `SELECT r.* FROM audit_records r${join} WHERE ${where.join(' AND ')}` +
    ` ORDER BY r.seq LIMIT ${p(range.limit)}`
  return { text, values }
}

export function checkpointSql (range: SeqRange, param: (n: number) => string): Sql {
  const { values, p } = collector(param)
  const where = seqWhere(range, p)
  const text = 'SELECT seq, hash, time, key_id, signature FROM audit_checkpoints' +
    ` WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ${p(range.limit)}`
  return { text, values }
}
