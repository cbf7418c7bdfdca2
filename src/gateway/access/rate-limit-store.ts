import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import { createClient } from 'redis'
import {
  closeClient,
  connectInBackground,
  connectionOptions,
  withDeadline,
  type CacheLogger
} from '../../cache/redis-connection.js'
import { OutageLog } from '../../cache/outage-log.js'

// One fixed window per client and key: INCR, and start the window's expiry on the
// first hit. In a script so that every instance counting the same client agrees.
const COUNT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { current, redis.call('PTTL', KEYS[1]) }
`

type Count = (key: string, windowMs: number) => Promise<{ current: number, ttl: number }>

/**
 * The class the plugin instantiates around a counting function. Every route shares one
 * count per client (the plugin's own stores count per route): the limit is the
 * client's, not the route's.
 */
export function pluginStore (count: Count): FastifyRateLimitStoreCtor {
  return class implements FastifyRateLimitStore {
    incr (key: string, cb: Parameters<FastifyRateLimitStore['incr']>[1], windowMs: number): void {
      count(key, windowMs).then((r) => cb(null, r), (err: Error) => cb(err))
    }

    child (): FastifyRateLimitStore {
      return this
    }
  }
}

/** Fixed windows per client in process memory, for a gateway without Redis. */
export function memoryCount (): Count {
  const windows = new Map<string, { current: number, endsAt: number }>()
  return async (key, windowMs) => {
    const now = Date.now()
    let w = windows.get(key)
    if (w === undefined || w.endsAt <= now) {
      w = { current: 0, endsAt: now + windowMs }
      windows.set(key, w)
    }
    w.current++
    return { current: w.current, ttl: w.endsAt - now }
  }
}

export interface RedisRateStoreOptions {
  url: string
  prefix: string
  /** Deadline of every command, in ms. */
  timeoutMs: number
  logger: CacheLogger
}

/**
 * A store for @fastify/rate-limit over node-redis (its bundled Redis store speaks
 * ioredis), so the limit of a client holds across every gateway instance. When Redis
 * fails, the count fails too and the plugin lets the request through (skipOnError):
 * a limit is about fair shares, and refusing every counter because Redis is down
 * would be the worse outage.
 */
export class RedisRateStore {
  readonly #client
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #outage: OutageLog

  constructor (opts: RedisRateStoreOptions) {
    this.#client = createClient(connectionOptions({ url: opts.url }))
    this.#outage = new OutageLog(opts.logger, 'redis rate limiter', 'info')
    this.#client.on('error', (err: Error) => this.#outage.failed(err))
    this.#client.on('ready', () => this.#outage.recovered())
    this.#prefix = opts.prefix
    this.#timeoutMs = opts.timeoutMs
  }

  async start (): Promise<void> {
    await connectInBackground(this.#client)
  }

  async close (): Promise<void> {
    await closeClient(this.#client)
  }

  asPluginStore (): FastifyRateLimitStoreCtor {
    return pluginStore((key, windowMs) => this.#count(key, windowMs))
  }

  async #count (key: string, windowMs: number): Promise<{ current: number, ttl: number }> {
    if (!this.#client.isReady) throw new Error('redis rate limiter is not connected')
    const reply = await withDeadline(this.#client.eval(COUNT, {
      keys: [`${this.#prefix}:rate:${key}`],
      arguments: [String(windowMs)]
    }), this.#timeoutMs) as [number, number]
    return { current: reply[0], ttl: Math.max(reply[1], 0) }
  }
}
