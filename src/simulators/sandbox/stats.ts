/** GET /_sandbox/stats: what the simulator served since the last reset. */
export interface StatsSnapshot {
  /** Data requests received, faulted and failed ones included. */
  calls: number
  /** The same count per operation, such as `GET /persons/:citizenId`. */
  byRoute: Record<string, number>
}

export class SandboxStats {
  #calls = 0
  readonly #byRoute = new Map<string, number>()

  count (operation: string): void {
    this.#calls++
    this.#byRoute.set(operation, (this.#byRoute.get(operation) ?? 0) + 1)
  }

  snapshot (): StatsSnapshot {
    return { calls: this.#calls, byRoute: Object.fromEntries(this.#byRoute) }
  }

  reset (): void {
    this.#calls = 0
    this.#byRoute.clear()
  }
}
