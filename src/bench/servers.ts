// The servers a bench run measures, in a process of their own so that the load
// generator does not compete with them for the same core. Prints one JSON line with
// the URLs and a key, then serves until killed.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { createClient } from 'redis'
import { buildGateway } from '../gateway/app.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientRegistry, hashKey } from '../access/client-registry.js'
import { createMetrics } from '../gateway/metrics.js'
import { createRecordCache } from '../cache/setup.js'
import { Registers } from '../sources/registers.js'
import { startSimulators } from '../simulators/start.js'
import { fromRoot } from '../paths.js'
import { Catalogue } from '../access/catalogue.js'

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

function benchClients (): ClientRegistry {
  const path = join(mkdtempSync(join(tmpdir(), 'cdg-bench-clients-')), 'clients.json')
  writeFileSync(path, JSON.stringify({
    clients: [{
      id: 'bench',
      name: 'bench',
      demo: false,
      keys: [{ id: 'k', sha256: hashKey(KEY).toString('hex'), createdAt: new Date().toISOString() }],
      scopes: ['population:read', 'civil-status:read', 'documents:read'],
      procedures: ['*']
    }]
  }))
  return new ClientRegistry({ path, catalogue, logger: { info: () => {}, error: () => {} }, watch: false })
}

function url (app: FastifyInstance): string {
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

async function gateway (sims: Record<string, string>, cache: 'none' | 'redis',
  localTtlMs: number): Promise<FastifyInstance> {
  const logger = pino({ level: 'warn' })
  const metrics = createMetrics()
  const setup = cache === 'none'
    ? undefined
    : await createRecordCache({
      redisUrl: REDIS_URL,
      prefix: `${PREFIX}-${localTtlMs}`,
      encryptionKey: randomBytes(32).toString('base64'),
      keySecret: randomBytes(32).toString('base64'),
      timeoutMs: 500,
      maxEntries: 100_000,
      localTtlMs,
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
    urls: sims as never, settings: SETTINGS, cache: setup?.records, observe: metrics.observeRegister
  })
  const app = await buildGateway({
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
    audit: null
  })
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

async function main (): Promise<void> {
  const datasets = (process.env.BENCH_DATASETS ?? '').split(',').filter(Boolean)
  const sims = await startSimulators({
    datasets, host: '127.0.0.1', ports: {}, which: ['population', 'civilStatus', 'vneid']
  })
  const urls = sims.urls as Record<string, string>
  const tiered = await gateway(urls, 'redis', 5000)
  const redisOnly = await gateway(urls, 'redis', 0)
  const uncached = await gateway(urls, 'none', 0)
  const sample = await firstPersonJson(urls.population)
  const base = await baseline(sample)
  process.stdout.write(JSON.stringify({
    key: KEY,
    simulators: urls,
    tiered: url(tiered),
    redisOnly: url(redisOnly),
    uncached: url(uncached),
    baseline: url(base)
  }) + '\n')
  process.on('SIGTERM', () => {
    Promise.all([tiered, redisOnly, uncached, base].map((a) => a.close()))
      .then(() => sims.close())
      .finally(() => process.exit(0))
  })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
