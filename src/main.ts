import { isAbsolute } from 'node:path'
import closeWithGrace from 'close-with-grace'
import { pino, type Logger } from 'pino'
import { ConfigError, loadEnv, type Env } from './config/env.js'
import { resolveSecrets, type Secrets } from './config/secrets.js'
import { createMetrics, type Metrics } from './gateway/metrics.js'
import { createRecordCache, type CacheSetup } from './cache/setup.js'
import { RedisRateStore } from './gateway/access/rate-limit-store.js'
import { Catalogue } from './access/catalogue.js'
import { Counters } from './access/counters.js'
import { buildGateway } from './gateway/app.js'
import { ClientRegistry } from './access/client-registry.js'
import { Registers, type RegisterUrls } from './sources/registers.js'
import { startSimulators, type RunningSimulators } from './simulators/start.js'
import type { SourceName } from './sources/types.js'
import { fromRoot } from './paths.js'
import { createAuditStore } from './config/audit.js'
import { vneidDocumentKeys } from './config/vneid.js'
import type { AuditStore } from './audit/index.js'

function pathFromEnv (value: string): string {
  return isAbsolute(value) ? value : fromRoot(value)
}

function createLogger (env: Env): Logger {
  return pino({
    level: env.LOG_LEVEL,
    // The gateway never logs requests as objects, but a stray serialised request
    // must still not carry credentials or the purpose of a citizen's dossier.
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'req.url', 'url'],
      censor: '[redacted]'
    }
  })
}

const UPSTREAM_VARS: Record<SourceName, keyof Env> = {
  population: 'POPULATION_URL',
  civilStatus: 'CIVIL_STATUS_URL',
  vneid: 'VNEID_URL'
}

// Only the registers without an upstream URL are simulated, so a team can point the
// gateway at one real register and keep the other two in the sandbox.
async function upstreams (env: Env, logger: Logger):
Promise<{ urls: RegisterUrls, simulators?: RunningSimulators }> {
  const names = Object.keys(UPSTREAM_VARS) as SourceName[]
  const missing = names.filter((n) => env[UPSTREAM_VARS[n]] === undefined)
  const simulators = missing.length === 0
    ? undefined
    : await startSimulators({
      datasets: env.SIMULATOR_DATASETS.split(',').map((d) => pathFromEnv(d.trim())),
      host: env.SIMULATOR_HOST,
      ports: {
        population: env.POPULATION_SIM_PORT,
        civilStatus: env.CIVIL_STATUS_SIM_PORT,
        vneid: env.VNEID_SIM_PORT
      },
      which: missing,
      logger: logger.child({ component: 'simulator' })
    })
  const url = (n: SourceName) =>
    (env[UPSTREAM_VARS[n]] as string | undefined) ?? simulators!.urls[n]!
  const urls = { population: url('population'), civilStatus: url('civilStatus'), vneid: url('vneid') }
  return { urls, simulators }
}

const SECOND_MS = 1000

// A database that is down at boot is not fatal: the store retries on each use and
// /readyz reports it, so the gateway starts, stays unready, and recovers by itself.
async function probeAudit (audit: AuditStore, logger: Logger): Promise<void> {
  try {
    await audit.checkpoints({ limit: 1 })
  } catch (err) {
    logger.warn({ err }, 'audit log unavailable at start-up; personal data is refused until it answers')
  }
}

function recordCache (env: Env, secrets: Secrets, logger: Logger, metrics: Metrics):
Promise<CacheSetup> {
  return createRecordCache({
    redisUrl: env.REDIS_URL,
    prefix: env.CACHE_KEY_PREFIX,
    encryptionKey: secrets.cacheEncryptionKey,
    previousEncryptionKey: secrets.cacheEncryptionKeyPrevious,
    keySecret: secrets.cacheKeySecret,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    maxEntries: env.CACHE_MEMORY_MAX_ENTRIES,
    localTtlMs: env.CACHE_LOCAL_TTL_MS,
    policy: {
      ttlMs: {
        population: env.CACHE_TTL_POPULATION_S * SECOND_MS,
        civilStatus: env.CACHE_TTL_CIVIL_STATUS_S * SECOND_MS,
        vneid: env.CACHE_TTL_VNEID_S * SECOND_MS
      },
      negativeTtlMs: env.CACHE_NEGATIVE_TTL_S * SECOND_MS,
      staleWindowMs: env.CACHE_STALE_WINDOW_S * SECOND_MS,
      // A read that began before an invalidation can last at most one deadline.
      tombstoneMs: 2 * env.UPSTREAM_DEADLINE_MS
    },
    logger: logger.child({ component: 'cache' }),
    metrics
  })
}

async function main (): Promise<void> {
  const env = loadEnv()
  const logger = createLogger(env)
  const secrets = resolveSecrets(env, logger)
  const metrics = createMetrics()
  const cache = await recordCache(env, secrets, logger, metrics)
  const rateStore = env.REDIS_URL === undefined
    ? undefined
    : new RedisRateStore({
      url: env.REDIS_URL,
      prefix: env.CACHE_KEY_PREFIX,
      timeoutMs: env.CACHE_TIMEOUT_MS,
      logger: logger.child({ component: 'rate-limit' })
    })
  await rateStore?.start()
  const { urls, simulators } = await upstreams(env, logger)
  // The simulator started here signs with a key of its own, made for this start.
  const simulatorKey = simulators?.urls.vneid === undefined
    ? undefined
    : simulators.documentSigning.publicKeyPem
  const registers = new Registers({
    urls,
    settings: {
      connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: env.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: env.UPSTREAM_BODY_TIMEOUT_MS,
      deadlineMs: env.UPSTREAM_DEADLINE_MS,
      retries: env.UPSTREAM_RETRIES,
      connections: env.UPSTREAM_CONNECTIONS
    },
    cache: cache.records,
    observe: metrics.observeRegister,
    documentKeys: vneidDocumentKeys(env, simulatorKey),
    // Once per copy of a wallet fetched, not per request: a document that fails is a
    // register's fault or an attack, and either needs someone to look.
    onDocumentRejected: (rejected) => logger.warn(rejected, 'vneid document signature invalid: not served')
  })
  const audit = createAuditStore({ env, logger, path: pathFromEnv, onCommit: metrics.auditCommitted })
  await probeAudit(audit, logger)
  const catalogue = Catalogue.fromFile(pathFromEnv(env.PROCEDURES_FILE))
  // Watched: a client added with `npm run clients:add` can call at once.
  const clients = new ClientRegistry({
    path: pathFromEnv(env.CLIENTS_FILE), catalogue, logger: logger.child({ component: 'clients' })
  })
  const app = await buildGateway({
    audit,
    counters: Counters.fromFile(pathFromEnv(env.COUNTERS_FILE)),
    logger,
    metrics,
    changeEvents: {
      secret: secrets.changeWebhookSecret,
      toleranceSeconds: env.CHANGE_WEBHOOK_TOLERANCE_S
    },
    registers,
    rateLimit: {
      max: env.RATE_LIMIT_MAX,
      windowMs: env.RATE_LIMIT_WINDOW_S * SECOND_MS,
      store: rateStore
    },
    catalogue,
    clients,
    refuseDemoClients: env.NODE_ENV === 'production',
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
    trustProxy: env.TRUST_PROXY
  })
  app.server.headersTimeout = env.HEADERS_TIMEOUT_MS
  closeWithGrace({ delay: env.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err !== undefined) logger.error({ err }, 'shutting down after an error')
    else logger.info({ signal }, 'shutting down')
    await app.close()
    // After the server: every answered request has been recorded; this writes the
    // last checkpoint.
    await audit.close()
    clients.close()
    await registers.close()
    await cache.close()
    await rateStore?.close()
    await simulators?.close()
  })
  const address = await app.listen({ host: env.HOST, port: env.PORT })
  // The simulators started first; now that the gateway listens they can deliver
  // change events to it.
  simulators?.setWebhooks({
    urls: [`${address}/events/changes`],
    secret: secrets.changeWebhookSecret
  })
  logger.info({
    address,
    upstreams: urls,
    simulated: Object.keys(simulators?.urls ?? {}),
    cache: cache.records.store.kind,
    audit: env.AUDIT_URL === undefined ? 'sqlite' : 'postgres',
    // From process start, module loading included: what an orchestrator waits for.
    startupMs: Math.round(process.uptime() * 1000)
  }, 'gateway ready')
}

main().catch((err: Error) => {
  // A configuration error is the operator's to fix: one clear line, no stack.
  if (err instanceof ConfigError) console.error(err.message)
  else console.error(err)
  // Start-up failed part-way: simulators may already listen and would keep the
  // process alive, so the entry point ends it rather than leave a half-started gateway.
  process.exit(1)
})
