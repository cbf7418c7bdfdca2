import envSchema from 'env-schema'
import addFormats from 'ajv-formats'

// Every setting the gateway process reads. Units are in the names; secrets have no
// defaults. The simulator ports only matter for the simulators this process starts.
const schema = {
  type: 'object',
  required: [],
  properties: {
    NODE_ENV: { type: 'string', default: 'development' },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info'
    },
    POPULATION_URL: { type: 'string', format: 'uri' },
    CIVIL_STATUS_URL: { type: 'string', format: 'uri' },
    VNEID_URL: { type: 'string', format: 'uri' },
    // PEM bundle of the Ed25519 public keys VNeID signs documents with; no default.
    VNEID_PUBLIC_KEYS: { type: 'string', minLength: 1 },
    SIMULATOR_HOST: { type: 'string', default: '127.0.0.1' },
    POPULATION_SIM_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8081 },
    CIVIL_STATUS_SIM_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8082 },
    VNEID_SIM_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8083 },
    SIMULATOR_DATASETS: { type: 'string', default: 'fixtures/personas,fixtures/generated' },
    CLIENTS_FILE: { type: 'string', default: 'fixtures/clients.json' },
    PROCEDURES_FILE: { type: 'string', default: 'fixtures/procedures.json' },
    COUNTERS_FILE: { type: 'string', default: 'fixtures/counters.json' },
    UPSTREAM_CONNECT_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 1000 },
    UPSTREAM_HEADERS_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 2000 },
    UPSTREAM_BODY_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 2000 },
    UPSTREAM_DEADLINE_MS: { type: 'integer', minimum: 1, default: 3000 },
    UPSTREAM_RETRIES: { type: 'integer', minimum: 0, maximum: 5, default: 2 },
    UPSTREAM_CONNECTIONS: { type: 'integer', minimum: 1, default: 128 },
    REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 15000 },
    HEADERS_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 10000 },
    KEEP_ALIVE_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 72000 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, default: 65536 },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, default: 10000 },
    TRUST_PROXY: { type: 'boolean', default: false },
    REDIS_URL: { type: 'string', format: 'uri' },
    CACHE_KEY_PREFIX: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$', default: 'cdg' },
    CACHE_ENCRYPTION_KEY: { type: 'string' },
    CACHE_ENCRYPTION_KEY_PREVIOUS: { type: 'string' },
    CACHE_KEY_SECRET: { type: 'string', minLength: 32 },
    CACHE_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 150 },
    CACHE_MEMORY_MAX_ENTRIES: { type: 'integer', minimum: 1, default: 100_000 },
    CACHE_LOCAL_TTL_MS: { type: 'integer', minimum: 0, default: 5000 },
    CACHE_TTL_POPULATION_S: { type: 'integer', minimum: 1, default: 600 },
    CACHE_TTL_CIVIL_STATUS_S: { type: 'integer', minimum: 1, default: 600 },
    CACHE_TTL_VNEID_S: { type: 'integer', minimum: 1, default: 300 },
    CACHE_NEGATIVE_TTL_S: { type: 'integer', minimum: 0, default: 30 },
    CACHE_STALE_WINDOW_S: { type: 'integer', minimum: 0, default: 3600 },
    CHANGE_WEBHOOK_SECRET: { type: 'string', minLength: 32 },
    CHANGE_WEBHOOK_TOLERANCE_S: { type: 'integer', minimum: 1, default: 300 },
    RATE_LIMIT_MAX: { type: 'integer', minimum: 1, default: 1200 },
    RATE_LIMIT_WINDOW_S: { type: 'integer', minimum: 1, default: 60 },
    AUDIT_URL: { type: 'string', format: 'uri' },
    AUDIT_SQLITE_FILE: { type: 'string', default: 'data/audit.db' },
    AUDIT_SIGNING_KEY: { type: 'string' },
    AUDIT_SIGNING_KEY_FILE: { type: 'string', default: 'data/audit-signing-key.pem' },
    AUDIT_VERIFY_KEYS: { type: 'string' },
    AUDIT_CHECKPOINT_EVERY: { type: 'integer', minimum: 1, default: 1000 },
    AUDIT_CHECKPOINT_INTERVAL_S: { type: 'integer', minimum: 1, default: 60 }
  }
} as const

export interface Env {
  NODE_ENV: string
  HOST: string
  PORT: number
  LOG_LEVEL: string
  POPULATION_URL?: string
  CIVIL_STATUS_URL?: string
  VNEID_URL?: string
  VNEID_PUBLIC_KEYS?: string
  SIMULATOR_HOST: string
  POPULATION_SIM_PORT: number
  CIVIL_STATUS_SIM_PORT: number
  VNEID_SIM_PORT: number
  SIMULATOR_DATASETS: string
  CLIENTS_FILE: string
  PROCEDURES_FILE: string
  COUNTERS_FILE: string
  UPSTREAM_CONNECT_TIMEOUT_MS: number
  UPSTREAM_HEADERS_TIMEOUT_MS: number
  UPSTREAM_BODY_TIMEOUT_MS: number
  UPSTREAM_DEADLINE_MS: number
  UPSTREAM_RETRIES: number
  UPSTREAM_CONNECTIONS: number
  REQUEST_TIMEOUT_MS: number
  HEADERS_TIMEOUT_MS: number
  KEEP_ALIVE_TIMEOUT_MS: number
  BODY_LIMIT_BYTES: number
  SHUTDOWN_GRACE_MS: number
  TRUST_PROXY: boolean
  REDIS_URL?: string
  CACHE_KEY_PREFIX: string
  CACHE_ENCRYPTION_KEY?: string
  CACHE_ENCRYPTION_KEY_PREVIOUS?: string
  CACHE_KEY_SECRET?: string
  CACHE_TIMEOUT_MS: number
  CACHE_MEMORY_MAX_ENTRIES: number
  CACHE_LOCAL_TTL_MS: number
  CACHE_TTL_POPULATION_S: number
  CACHE_TTL_CIVIL_STATUS_S: number
  CACHE_TTL_VNEID_S: number
  CACHE_NEGATIVE_TTL_S: number
  CACHE_STALE_WINDOW_S: number
  CHANGE_WEBHOOK_SECRET?: string
  CHANGE_WEBHOOK_TOLERANCE_S: number
  RATE_LIMIT_MAX: number
  RATE_LIMIT_WINDOW_S: number
  AUDIT_URL?: string
  AUDIT_SQLITE_FILE: string
  AUDIT_SIGNING_KEY?: string
  AUDIT_SIGNING_KEY_FILE: string
  AUDIT_VERIFY_KEYS?: string
  AUDIT_CHECKPOINT_EVERY: number
  AUDIT_CHECKPOINT_INTERVAL_S: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
  code = 'CONFIG_INVALID'
}

/**
 * Reads and checks the environment. The thrown message names each bad variable, e.g.
 * `PORT must be integer`, and never echoes its value: a mistyped secret stays secret.
 */
export function loadEnv (data: NodeJS.ProcessEnv = process.env): Env {
  let env: Env
  try {
    env = envSchema<Env>({
      schema,
      data,
      dotenv: false,
      ajv: { customOptions: (ajv) => addFormats.default(ajv, ['uri']) }
    })
  } catch (err) {
    const message = (err as Error).message.replaceAll('env/', '')
    throw new ConfigError(`invalid configuration: ${message}`)
  }
  // In every environment: without the keys no VNeID document could be trusted, and a
  // gateway that served them unverified would be worse than one that does not start.
  if (env.VNEID_URL !== undefined && env.VNEID_PUBLIC_KEYS === undefined) {
    throw new ConfigError('invalid configuration: VNEID_PUBLIC_KEYS is required when VNEID_URL is set')
  }
  return env
}
