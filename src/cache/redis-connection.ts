import { once, type EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { RedisClientOptions } from 'redis'

// How every Redis connection of the cache is set up, learnt from outages measured on
// this machine (see NOTES.md): node-redis queues commands while it is offline (each
// waited 5 s and the heap grew), its own timeout does not cover a command already
// written, and its default reconnect strategy gives up for good after a socket
// timeout. So: no offline queue, a bounded queue, a reconnect that never stops, and
// a deadline of our own around every command (`withDeadline`).

/** The pino methods the cache uses, object first. */
export interface CacheLogger {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
  error: (obj: object, msg: string) => void
}

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string
  /** Longest one connection attempt may take, in ms. Default 1000. */
  connectTimeoutMs?: number
  /**
   * Most commands sent or waiting to be sent at once. When Redis stops answering
   * without closing the socket, commands pile up until this many, then fail at
   * once instead of growing the heap. Default 10_000.
   */
  maxPendingCommands?: number
}

const RETRY_BASE_MS = 50
const RETRY_MAX_MS = 2000
/** How long `close` lets pending commands finish before cutting the socket, in ms. */
const CLOSE_GRACE_MS = 1000

/** Exponential backoff capped at 2 s, and never `false`: the client keeps trying. */
export function reconnectDelayMs (retries: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** retries, RETRY_MAX_MS)
}

export function connectionOptions (opts: RedisConnectionOptions) {
  return {
    url: opts.url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: opts.maxPendingCommands ?? 10_000,
    socket: {
      connectTimeout: opts.connectTimeoutMs ?? 1000,
      reconnectStrategy: reconnectDelayMs
    }
  } satisfies RedisClientOptions
}

interface Connectable extends EventEmitter {
  isOpen: boolean
  isReady: boolean
  connect: () => Promise<unknown>
}

/**
 * Starts connecting and resolves after the first attempt, true when it succeeded.
 * It never rejects: with Redis down the gateway starts anyway, serves from the
 * registers, and the client keeps reconnecting in the background.
 */
export async function connectInBackground (client: Connectable): Promise<boolean> {
  if (client.isOpen) return client.isReady
  // `once` rejects on 'error', which is how a failed attempt ends the wait.
  const firstAttempt = once(client, 'ready').then(() => true, () => false)
  // connect() settles only when ready, or when the client is closed first.
  client.connect().catch(() => {})
  return firstAttempt
}

interface Closable {
  isOpen: boolean
  close: () => Promise<void>
  destroy: () => void
}

/** Lets pending commands finish for a moment, then cuts the connection. */
export async function closeClient (client: Closable): Promise<void> {
  if (!client.isOpen) {
    client.destroy()
    return
  }
  const ac = new AbortController()
  const grace = sleep(CLOSE_GRACE_MS, 'late', { signal: ac.signal })
    .catch(() => 'closed')
  const closed = client.close().then(() => 'closed', () => 'late')
  const outcome = await Promise.race([closed, grace])
  ac.abort()
  if (outcome === 'late') client.destroy()
}

export class CacheTimeoutError extends Error {
  override name = 'CacheTimeoutError'
  code = 'CACHE_TIMEOUT'
}

/** Settles with `work`, or rejects with CacheTimeoutError after `ms`. */
export async function withDeadline<T> (work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new CacheTimeoutError(`no answer from redis within ${ms} ms`))
    }, ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}
