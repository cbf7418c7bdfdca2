import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { ConfigError, type Env } from './env.js'

export interface Secrets {
  /** Current AES-256-GCM key of the Redis cache (32 bytes, base64 in the environment). */
  cacheEncryptionKey: string
  cacheEncryptionKeyPrevious?: string
  /** HMAC key that turns citizen ids into cache key names. */
  cacheKeySecret: string
  /** Shared with the registers that sign change events. */
  changeWebhookSecret: string
}

const NAMES = {
  cacheEncryptionKey: 'CACHE_ENCRYPTION_KEY',
  cacheKeySecret: 'CACHE_KEY_SECRET',
  changeWebhookSecret: 'CHANGE_WEBHOOK_SECRET'
} as const

/**
 * The secrets the gateway runs with. In production each one that is needed must come
 * from the environment: the cache secrets when Redis is used (a memory cache never
 * leaves the process), the webhook secret always. Elsewhere a missing one is generated
 * for this process only, so `npm start` works on a bare machine; a warning names it
 * when something outside the process would need it (Redis, or a real register).
 */
export function resolveSecrets (env: Env, logger: Logger): Secrets {
  const production = env.NODE_ENV === 'production'
  const shared = env.REDIS_URL !== undefined
  const external = [env.POPULATION_URL, env.CIVIL_STATUS_URL, env.VNEID_URL]
    .some((url) => url !== undefined)
  const pick = (field: keyof typeof NAMES, neededOutside: boolean): string => {
    const name = NAMES[field]
    const given = env[name]
    if (given !== undefined) return given
    if (production && (neededOutside || field === 'changeWebhookSecret')) {
      throw new ConfigError(`invalid configuration: ${name} is required in production`)
    }
    if (neededOutside) logger.warn({ variable: name }, 'secret not set: generated for this process only')
    return randomBytes(32).toString('base64')
  }
  return {
    cacheEncryptionKey: pick('cacheEncryptionKey', shared),
    ...(env.CACHE_ENCRYPTION_KEY_PREVIOUS === undefined
      ? {}
      : { cacheEncryptionKeyPrevious: env.CACHE_ENCRYPTION_KEY_PREVIOUS }),
    cacheKeySecret: pick('cacheKeySecret', shared),
    changeWebhookSecret: pick('changeWebhookSecret', external)
  }
}
