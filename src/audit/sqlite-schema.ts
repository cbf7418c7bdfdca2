import type Database from 'better-sqlite3'
import { RECORD_INDEXES } from './columns.js'
import { GENESIS_HASH } from './canonical.js'

// Times are TEXT in toISOString() form, which sorts as it should. Arrays, sources
// and the check are JSON text: the join table, not the JSON, serves citizen lookups.
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  checkpoint_seq INTEGER NOT NULL,
  checkpoint_at TEXT NOT NULL
);
INSERT OR IGNORE INTO audit_head VALUES (1, 0, '${GENESIS_HASH}', 0,
  strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
CREATE TABLE IF NOT EXISTS audit_records (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  time TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  officer_id TEXT,
  procedure_code TEXT,
  dossier_id TEXT,
  counter_code TEXT,
  citizen_ids TEXT NOT NULL,
  operation TEXT NOT NULL,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  fields TEXT NOT NULL,
  sources TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER NOT NULL,
  reason TEXT,
  covert_until TEXT,
  request_hash TEXT,
  response_hash TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  check_result TEXT
);
CREATE TABLE IF NOT EXISTS audit_citizens (
  citizen_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (citizen_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  time TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);
${RECORD_INDEXES}
`

/** Columns of audit_records added since the first release, with their types. */
const ADDED_COLUMNS = { check_result: 'TEXT' } as const

/**
 * Creates what is missing: the tables and indexes of a new file, the columns and
 * indexes added since in an older one. Call it inside a write transaction, so that
 * two processes opening one file never both add a column.
 */
export function createSqliteSchema (db: Database.Database): void {
  db.exec(SQLITE_SCHEMA)
  const columns = db.pragma('table_info(audit_records)') as Array<{ name: string }>
  const present = new Set(columns.map((c) => c.name))
  for (const [name, type] of Object.entries(ADDED_COLUMNS)) {
    if (!present.has(name)) db.exec(`ALTER TABLE audit_records ADD COLUMN ${name} ${type}`)
  }
}
