import type {
  Condition,
  Procedure,
  ProcedureData,
  Requirement,
  RequirementSource
} from './catalogue.js'

// What the schema cannot say about a procedure's dossier. A requirement whose source
// the procedure's own `data` does not open could never be satisfied without reading
// past minimisation, so such a catalogue is refused at load rather than answered with
// `not-permitted` at every counter.

type Register = 'population' | 'civilStatus' | 'vneid'

/** A path of a procedure's data list, by register (vneid: a document type). */
interface Need { register: Register, path: string }

const POPULATION_PATH = {
  identity: 'identity.fullName',
  residence: 'residence.permanent',
  household: 'household'
} as const

/** The data paths a register source is read through. */
export function sourceNeeds (source: RequirementSource): Need[] {
  switch (source.register) {
    case 'population':
      return [{ register: 'population', path: POPULATION_PATH[source.record] }]
    case 'vneid':
      return [{ register: 'vneid', path: source.documentType }]
    case 'civilStatus':
      if ('event' in source) return [{ register: 'civilStatus', path: `events.${source.event}` }]
      // The marital status stands in for the paper only where both registers agree.
      return [
        { register: 'civilStatus', path: 'maritalStatus' },
        { register: 'population', path: 'maritalStatus' }
      ]
  }
}

/** The population path a condition is told from. */
export function conditionNeed (condition: Condition): Need {
  const age = condition.is === 'minor' || condition.is === 'adult'
  return { register: 'population', path: age ? 'identity.dateOfBirth' : 'maritalStatus' }
}

function listed (data: ProcedureData, need: Need): boolean {
  switch (need.register) {
    case 'population': return (data.population as string[]).includes(need.path)
    case 'civilStatus': return (data.civilStatus as string[]).includes(need.path)
    // A type without a single field would be returned as a bare id: unreadable.
    case 'vneid': return (data.vneid.documentTypes as string[]).includes(need.path) &&
      data.vneid.fields.length > 0
  }
}

function unlisted (data: ProcedureData, needs: Need[]): string | undefined {
  const missing = needs.find((n) => !listed(data, n))
  if (missing === undefined) return undefined
  const label = `${missing.register}:${missing.path}`
  return missing.register === 'vneid' ? `${label} with a field` : label
}

function duplicate (values: string[]): string | undefined {
  return values.find((v, i) => values.indexOf(v) !== i)
}

function partiesProblem (p: Procedure): string | undefined {
  const role = duplicate(p.parties.map((party) => party.role))
  if (role !== undefined) return `party ${role} twice`
  // The applicant's commune is what "filed outside the commune of residence" compares.
  const applicant = p.parties.find((party) => party.role === 'applicant')
  if (applicant?.required !== true) return 'the applicant must be a required party'
  const id = duplicate(p.requirements.map((r) => r.id))
  return id === undefined ? undefined : `requirement id ${id} twice`
}

function requirementProblem (p: Procedure, r: Requirement): string | undefined {
  const roles = new Set(p.parties.map((party) => party.role))
  const role = duplicate(r.parties)
  if (role !== undefined) return `names party ${role} twice`
  const stranger = [...r.parties, ...(r.condition === null ? [] : [r.condition.party])]
    .find((x) => !roles.has(x))
  if (stranger !== undefined) return `refers to role ${stranger}, not a party of the procedure`
  if (r.source?.register === 'vneid' && r.source.documentType !== r.documentType) {
    return `is a ${r.documentType} but reads the VNeID ${r.source.documentType}`
  }
  const needs = [
    ...(r.source === null ? [] : sourceNeeds(r.source)),
    ...(r.condition === null ? [] : [conditionNeed(r.condition)])
  ]
  const missing = unlisted(p.data, needs)
  return missing === undefined ? undefined : `needs ${missing}, which the procedure's data does not list`
}

// The ground on which VNeID releases a document type is the procedure's, not the
// requirement's: the document routes serve one type under one rule.
function releaseProblem (p: Procedure): string | undefined {
  const releases = new Map<string, string>()
  for (const r of p.requirements) {
    if (r.source?.register !== 'vneid') continue
    const { documentType, release } = r.source
    const before = releases.get(documentType)
    if (before !== undefined && before !== release) {
      return `releases the VNeID ${documentType} both by ${before} and by ${release}`
    }
    releases.set(documentType, release)
  }
  return undefined
}

/** Why a procedure's parties and requirements do not hold together, or nothing. */
export function requirementsProblem (p: Procedure): string | undefined {
  const problem = partiesProblem(p) ?? releaseProblem(p)
  if (problem !== undefined) return problem
  for (const r of p.requirements) {
    const wrong = requirementProblem(p, r)
    if (wrong !== undefined) return `requirement ${r.id} ${wrong}`
  }
  return undefined
}
