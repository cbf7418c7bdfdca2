// The servers a bench run measures, in a process of their own so that the load
// generator does not compete with them for the same core. Prints one JSON line with
// the URLs and a key, then serves until killed.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { createClient } from 'redis'
import { buildGateway } from '../gateway/app.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientRegistry, hashKey } from '../access/client-registry.js'
import { createMetrics } from '../gateway/metrics.js'
import { createRecordCache } from '../cache/setup.js'
import { Registers } from '../sources/registers.js'
import { documentKeys } from '../sources/document-signature.js'
import { startSimulators } from '../simulators/start.js'
import { fromRoot } from '../paths.js'
import { Catalogue } from '../access/catalogue.js'
import { Counters } from '../access/counters.js'
import { postgresAuditLog, sqliteAuditLog, type BenchAuditLog } from './audit-logs.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const PREFIX = `bench-${randomBytes(4).toString('hex')}`
const KEY = `bench_${randomBytes(24).toString('base64url')}`
const SETTINGS = {
  connectTimeoutMs: 1000,
  headersTimeoutMs: 2000,
  bodyTimeoutMs: 2000,
  deadlineMs: 5000,
  retries: 0,
  connections: 128
}
const MINUTE_MS = 60_000

const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const counters = Counters.fromFile(fromRoot('fixtures', 'counters.json'))

// One clients file for every gateway of the run, removed with the run.
const CLIENTS_DIR = mkdtempSync(join(tmpdir(), 'cdg-bench-clients-'))

function benchClients (): ClientRegistry {
  const path = join(CLIENTS_DIR, 'clients.json')
  writeFileSync(path, JSON.stringify({
    clients: [{
      id: 'bench',
      name: 'bench',
      demo: false,
      keys: [{ id: 'k', sha256: hashKey(KEY).toString('hex'), createdAt: new Date().toISOString() }],
      scopes: ['population:read', 'civil-status:read', 'documents:read', 'requirements:check'],
      procedures: ['*']
    }]
  }))
  return new ClientRegistry({ path, catalogue, logger: { info: () => {}, error: () => {} }, watch: false })
}

function url (app: FastifyInstance): string {
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

interface GatewaySetup {
  /** Names the gateway's keys in Redis. */
  name: string
  cache: 'none' | 'redis'
  /** How long (ms) the memory tier keeps a record; 0 leaves Redis alone. */
  localTtlMs: number
  /** Where its audit records go; none turns auditing off (the baseline). */
  audit?: BenchAuditLog
}

/** The simulators a gateway reads, and the key VNeID signs documents with. */
interface Upstreams {
  urls: Record<string, string>
  vneidKeyPem: string
}

async function gateway (upstreams: Upstreams, opts: GatewaySetup):
Promise<FastifyInstance> {
  const logger = pino({ level: 'warn' })
  const metrics = createMetrics()
  const setup = opts.cache === 'none'
    ? undefined
    : await createRecordCache({
      redisUrl: REDIS_URL,
      prefix: `${PREFIX}-${opts.name}`,
      encryptionKey: randomBytes(32).toString('base64'),
      keySecret: randomBytes(32).toString('base64'),
      timeoutMs: 500,
      maxEntries: 100_000,
      localTtlMs: opts.localTtlMs,
      policy: {
        ttlMs: { population: 10 * MINUTE_MS, civilStatus: 10 * MINUTE_MS, vneid: 10 * MINUTE_MS },
        negativeTtlMs: MINUTE_MS,
        staleWindowMs: MINUTE_MS,
        tombstoneMs: 10_000
      },
      logger,
      metrics
    })
  const registers = new Registers({
    urls: upstreams.urls as never,
    settings: SETTINGS,
    cache: setup?.records,
    observe: metrics.observeRegister,
    documentKeys: documentKeys([upstreams.vneidKeyPem])
  })
  const audit = opts.audit?.open(metrics.auditCommitted) ?? null
  const app = await buildGateway({
    counters,
    logger,
    metrics,
    registers,
    rateLimit: { max: 1_000_000_000, windowMs: MINUTE_MS },
    catalogue,
    changeEvents: { secret: randomBytes(32).toString('hex'), toleranceSeconds: 300 },
    clients: benchClients(),
    refuseDemoClients: false,
    bodyLimitBytes: 65_536,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 72_000,
    trustProxy: false,
    audit
  })
  // After the server: the store drains what it was given before it lets go.
  app.addHook('onClose', async () => { await audit?.close() })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return app
}

// The yardstick: a Fastify route that does one Redis GET of a ready string (a real
// population record, about 2 KB of Vietnamese JSON) and sends it as it is. A gateway
// that reads Redis cannot answer more cheaply than that.
async function baseline (sample: string): Promise<FastifyInstance> {
  const redis = createClient({ url: REDIS_URL })
  redis.on('error', () => {})
  await redis.connect()
  const key = `${PREFIX}:baseline`
  await redis.set(key, sample, { PX: 10 * MINUTE_MS })
  const app = Fastify()
  app.get('/baseline', async (_req, reply) => reply.type('application/json').send(await redis.get(key)))
  app.addHook('onClose', async () => { await redis.del(key); redis.destroy() })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return app
}

async function firstPersonJson (population: string): Promise<string> {
  const { persons } = JSON.parse(readFileSync(fromRoot('fixtures', 'personas', 'population.json'), 'utf8'))
  const res = await fetch(`${population}/persons/${persons[0].citizenId}`)
  return await res.text()
}

async function startGateways (urls: Upstreams,
  logs: Record<BenchAuditLog['kind'], BenchAuditLog>): Promise<Record<string, FastifyInstance>> {
  const sample = await firstPersonJson(urls.urls.population)
  return {
    tiered: await gateway(urls, { name: 'tiered', cache: 'redis', localTtlMs: 5000 }),
    redisOnly: await gateway(urls, { name: 'redis', cache: 'redis', localTtlMs: 0 }),
    uncached: await gateway(urls, { name: 'none', cache: 'none', localTtlMs: 0 }),
    // The tiered gateway again, each time with an audit log: what auditing costs.
    auditSqlite: await gateway(urls, {
      name: 'audit-sqlite', cache: 'redis', localTtlMs: 5000, audit: logs.sqlite
    }),
    auditPostgres: await gateway(urls, {
      name: 'audit-postgres', cache: 'redis', localTtlMs: 5000, audit: logs.postgres
    }),
    baseline: await baseline(sample)
  }
}

async function main (): Promise<void> {
  const datasets = (process.env.BENCH_DATASETS ?? '').split(',').filter(Boolean)
  const sims = await startSimulators({
    datasets, host: '127.0.0.1', ports: {}, which: ['population', 'civilStatus', 'vneid']
  })
  const urls = sims.urls as Record<string, string>
  const logs = { sqlite: sqliteAuditLog(), postgres: await postgresAuditLog() }
  let apps: FastifyInstance[] = []
  const stop = async () => {
    await Promise.all(apps.map((a) => a.close()))
    await Promise.all(Object.values(logs).map((l) => l.remove()))
    await sims.close()
    rmSync(CLIENTS_DIR, { recursive: true, force: true })
  }
  try {
    const servers = await startGateways({ urls, vneidKeyPem: sims.documentSigning.publicKeyPem }, logs)
    apps = Object.values(servers)
    const addresses = Object.entries(servers).map(([name, app]) => [name, url(app)])
    process.stdout.write(JSON.stringify({
      key: KEY, simulators: urls, ...Object.fromEntries(addresses)
    }) + '\n')
  } catch (err) {
    await stop()
    throw err
  }
  // Ctrl-C reaches this process too: it still drops the bench's database.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop().catch((err) => { console.error(err); process.exitCode = 1 })
        .finally(() => process.exit())
    })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
