const DIGITS = 6

/**
 * Readable ids for what sandbox changes create: `EV-S-000001`,
 * `DOC-S-000002`... One counter per prefix, shared by the simulators started
 * together. The `S` keeps them apart from dataset ids (`EV-P-0001`,
 * `EV-G2026-000001`), and `taken` skips any that a caller chose already.
 */
export class IdSequence {
  readonly #counters = new Map<string, number>()

  next (prefix: string, taken: (id: string) => boolean = () => false) {
    let id: string
    do {
      id = `${prefix}-S-${this.#serial(prefix)}`
    } while (taken(id))
    return id
  }

  /** Kind, year, serial, as the registers number them: KT-2026-S000001. */
  registration (kind: string, year: string): string {
    return `${kind}-${year}-S${this.#serial(`registration ${kind}`)}`
  }

  #serial (key: string): string {
    const n = (this.#counters.get(key) ?? 0) + 1
    this.#counters.set(key, n)
    return String(n).padStart(DIGITS, '0')
  }
}
