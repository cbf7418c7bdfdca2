// Starts the simulators and the gateway on free ports for one test, with a client
// of the test's own, and closes everything with the test.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import type { Test } from 'tap'
import { request } from 'undici'
import { buildGateway } from '../../src/gateway/app.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientRegistry, hashKey, type ClientRecord } from '../../src/access/client-registry.js'
import { Registers, type ClientSettings } from '../../src/sources/registers.js'
import { createMetrics } from '../../src/gateway/metrics.js'
import { createRecordCache, type CacheSetup } from '../../src/cache/setup.js'
import type { RecordPolicy } from '../../src/cache/records.js'
import { RedisRateStore } from '../../src/gateway/access/rate-limit-store.js'
import { Catalogue, type Procedure } from '../../src/access/catalogue.js'
import { Counters } from '../../src/access/counters.js'
import {
  CIVIL_STATUS_PATHS,
  DOCUMENT_FIELDS,
  DOCUMENT_TYPES,
  POPULATION_PATHS
} from '../../src/access/field-paths.js'
import { startSimulators, type RunningSimulators } from '../../src/simulators/start.js'
import { fromRoot } from '../../src/paths.js'
import type { SourceName } from '../../src/sources/types.js'
import { documentKeys } from '../../src/sources/document-signature.js'
import type { AuditStore } from '../../src/audit/index.js'
import { makeStore, type StoreKind, type StoreTarget } from './audit-stores.js'

export const PERSONAS = fromRoot('fixtures', 'personas')

export interface StackOptions {
  datasets?: string[]
  refuseDemoClients?: boolean
  clients?: ClientRecord[]
  upstream?: Partial<ClientSettings>
  /** Registers to point at a URL instead of a simulator. */
  urls?: Partial<Record<SourceName, string>>
  /** The cache in front of the registers (default: memory). */
  cache?: 'none' | 'memory' | 'redis'
  /** Redis to use with cache 'redis' (default: the machine's). */
  redisUrl?: string
  policy?: Partial<RecordPolicy>
  /** Key prefix in Redis (default: unique per stack). */
  prefix?: string
  /** Requests per client per window (default: plenty). */
  rateLimit?: { max: number, windowMs: number, shared?: boolean }
  /** Where audit records go: a SQLite file of the test's (default) or a PostgreSQL schema. */
  audit?: StoreKind | AuditStore
  /** VNeID public keys (PEM) the gateway trusts (default: the simulator's). */
  vneidKeys?: string[]
  /** The private key (PEM) the VNeID simulator signs with (default: a new one). */
  vneidSigningKey?: string
}

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

export interface CallOptions {
  method?: 'GET' | 'POST'
  body?: unknown
  rawBody?: string
  headers?: Record<string, string>
  /** Send the test client's key (default true). */
  auth?: boolean
  /** Send the purpose headers (default true). */
  purpose?: boolean
}

export interface Stack {
  url: string
  key: string
  app: FastifyInstance
  sims: RunningSimulators
  /** Every log line the gateway wrote, parsed. */
  logs: Array<Record<string, unknown>>
  call: (path: string, opts?: CallOptions) => Promise<Reply>
  /** Sets a fault on one simulator through its sandbox API. */
  fault: (source: SourceName, fault: Record<string, unknown>) => Promise<void>
  /** Data requests a simulator has served. */
  calls: (source: SourceName) => Promise<number>
  /** Data requests a simulator has served on one route, e.g. `/persons/:citizenId`. */
  routeCalls: (source: SourceName, route: string) => Promise<number>
  /** POSTs a sandbox change to a simulator and returns its answer. */
  change: (source: SourceName, path: string, body: unknown) => Promise<Reply>
  cache: CacheSetup | undefined
  prefix: string
  audit: AuditStore
  /** Where the audit store lives, when the stack made it. */
  auditTarget: StoreTarget | undefined
}

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdef0123'

export const POLICY: RecordPolicy = {
  ttlMs: { population: 60_000, civilStatus: 60_000, vneid: 60_000 },
  negativeTtlMs: 10_000,
  staleWindowMs: 60_000,
  tombstoneMs: 5_000
}

/**
 * A procedure of the tests' own that may read everything, so tests about the
 * registers see whole answers; minimisation has tests of its own with real ones.
 */
export const READ_ALL: Procedure = {
  code: 'TEST-ALL',
  illustrative: true,
  name: 'Test procedure reading every field',
  level: 'both',
  legalBasis: 'tests only',
  covert: false,
  data: {
    population: [...POPULATION_PATHS],
    civilStatus: [...CIVIL_STATUS_PATHS],
    vneid: { documentTypes: [...DOCUMENT_TYPES], fields: [...DOCUMENT_FIELDS] }
  },
  parties: [{ role: 'applicant', required: true }],
  requirements: []
}

export const PURPOSE = {
  'x-procedure-code': READ_ALL.code,
  'x-dossier-id': 'HS-2026-000123',
  'x-officer-id': 'CB-0042'
}

export const SETTINGS: ClientSettings = {
  connectTimeoutMs: 500,
  headersTimeoutMs: 1000,
  bodyTimeoutMs: 1000,
  deadlineMs: 1500,
  retries: 1,
  connections: 16
}

function testClient (): { key: string, client: ClientRecord } {
  const key = `test_${randomBytes(24).toString('base64url')}`
  return {
    key,
    client: {
      id: 'test-client',
      name: 'Test procedure system',
      demo: false,
      keys: [{ id: 'k1', sha256: hashKey(key).toString('hex'), createdAt: '2026-12-01T00:00:00Z' }],
      scopes: ['population:read', 'civil-status:read', 'documents:read', 'verify', 'match'],
      procedures: ['*']
    }
  }
}

function logCapture (): { logs: Array<Record<string, unknown>>, stream: Writable } {
  const logs: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write (chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') logs.push(JSON.parse(line))
      done()
    }
  })
  return { logs, stream }
}

export async function call (url: string, opts: CallOptions & { key?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {}
  if (opts.auth !== false && opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`
  if (opts.purpose !== false) Object.assign(headers, PURPOSE)
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json'
  Object.assign(headers, opts.headers)
  const res = await request(url, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body))
  })
  const text = await res.body.text()
  let json: unknown
  try { json = JSON.parse(text) } catch {}
  return { status: res.statusCode, headers: res.headers, text, json }
}

/** A registry file of the test's own, read without watching. */
export function registryOf (t: Test, catalogue: Catalogue, clients: ClientRecord[]): ClientRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'cdg-clients-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'clients.json')
  writeFileSync(path, JSON.stringify({ clients }))
  return new ClientRegistry({ path, catalogue, logger: { info: () => {}, error: () => {} }, watch: false })
}

export async function startStack (t: Test, opts: StackOptions = {}): Promise<Stack> {
  const which = (['population', 'civilStatus', 'vneid'] as SourceName[])
    .filter((n) => opts.urls?.[n] === undefined)
  const sims = await startSimulators({
    datasets: opts.datasets ?? [PERSONAS],
    host: '127.0.0.1',
    ports: {},
    which,
    documentSigningKey: opts.vneidSigningKey
  })
  t.teardown(() => sims.close())
  const urls = { ...sims.urls, ...opts.urls } as Record<SourceName, string>
  const { logs, stream } = logCapture()
  const logger = pino({ level: 'debug' }, stream)
  const metrics = createMetrics()
  const prefix = opts.prefix ?? `test-${randomBytes(6).toString('hex')}`
  const kind = opts.cache ?? 'memory'
  const cache = kind === 'none'
    ? undefined
    : await createRecordCache({
      redisUrl: kind === 'redis' ? opts.redisUrl ?? REDIS_URL : undefined,
      prefix,
      encryptionKey: randomBytes(32).toString('base64'),
      keySecret: randomBytes(32).toString('base64'),
      timeoutMs: 150,
      maxEntries: 10_000,
      localTtlMs: 1_000,
      policy: { ...POLICY, ...opts.policy },
      logger,
      metrics
    })
  if (cache !== undefined) t.teardown(() => cache.close())
  const registers = new Registers({
    urls,
    settings: { ...SETTINGS, ...opts.upstream },
    cache: cache?.records,
    observe: metrics.observeRegister,
    documentKeys: documentKeys(opts.vneidKeys ?? [sims.documentSigning.publicKeyPem]),
    onDocumentRejected: (rejected) => logger.warn(rejected, 'vneid document signature invalid: not served')
  })
  t.teardown(() => registers.close())
  const { key, client } = testClient()
  const catalogue = new Catalogue([
    ...Catalogue.fromFile(fromRoot('fixtures', 'procedures.json')).all(), READ_ALL
  ])
  const clients = registryOf(t, catalogue, [client, ...(opts.clients ?? [])])
  const rateStore = opts.rateLimit?.shared === true
    ? new RedisRateStore({ url: opts.redisUrl ?? REDIS_URL, prefix, timeoutMs: 150, logger })
    : undefined
  await rateStore?.start()
  if (rateStore !== undefined) t.teardown(() => rateStore.close())
  const made = typeof opts.audit === 'object' ? undefined : await makeStore(t, opts.audit ?? 'sqlite')
  const audit = typeof opts.audit === 'object' ? opts.audit : made!.store
  const app = await buildGateway({
    audit,
    counters: Counters.fromFile(fromRoot('fixtures', 'counters.json')),
    catalogue,
    rateLimit: {
      max: opts.rateLimit?.max ?? 100_000,
      windowMs: opts.rateLimit?.windowMs ?? 60_000,
      store: rateStore
    },
    logger,
    metrics,
    changeEvents: { secret: WEBHOOK_SECRET, toleranceSeconds: 300 },
    registers,
    clients,
    refuseDemoClients: opts.refuseDemoClients ?? false,
    bodyLimitBytes: 16 * 1024,
    requestTimeoutMs: 10_000,
    keepAliveTimeoutMs: 5_000,
    trustProxy: false
  })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  sims.setWebhooks({ urls: [`${url}/events/changes`], secret: WEBHOOK_SECRET })
  const stats = async (source: SourceName) => {
    const res = await request(`${sims.urls[source]}/_sandbox/stats`)
    return (await res.body.json()) as { calls: number, byRoute: Record<string, number> }
  }
  return {
    audit,
    auditTarget: made?.target,
    cache,
    prefix,
    url,
    key,
    app,
    sims,
    logs,
    call: (path, o = {}) => call(url + path, { key, ...o }),
    fault: async (source, fault) => {
      const res = await request(`${sims.urls[source]}/_sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault)
      })
      await res.body.dump()
      if (res.statusCode >= 300) throw new Error(`fault not set: ${res.statusCode}`)
    },
    calls: async (source) => (await stats(source)).calls,
    routeCalls: async (source, route) => (await stats(source)).byRoute[route] ?? 0,
    change: (source, path, body) =>
      call(`${sims.urls[source]}/_sandbox/changes${path}`, { method: 'POST', body, auth: false, purpose: false })
  }
}
