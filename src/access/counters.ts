import { readFileSync } from 'node:fs'
import { AccessFileInvalid } from './errors.js'
import { schemaProblem } from './schema-check.js'

/** A one-stop counter (bộ phận một cửa), as named in X-Counter-Code. */
export interface Counter {
  code: string
  name: string
  /** The commune-level unit the counter sits in (fixtures/admin-units.json). */
  communeCode: string
  provinceCode: string
}

/** The counters a dossier may be filed at, indexed by code. */
export class Counters {
  readonly #byCode: Map<string, Counter>

  constructor (counters: Counter[]) {
    this.#byCode = new Map(counters.map((c) => [c.code, c]))
  }

  /** Reads and checks a counters file; a bad file throws AccessFileInvalid. */
  static fromFile (path: string): Counters {
    return new Counters(parseCounters(readFileSync(path, 'utf8')))
  }

  /**
   * The counter with this code. An unknown code is not an error: the header is
   * free text for the audit record, and a counter opened since the file was
   * written still files dossiers; only its commune is unknown.
   */
  counter (code: string): Counter | undefined {
    return this.#byCode.get(code)
  }

  all (): Counter[] {
    return [...this.#byCode.values()]
  }
}

export function parseCounters (text: string): Counter[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AccessFileInvalid('counters: not valid JSON')
  }
  const problem = schemaProblem('counters', parsed)
  if (problem !== undefined) throw new AccessFileInvalid(`counters: ${problem}`)
  const counters = (parsed as { counters: Counter[] }).counters
  const seen = new Set<string>()
  for (const c of counters) {
    if (seen.has(c.code)) throw new AccessFileInvalid(`counters: code ${c.code} twice`)
    seen.add(c.code)
  }
  return counters
}
