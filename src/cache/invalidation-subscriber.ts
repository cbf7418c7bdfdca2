import { createClient } from 'redis'
import { OutageLog } from './outage-log.js'
import {
  closeClient, connectInBackground, connectionOptions, withDeadline,
  type CacheLogger, type RedisConnectionOptions
} from './redis-connection.js'

// Pub/sub needs a connection of its own. This one is set up like the store's (no
// offline queue, a reconnect that never stops) and node-redis subscribes it again
// after each reconnect. Pub/sub delivers at most once: whatever was published while
// the connection was down is lost, which is why `onSubscribed` exists.

export interface InvalidationSubscriberOptions extends RedisConnectionOptions {
  /** The channel to listen on (the key namer's `channel`). */
  channel: string
  logger: CacheLogger
}

/** What an instance publishes when it invalidates keys. */
export interface InvalidationMessage {
  /** The publishing instance, so that it can skip its own message. */
  origin: string
  keys: string[]
  tombstoneMs: number
}

type MessageListener = (message: InvalidationMessage) => void

function createSubscriberClient (opts: RedisConnectionOptions) {
  return createClient(connectionOptions(opts))
}

export class InvalidationSubscriber {
  readonly channel: string
  readonly #client: ReturnType<typeof createSubscriberClient>
  readonly #subscribeTimeoutMs: number
  readonly #logger: CacheLogger
  readonly #outage: OutageLog
  readonly #onMessage: MessageListener[] = []
  readonly #onSubscribed: Array<() => void> = []
  #subscribed = false

  constructor (opts: InvalidationSubscriberOptions) {
    this.channel = opts.channel
    this.#logger = opts.logger
    this.#outage = new OutageLog(opts.logger, 'redis invalidation channel', 'info')
    this.#subscribeTimeoutMs = opts.connectTimeoutMs ?? 1000
    this.#client = createSubscriberClient(opts)
    this.#client.on('error', (err: Error) => this.#outage.failed(err))
    this.#client.on('ready', () => { this.#ready().catch(() => {}) })
  }

  /** True while subscribed: messages published now will arrive. */
  get listening (): boolean {
    return this.#subscribed && this.#client.isReady
  }

  onMessage (listener: MessageListener): void {
    this.#onMessage.push(listener)
  }

  /**
   * Called each time the subscription starts, the first time and after every
   * reconnect: whatever was published before that moment was not received.
   */
  onSubscribed (listener: () => void): void {
    this.#onSubscribed.push(listener)
  }

  /**
   * Connects and subscribes. Resolves after the first attempt even when it fails
   * (the client keeps trying), and waits for the subscription at most the connect
   * timeout.
   */
  async start (): Promise<void> {
    const subscribed = new Promise<void>((resolve) => this.onSubscribed(resolve))
    if (!await connectInBackground(this.#client)) return
    await withDeadline(subscribed, this.#subscribeTimeoutMs).catch(() => {})
  }

  async close (): Promise<void> {
    this.#subscribed = false
    await closeClient(this.#client)
  }

  async #ready (): Promise<void> {
    if (!this.#subscribed) {
      try {
        await this.#client.subscribe(this.channel, (raw) => this.#deliver(raw))
      } catch (err) {
        // The next 'ready', after a reconnect, tries again.
        this.#outage.failed(err)
        return
      }
      this.#subscribed = true
    }
    this.#outage.recovered()
    for (const listener of this.#onSubscribed) listener()
  }

  #deliver (raw: string): void {
    const message = parse(raw)
    if (message === undefined) {
      this.#logger.warn({ channel: this.channel }, 'malformed invalidation message')
      return
    }
    for (const listener of this.#onMessage) listener(message)
  }
}

function parse (raw: string): InvalidationMessage | undefined {
  try {
    const m = JSON.parse(raw) as InvalidationMessage
    const valid = typeof m.origin === 'string' && typeof m.tombstoneMs === 'number' &&
      Array.isArray(m.keys) && m.keys.every((k) => typeof k === 'string')
    return valid ? m : undefined
  } catch {
    return undefined
  }
}
