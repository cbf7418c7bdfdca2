import type { CacheLogger } from './redis-connection.js'

/**
 * Remembers whether a dependency is failing, and logs the change, not each failure:
 * during an outage thousands of requests fail the same way, and the reconnect loop
 * reports an error every two seconds.
 */
export class OutageLog {
  readonly #logger: CacheLogger
  readonly #what: string
  readonly #level: 'warn' | 'info'
  #downSince: number | undefined

  /**
   * @param what  the dependency as it should read in the log, e.g. `redis cache`
   * @param level  of the outage line: one Redis outage should raise one warning, so a
   *   second connection to the same server reports its own outage at `info`
   */
  constructor (logger: CacheLogger, what: string, level: 'warn' | 'info' = 'warn') {
    this.#logger = logger
    this.#what = what
    this.#level = level
  }

  get down (): boolean {
    return this.#downSince !== undefined
  }

  failed (err: unknown): void {
    if (this.#downSince !== undefined) return
    this.#downSince = Date.now()
    this.#logger[this.#level]({ err }, `${this.#what} unavailable`)
  }

  recovered (): void {
    if (this.#downSince === undefined) return
    const downMs = Date.now() - this.#downSince
    this.#downSince = undefined
    this.#logger.info({ downMs }, `${this.#what} recovered`)
  }
}
