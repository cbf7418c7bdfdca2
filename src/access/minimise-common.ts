import { parseFields, type AnswerKind } from './fields-param.js'
import { qualified, type FieldSource } from './field-paths.js'

export interface MinimiseOptions {
  /** The paths the client may receive, from allowedFields(). */
  allowed: ReadonlySet<string>
  /** The client's `fields` parameter as received, if it sent one. */
  fields?: string | readonly string[] | undefined
}

export type AnswerBody = Record<string, unknown>

export interface Minimised {
  /** The answer with only allowed parts, and `withheld` naming the refused ones. */
  answer: AnswerBody & { withheld: string[] }
  /** Source-qualified paths the answer actually carries, for the audit record. */
  returned: string[]
}

export interface Conflict { field: string }

/**
 * The paths of one answer that may go out: `allows` is the policy (procedure and
 * scopes), `keeps` adds what the client asked for. Paths are the answer's own,
 * unqualified (`identity.sex`), and are qualified here with the answer's source.
 */
export class Cut {
  readonly source: FieldSource
  readonly #allowed: ReadonlySet<string>
  readonly #wanted: Set<string> | undefined

  constructor (kind: AnswerKind, source: FieldSource, opts: MinimiseOptions) {
    this.source = source
    this.#allowed = opts.allowed
    this.#wanted = parseFields(kind, opts.fields)
  }

  allows (path: string): boolean {
    return this.#allowed.has(qualified(this.source, path))
  }

  wants (path: string): boolean {
    return this.#wanted === undefined || this.#wanted.has(path)
  }

  keeps (path: string): boolean {
    return this.allows(path) && this.wants(path)
  }
}

function related (a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)
}

/**
 * `unavailable` cut to the paths kept: an entry about a withheld part would say
 * that the part exists and what state its register is in. `conflicts` (the
 * cross-check could not be made) stays when any conflict would have been shown.
 */
export function keptUnavailable (entries: readonly string[], kept: readonly string[],
  conflictsShown: boolean): string[] {
  return entries.filter((entry) => entry === 'conflicts'
    ? conflictsShown
    : kept.some((leaf) => related(entry, leaf)))
}

/** Conflicts whose field maps to a kept path; `about` maps a conflict field to a path. */
export function keptConflicts<T extends Conflict> (conflicts: readonly T[],
  about: Readonly<Record<string, string>>, cut: Cut): T[] {
  return conflicts.filter((c) => about[c.field] !== undefined && cut.keeps(about[c.field]))
}

export function conflictsShown (about: Readonly<Record<string, string>>, cut: Cut): boolean {
  return Object.values(about).some((path) => cut.keeps(path))
}
