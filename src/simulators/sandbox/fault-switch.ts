import {
  NO_FAULT,
  settle,
  type FaultRequest,
  type FaultSettings
} from './fault-settings.js'

/**
 * The global fault of one simulator. `rate` is applied by counting, not by
 * chance, so a test knows which calls fail: request n since the fault was
 * set is hit when ceil(n * rate) grows. Any rate above 0 hits the first,
 * then one in every 1 / rate, evenly spread: 0.5 hits calls 1, 3, 5...;
 * 0.25 hits 1, 5, 9...; 0.3 hits 1, 4, 7, 11, 14, 17...
 */
export class FaultSwitch {
  #settings: FaultSettings = NO_FAULT
  #count = 0

  current (): FaultSettings {
    return this.#settings
  }

  set (request: FaultRequest): FaultSettings {
    this.#settings = settle(request)
    this.#count = 0
    return this.#settings
  }

  clear (): FaultSettings {
    return this.set({ mode: 'none' })
  }

  /** Counts one data request and says which fault, if any, it gets. */
  next (): FaultSettings | undefined {
    if (this.#settings.mode === 'none') return undefined
    this.#count++
    const { rate } = this.#settings
    return quota(this.#count, rate) > quota(this.#count - 1, rate)
      ? this.#settings
      : undefined
  }
}

// The epsilon absorbs float error: 0.3 * 10 is 3.0000000000000004, which
// would otherwise hit call 10 as well as call 11.
function quota (count: number, rate: number): number {
  return Math.ceil(count * rate - 1e-9)
}
