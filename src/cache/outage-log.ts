import type { CacheLogger } from './redis-connection.js'

/**
 * Remembers whether a dependency is failing, and logs the change, not each failure:
 * during an outage thousands of requests fail the same way, and the reconnect loop
 * reports an error every two seconds.
 */
export class OutageLog {
  readonly #logger: CacheLogger
  readonly #what: string
  #downSince: number | undefined

  /** @param what  the dependency as it should read in the log, e.g. `redis cache` */
  constructor (logger: CacheLogger, what: string) {
    this.#logger = logger
    this.#what = what
  }

  get down (): boolean {
    return this.#downSince !== undefined
  }

  failed (err: unknown): void {
    if (this.#downSince !== undefined) return
    this.#downSince = Date.now()
    this.#logger.warn({ err }, `${this.#what} unavailable`)
  }

  recovered (): void {
    if (this.#downSince === undefined) return
    const downMs = Date.now() - this.#downSince
    this.#downSince = undefined
    this.#logger.info({ downMs }, `${this.#what} recovered`)
  }
}
