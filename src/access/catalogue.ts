import { readFileSync } from 'node:fs'
import { AccessFileInvalid } from './errors.js'
import {
  VERIFY_CHECKS,
  documentPath,
  qualified,
  type DocumentType
} from './field-paths.js'
import { baseCode } from './procedure-code.js'
import { requirementsProblem } from './catalogue-requirements.js'
import type {
  CIVIL_STATUS_SOURCE_EVENTS,
  CONDITION_STATES,
  POPULATION_RECORDS,
  RELEASES,
  REQUIREMENT_DOCUMENT_TYPES,
  ROLES
} from './requirement-terms.js'
import { schemaProblem } from './schema-check.js'

/**
 * What a procedure needs to know, by register: profile paths, civil-status paths,
 * and VNeID document types with the document fields read from each.
 */
export interface ProcedureData {
  population: string[]
  civilStatus: string[]
  vneid: { documentTypes: DocumentType[], fields: string[] }
}

export interface Procedure {
  code: string
  /** The code is made up for the sandbox, not a national procedure code. */
  illustrative?: true
  name: string
  level: 'province' | 'commune' | 'both'
  legalBasis: string
  /** Reads are withheld from the citizen's own access log for `covertDays`. */
  covert: boolean
  covertDays?: number
  data: ProcedureData
  /** Who the dossier concerns; the applicant is always one of them. */
  parties: ProcedureParty[]
  /** The dossier's components; empty for a procedure without a dossier. */
  requirements: Requirement[]
}

/** A party of a procedure: the applicant, the spouse, the deceased, ... */
export type Role = typeof ROLES[number]

export interface ProcedureParty {
  role: Role
  /** An optional party's documents are not applicable when the dossier has none. */
  required: boolean
}

/** A requirement applies only when `party` is in this state (population register). */
export interface Condition {
  party: Role
  is: typeof CONDITION_STATES[number]
}

export type RequirementDocumentType = typeof REQUIREMENT_DOCUMENT_TYPES[number]

/**
 * The register a requirement's data can come from. A VNeID document is released by
 * `law` when the procedure's legal basis covers it, otherwise only with the
 * citizen's `consent`; `marital-status` is the status both registers agree on.
 */
export type RequirementSource =
  | { register: 'vneid', documentType: DocumentType, release: typeof RELEASES[number] }
  | { register: 'population', record: typeof POPULATION_RECORDS[number] }
  | { register: 'civilStatus', event: typeof CIVIL_STATUS_SOURCE_EVENTS[number] }
  | { register: 'civilStatus', record: 'marital-status' }

/** One component of a procedure's dossier. */
export interface Requirement {
  /** Unique within the procedure. */
  id: string
  /** As on the dossier checklist, in Vietnamese. */
  name: string
  documentType: RequirementDocumentType
  /** The roles it is needed for, one check each. */
  parties: Role[]
  condition: Condition | null
  /** Null: no register holds it, the citizen always brings it. */
  source: RequirementSource | null
}

/** The procedure catalogue, indexed by code. */
export class Catalogue {
  readonly #byCode: Map<string, Procedure>
  readonly #all: readonly Procedure[]

  constructor (procedures: Procedure[]) {
    this.#all = Object.freeze([...procedures])
    this.#byCode = new Map(procedures.map((p) => [p.code, p]))
  }

  /** Reads and checks a catalogue file; a bad file throws AccessFileInvalid. */
  static fromFile (path: string): Catalogue {
    return new Catalogue(parseCatalogue(readFileSync(path, 'utf8')))
  }

  procedure (code: string): Procedure | undefined {
    const exact = this.#byCode.get(code)
    if (exact !== undefined) return exact
    const base = baseCode(code)
    return base === undefined ? undefined : this.#byCode.get(base)
  }

  all (): readonly Procedure[] {
    return this.#all
  }
}

// A schema error names a JSON pointer; the procedure code and requirement id it
// points into are what a person editing the file searches for.
interface Unchecked {
  procedures?: Array<{ code?: unknown, requirements?: Array<{ id?: unknown }> }>
}

function located (parsed: unknown, problem: string): string {
  const at = /^\/procedures\/(\d+)(?:\/requirements\/(\d+))?/.exec(problem)
  if (at === null) return problem
  const procedure = (parsed as Unchecked).procedures?.[Number(at[1])]
  if (typeof procedure?.code !== 'string') return problem
  const id = at[2] === undefined ? undefined : procedure.requirements?.[Number(at[2])]?.id
  const requirement = typeof id === 'string' ? `, requirement ${id}` : ''
  // A property the schema forbids for this kind of source fails a `false` schema.
  const reason = problem.replace('boolean schema is false', 'is not allowed here')
  return `procedure ${procedure.code}${requirement}: ${reason}`
}

export function parseCatalogue (text: string): Procedure[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AccessFileInvalid('catalogue: not valid JSON')
  }
  const problem = schemaProblem('procedures', parsed)
  if (problem !== undefined) throw new AccessFileInvalid(`catalogue: ${located(parsed, problem)}`)
  const procedures = (parsed as { procedures: Procedure[] }).procedures
  const seen = new Set<string>()
  for (const p of procedures) {
    if (seen.has(p.code)) throw new AccessFileInvalid(`catalogue: code ${p.code} twice`)
    seen.add(p.code)
    const wrong = requirementsProblem(p)
    if (wrong !== undefined) throw new AccessFileInvalid(`catalogue: procedure ${p.code}: ${wrong}`)
  }
  return procedures
}

function readsAll (scopes: readonly string[], scope: string): boolean {
  return scopes.includes(scope) || scopes.includes('citizen-portal')
}

function documentPaths (vneid: ProcedureData['vneid']): string[] {
  if (vneid.documentTypes.length === 0) return []
  const fields = vneid.documentTypes.flatMap((type) =>
    vneid.fields.map((field) => documentPath(type, field)))
  // The account says whether the citizen has VNeID at all; without it an empty list
  // could mean "no account" or "no document of the types this procedure may see".
  return ['account', ...vneid.documentTypes, ...fields]
}

/**
 * The field paths an answer may carry when a client with `scopes` cites
 * `procedure`: the procedure's data list, cut to the registers the scopes open.
 * Paths are qualified by source (`population:identity.fullName`,
 * `civilStatus:events.birth`, `vneid:driving-licence.number`, `verify:sex`);
 * `vneid:<type>` alone means documents of that type may be returned at all.
 * Scopes are explained in scopes.ts; unknown scopes open nothing.
 */
export function allowedFields (procedure: Procedure,
  scopes: readonly string[]): ReadonlySet<string> {
  const { data } = procedure
  const allowed = new Set<string>()
  const add = (source: Parameters<typeof qualified>[0], paths: string[]) => {
    for (const path of paths) allowed.add(qualified(source, path))
  }
  if (readsAll(scopes, 'population:read')) add('population', data.population)
  if (readsAll(scopes, 'civil-status:read')) add('civilStatus', data.civilStatus)
  if (readsAll(scopes, 'documents:read')) add('vneid', documentPaths(data.vneid))
  if (scopes.includes('verify')) {
    add('verify', Object.keys(VERIFY_CHECKS)
      .filter((claim) => data.population.includes(VERIFY_CHECKS[claim])))
  }
  return allowed
}
