import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { RateLimited } from '../errors.js'
import { memoryCount, pluginStore, type RedisRateStore } from './rate-limit-store.js'

export interface RateLimitOptions {
  /** Requests a client may make per window. */
  max: number
  /** Length of the window, in ms. */
  windowMs: number
  /** Shared counts across instances; in-process counts without it. */
  store?: RedisRateStore
}

// Registered after authentication in the /v1 scope: the plugin's per-route hook runs
// after the scope's own hooks, so the count is keyed by the authenticated client,
// never by an address that a proxy or a shared NAT would make meaningless.
async function limits (app: FastifyInstance, opts: RateLimitOptions) {
  await app.register(rateLimit, {
    global: true,
    max: opts.max,
    timeWindow: opts.windowMs,
    hook: 'onRequest',
    keyGenerator: (req) => req.access?.client.id ?? 'anonymous',
    skipOnError: true,
    store: opts.store?.asPluginStore() ?? pluginStore(memoryCount()),
    // The plugin has already set Retry-After from the window's remaining time.
    errorResponseBuilder: () => new RateLimited()
  })
}

export default fp(limits, { name: 'rate-limit' })
