// The audit logs a bench run writes to: a SQLite file in a temporary directory,
// and a PostgreSQL database made for the run. Both are removed when the run ends,
// so a bench leaves no records behind.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import {
  PostgresAuditStore, SqliteAuditStore, type AuditStore, type CommitInfo
} from '../audit/index.js'

/** An administrative connection: the bench creates and drops a database with it. */
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres'

export interface BenchAuditLog {
  kind: 'sqlite' | 'postgres'
  /** A store on this log; the caller closes it before `remove`. */
  open: (onCommit: (info: CommitInfo) => void) => AuditStore
  remove: () => Promise<void>
}

// Checkpoints are signed with a throwaway key: nobody verifies a bench's log.
function throwawayKey () {
  return generateKeyPairSync('ed25519').privateKey
}

export function sqliteAuditLog (): BenchAuditLog {
  const dir = mkdtempSync(join(tmpdir(), 'cdg-bench-audit-'))
  return {
    kind: 'sqlite',
    open: (onCommit) => new SqliteAuditStore({
      file: join(dir, 'audit.db'), signingKey: throwawayKey(), onCommit
    }),
    remove: async () => rmSync(dir, { recursive: true, force: true })
  }
}

async function admin (sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export async function postgresAuditLog (): Promise<BenchAuditLog> {
  const name = `cdg_bench_audit_${randomBytes(4).toString('hex')}`
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return {
    kind: 'postgres',
    open: (onCommit) => new PostgresAuditStore({
      url: url.href, signingKey: throwawayKey(), onCommit
    }),
    // FORCE: a connection the pool has not yet let go must not keep the database.
    remove: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}
