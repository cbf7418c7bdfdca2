import Database from 'better-sqlite3'
import type { AuditBackend, SeqRange } from './backend.js'
import type { BatchPlan, ChainHead } from './chain.js'
import { ChainedAuditStore, type AuditStoreOptions } from './chained-store.js'
import {
  checkpointSql, FIELDS, fromRow, RECORD_COLUMNS, selectSql
} from './columns.js'
import { createSqliteSchema } from './sqlite-schema.js'
import type { AuditCheckpoint, AuditFilter, AuditRecord } from './types.js'

export interface SqliteAuditStoreOptions extends AuditStoreOptions {
  /** Database file, created when absent (unless the store is read-only). */
  file: string
  /** How long (ms) a write waits for another process holding the file; 5000 when absent. */
  busyTimeoutMs?: number
}

/**
 * The audit log in one SQLite file, in WAL mode with synchronous=FULL: a commit
 * returns only after the WAL is fsynced. Several processes may share the file;
 * BEGIN IMMEDIATE takes the write lock before the head is read, so they still
 * build one chain.
 *
 * better-sqlite3 is synchronous: each flush holds the event loop for its commit,
 * fsync included. Group commit keeps that to one per batch; moving the database
 * to a worker thread would remove it, and is not done.
 */
export class SqliteAuditStore extends ChainedAuditStore {
  constructor (opts: SqliteAuditStoreOptions) {
    super(new SqliteBackend(opts), opts)
  }
}

const WRITES = {
  head: `SELECT seq, hash, checkpoint_seq AS checkpointSeq,
    checkpoint_at AS checkpointAt FROM audit_head WHERE id = 1`,
  record: `INSERT INTO audit_records (${Object.values(RECORD_COLUMNS).join(', ')})
    VALUES (${FIELDS.map((f) => `@${f}`).join(', ')})`,
  citizen: 'INSERT OR IGNORE INTO audit_citizens (citizen_id, seq) VALUES (?, ?)',
  checkpoint: `INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature)
    VALUES (@seq, @hash, @time, @keyId, @signature)`,
  moveHead: `UPDATE audit_head SET seq = @seq, hash = @hash,
    checkpoint_seq = @checkpointSeq, checkpoint_at = @checkpointAt WHERE id = 1`
}

type Statements = Record<keyof typeof WRITES, Database.Statement>

class SqliteBackend implements AuditBackend {
  readonly #opts: SqliteAuditStoreOptions
  readonly #readOnly: boolean
  #db: Database.Database | undefined
  #writes: Statements | undefined

  constructor (opts: SqliteAuditStoreOptions) {
    this.#opts = opts
    this.#readOnly = opts.signingKey === undefined
  }

  async open (): Promise<void> {
    const readOnly = this.#readOnly
    const db = new Database(this.#opts.file, { readonly: readOnly, fileMustExist: readOnly })
    try {
      db.pragma(`busy_timeout = ${this.#opts.busyTimeoutMs ?? 5000}`)
      if (!readOnly) this.#writes = prepareWrites(db)
    } catch (err) {
      db.close()
      throw err
    }
    this.#db = db
  }

  async write (plan: (head: ChainHead) => BatchPlan): Promise<BatchPlan> {
    const w = this.#writes!
    const run = this.#db!.transaction(() => {
      const built = plan(w.head.get() as ChainHead)
      for (const r of built.records) {
        w.record.run(toRow(r))
        for (const id of r.citizenIds) w.citizen.run(id, r.seq)
      }
      if (built.checkpoint !== null) w.checkpoint.run(built.checkpoint)
      w.moveHead.run(built.head)
      return built
    })
    return run.immediate()
  }

  async select (filter: AuditFilter, range: SeqRange): Promise<AuditRecord[]> {
    const { text, values } = selectSql(filter, range, () => '?')
    return this.#all(text, values).map((row) => fromRow(row, decode))
  }

  async checkpoints (range: SeqRange): Promise<AuditCheckpoint[]> {
    const { text, values } = checkpointSql(range, () => '?')
    return this.#all(text, values).map((row) => ({
      seq: row.seq as number,
      hash: row.hash as string,
      time: row.time as string,
      keyId: row.key_id as string,
      signature: row.signature as string
    }))
  }

  async claimedEnd (): Promise<number> {
    const [row] = this.#all(`SELECT max(
      coalesce((SELECT seq FROM audit_head WHERE id = 1), 0),
      coalesce((SELECT max(seq) FROM audit_checkpoints), 0)) AS claimed`, [])
    return row!.claimed as number
  }

  async close (): Promise<void> {
    this.#db?.close()
    this.#db = undefined
  }

  #all (text: string, values: unknown[]): Array<Record<string, unknown>> {
    return this.#db!.prepare(text).all(...values) as Array<Record<string, unknown>>
  }
}

function prepareWrites (db: Database.Database): Statements {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.transaction(() => createSqliteSchema(db)).immediate()
  const entries = Object.entries(WRITES).map(([name, sql]) => [name, db.prepare(sql)])
  return Object.fromEntries(entries) as Statements
}

function toRow (r: AuditRecord): Record<string, unknown> {
  return {
    ...r,
    citizenIds: JSON.stringify(r.citizenIds),
    fields: JSON.stringify(r.fields),
    sources: JSON.stringify(r.sources),
    check: r.check === null ? null : JSON.stringify(r.check)
  }
}

const JSON_FIELDS = new Set(['citizenIds', 'fields', 'sources', 'check'])

// A column edited behind the store's back may no longer be JSON: keep the raw text,
// whose hash will not match, so verify names the record instead of throwing.
function decode (field: string, value: unknown): unknown {
  if (!JSON_FIELDS.has(field) || typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}
