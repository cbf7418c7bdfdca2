// Audit stores for one test: a SQLite file in the test's own directory, or a
// PostgreSQL schema of its own inside a database made for this test run and
// dropped when the run ends. Tampering goes through the real sqlite3 and psql CLIs.
import { execFile } from 'node:child_process'
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import tap, { type Test } from 'tap'
import {
  PostgresAuditStore, SqliteAuditStore, type AuditCheck, type AuditCheckItem,
  type AuditEvent, type AuditStore, type AuditStoreOptions
} from '../../src/audit/index.js'

const run = promisify(execFile)

export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres'

export type StoreKind = 'sqlite' | 'postgres'

/** Where a store lives: a file or a connection string (schema chosen in it). */
export interface StoreTarget {
  kind: StoreKind
  location: string
}

export interface MadeStore {
  store: AuditStore
  target: StoreTarget
  key: KeyObject
  /** Another store on the same target, closed with the test. */
  open: (opts?: Partial<AuditStoreOptions>) => AuditStore
}

export function newSigningKey (): KeyObject {
  return generateKeyPairSync('ed25519').privateKey
}

let runDatabase: Promise<string> | undefined

// One database per test process, dropped when the process's tests end.
function database (): Promise<string> {
  runDatabase ??= (async () => {
    const name = `audit_test_${process.pid}_${randomBytes(4).toString('hex')}`
    await adminQuery(`CREATE DATABASE ${name}`)
    tap.teardown(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    return name
  })()
  return runDatabase
}

async function adminQuery (sql: string, url = PG_ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

let targets = 0
const dirs = new WeakMap<Test, string>()

/** The test's own directory; t.testdir() empties it on every call, so call it once. */
export function testDir (t: Test): string {
  const dir = dirs.get(t) ?? t.testdir()
  dirs.set(t, dir)
  return dir
}

/** A fresh target of the kind: an empty file path or an empty schema. */
export async function newTarget (t: Test, kind: StoreKind): Promise<StoreTarget> {
  const n = ++targets
  if (kind === 'sqlite') return { kind, location: join(testDir(t), `audit-${n}.db`) }
  const db = await database()
  const schema = `s${n}_${randomBytes(3).toString('hex')}`
  const dbUrl = PG_ADMIN_URL.replace(/\/[^/?]*(\?.*)?$/, `/${db}`)
  await adminQuery(`CREATE SCHEMA ${schema}`, dbUrl)
  t.teardown(() => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`, dbUrl))
  const options = encodeURIComponent(`-c search_path=${schema}`)
  return { kind, location: `${dbUrl}?options=${options}` }
}

export function openStore (target: StoreTarget,
  opts: Partial<AuditStoreOptions>): AuditStore {
  return target.kind === 'sqlite'
    ? new SqliteAuditStore({ ...opts, file: target.location })
    : new PostgresAuditStore({ ...opts, url: target.location })
}

/** A store on a fresh target, signing with a key of its own, closed with the test. */
export async function makeStore (t: Test, kind: StoreKind,
  opts: Partial<AuditStoreOptions> = {}): Promise<MadeStore> {
  const target = await newTarget(t, kind)
  const key = newSigningKey()
  const open = (more: Partial<AuditStoreOptions> = {}) => {
    const store = openStore(target, { signingKey: key, ...opts, ...more })
    t.teardown(() => store.close())
    return store
  }
  return { store: open(), target, key, open }
}

/** Runs SQL on the target with its real command-line client, behind the store. */
export async function tamper (target: StoreTarget, sql: string): Promise<void> {
  if (target.kind === 'sqlite') {
    await run('sqlite3', [target.location, sql])
  } else {
    await run('psql', [target.location, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql])
  }
}

let requests = 0

/** A requirement check of one document for one applicant, as a record carries it. */
export function sampleCheck (status: AuditCheckItem['status'], reason: string | null,
  outsideResidence: boolean | null): AuditCheck {
  return {
    parties: [{ role: 'applicant', citizenId: '001090000001' }],
    items: [{
      requirementId: 'applicant-id-card',
      documentType: 'id-card',
      role: 'applicant',
      status,
      reason,
      source: 'vneid'
    }],
    outsideResidence
  }
}

/** An event with plausible values; the overrides say what the test is about. */
export function auditEvent (over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: new Date().toISOString(),
    requestId: `req-${++requests}`,
    clientId: 'client-dvc-hanoi',
    officerId: 'officer-17',
    procedureCode: '1.001',
    dossierId: 'HS-2025-0001',
    counterCode: 'Q1',
    citizenIds: ['001090000001'],
    operation: 'citizens.get',
    method: 'GET',
    route: '/v1/citizens/:id',
    fields: ['identity.fullName', 'residence.permanent'],
    sources: [{ register: 'population', cache: 'miss' }],
    outcome: 'allowed',
    status: 200,
    reason: null,
    covertUntil: null,
    requestHash: null,
    responseHash: 'sha256:9f2c',
    ...over
  }
}

/** Appends one after another, so each commit holds one record. */
export async function appendInOrder (store: AuditStore, count: number,
  over: (i: number) => Partial<AuditEvent> = () => ({})) {
  const records = []
  for (let i = 0; i < count; i++) records.push(await store.append(auditEvent(over(i))))
  return records
}

export async function collect<T> (items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
