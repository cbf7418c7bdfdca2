import type { FastifyBaseLogger } from 'fastify'
import { Agent } from 'undici'
import type { ChangeEvent } from '../../sources/change-events.js'
import { ProblemError } from '../problems.js'
import { deliver } from './deliver.js'
import { NO_WEBHOOKS, checkWebhooks, type Webhooks } from './settings.js'

/**
 * Announces change events to the configured webhooks. Simulators started
 * together share one publisher, so `set` reaches all of them. It owns its
 * connection pool, so closing the simulators leaves no socket open towards
 * a receiver.
 */
export class ChangePublisher {
  #webhooks: Webhooks = NO_WEBHOOKS
  readonly #agent = new Agent()
  readonly #closing = new AbortController()

  constructor (webhooks: Webhooks = NO_WEBHOOKS) {
    this.set(webhooks)
  }

  /** Replaces the webhooks; events already being delivered keep theirs. */
  set (webhooks: Webhooks): void {
    this.#webhooks = checkWebhooks(webhooks)
  }

  /**
   * Delivers `event` to every webhook at once and resolves with their number
   * once all answered 2xx. Otherwise it throws WEBHOOK_DELIVERY_FAILED: the
   * change itself stands, only its announcement failed.
   */
  async publish (event: ChangeEvent, log: FastifyBaseLogger): Promise<number> {
    const { urls, secret } = this.#webhooks
    const body = JSON.stringify(event)
    const delivered = await Promise.all(urls.map((url) => deliver({
      url,
      secret,
      body,
      eventId: event.eventId,
      dispatcher: this.#agent,
      closing: this.#closing.signal,
      log
    })))
    if (delivered.includes(false)) {
      throw new ProblemError('WEBHOOK_DELIVERY_FAILED',
        { eventId: event.eventId })
    }
    return urls.length
  }

  /** Ends deliveries in progress (their changes answer 502) and the pool. */
  async close (): Promise<void> {
    if (this.#closing.signal.aborted) return
    this.#closing.abort()
    await this.#agent.close()
  }
}
