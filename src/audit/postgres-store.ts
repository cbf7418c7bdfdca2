import pg from 'pg'
import type { AuditBackend, SeqRange } from './backend.js'
import type { BatchPlan, ChainHead } from './chain.js'
import { ChainedAuditStore, type AuditStoreOptions } from './chained-store.js'
import { checkpointSql, fromRow, selectSql } from './columns.js'
import { POSTGRES_SCHEMA, SCHEMA_LOCK_KEY } from './postgres-schema.js'
import { APPEND_SQL, appendValues } from './postgres-append.js'
import type { AuditCheckpoint, AuditFilter, AuditRecord } from './types.js'

export interface PostgresAuditStoreOptions extends AuditStoreOptions {
  /** postgres:// connection string. */
  url: string
  /** Most connections in the pool; 10 when absent. */
  poolMax?: number
  /** Longest wait (ms) for a connection; 5000 when absent. */
  connectTimeoutMs?: number
  /** Server-side limit (ms) on each statement, lock waits included; 10_000 when absent. */
  statementTimeoutMs?: number
}

/**
 * The audit log in PostgreSQL. Several gateway instances may append to one
 * database: each write transaction locks the one-row head table (SELECT ... FOR
 * UPDATE) before reading where the chain ends, so appends from all instances form
 * one chain. A row lock rather than an advisory lock: it lives beside the data it
 * guards, needs no key agreed across applications sharing the database, and the
 * row it locks is the head the transaction reads anyway.
 *
 * Durability: each transaction sets synchronous_commit on, so COMMIT returns after
 * the WAL is flushed, whatever the server default. It still relies on the server
 * running with fsync on.
 */
export class PostgresAuditStore extends ChainedAuditStore {
  constructor (opts: PostgresAuditStoreOptions) {
    super(new PostgresBackend(opts), opts)
  }
}

const HEAD_SQL = `SELECT seq, hash, checkpoint_seq, checkpoint_at
  FROM audit_head WHERE id FOR UPDATE`

class PostgresBackend implements AuditBackend {
  readonly #pool: pg.Pool
  readonly #readOnly: boolean

  constructor (opts: PostgresAuditStoreOptions) {
    this.#readOnly = opts.signingKey === undefined
    this.#pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      statement_timeout: opts.statementTimeoutMs ?? 10_000
    })
    // An idle connection that breaks emits here; without a listener the process
    // would crash. The next query gets a fresh connection.
    this.#pool.on('error', (err) =>
      opts.logger?.warn({ err }, 'audit database connection lost'))
  }

  async open (): Promise<void> {
    if (this.#readOnly) {
      await this.#pool.query('SELECT seq FROM audit_head')
      return
    }
    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY])
      await client.query(POSTGRES_SCHEMA)
    })
  }

  write (plan: (head: ChainHead) => BatchPlan): Promise<BatchPlan> {
    return this.#transaction(async (client) => {
      await client.query('SET LOCAL synchronous_commit = on')
      const { rows } = await client.query(HEAD_SQL)
      const built = plan(toHead(rows[0]))
      await client.query(APPEND_SQL, appendValues(built))
      return built
    })
  }

  async select (filter: AuditFilter, range: SeqRange): Promise<AuditRecord[]> {
    const { text, values } = selectSql(filter, range, (n) => `$${n}`)
    const { rows } = await this.#pool.query(text, values)
    return rows.map((row) => fromRow(row, decode))
  }

  async checkpoints (range: SeqRange): Promise<AuditCheckpoint[]> {
    const { text, values } = checkpointSql(range, (n) => `$${n}`)
    const { rows } = await this.#pool.query(text, values)
    return rows.map((row) => ({
      seq: Number(row.seq),
      hash: row.hash,
      time: row.time,
      keyId: row.key_id,
      signature: row.signature
    }))
  }

  async claimedEnd (): Promise<number> {
    const { rows } = await this.#pool.query(`SELECT greatest(
      coalesce((SELECT seq FROM audit_head WHERE id), 0),
      coalesce((SELECT max(seq) FROM audit_checkpoints), 0)) AS claimed`)
    return Number(rows[0].claimed)
  }

  close (): Promise<void> {
    return this.#pool.end()
  }

  async #transaction<T> (body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect()
    try {
      await client.query('BEGIN')
      const result = await body(client)
      await client.query('COMMIT')
      client.release()
      return result
    } catch (err) {
      // The connection may be the thing that failed: drop it rather than reuse it.
      client.release(err as Error)
      throw err
    }
  }
}

function toHead (row: Record<string, unknown> | undefined): ChainHead {
  if (row === undefined) throw new Error('the audit_head row is missing')
  return {
    seq: Number(row.seq),
    hash: row.hash as string,
    checkpointSeq: Number(row.checkpoint_seq),
    checkpointAt: (row.checkpoint_at as Date).toISOString()
  }
}

function decode (field: string, value: unknown): unknown {
  if (field === 'seq') return Number(value)
  if (value instanceof Date) return value.toISOString()
  return value
}
