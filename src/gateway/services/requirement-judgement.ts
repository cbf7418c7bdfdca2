import type {
  Condition, Procedure, Requirement, RequirementSource, Role
} from '../../access/catalogue.js'
import { conditionNeed, sourceNeeds } from '../../access/catalogue-requirements.js'
import { consentTypes, releaseBasis } from '../../access/consent.js'
import type { CacheOutcome } from '../../cache/records.js'
import { ageOn } from '../../reference/calendar.js'
import type { Fetched } from '../../sources/registers.js'
import type {
  CivilEvent, CivilRecord, PopulationRecord, SourceName, VneidDocument
} from '../../sources/types.js'
import type { TrustedWallet } from '../../sources/trusted-wallet.js'
import { crossCheck, impliedMaritalStatus } from './civil-facts.js'
import { usableOn } from './documents.js'

// One document for one party: what the registers' records, already read, say of it.
// Nothing here reads a register; requirements.ts decides what to read and builds the
// answer and its audit facts.

export type RequirementStatus = 'satisfied' | 'must-submit' | 'not-applicable'

/** Why a citizen must bring a document: a fixed list, as in the contract. */
export const MUST_SUBMIT_REASONS = [
  'not-held', 'expired', 'revoked', 'pending-integration', 'no-consent',
  'conflicting-registers', 'party-unknown', 'signature-invalid', 'no-source',
  'not-permitted', 'register-unavailable'
] as const

export type MustSubmitReason = typeof MUST_SUBMIT_REASONS[number]

export interface RequirementResult {
  requirementId: string
  name: string
  documentType: string
  role: Role
  citizenId: string | null
  status: RequirementStatus
  reason?: MustSubmitReason
  condition?: Condition
  source?: SourceName
  reference?: string
  basis?: 'law' | 'consent'
  signature?: 'verified'
  updatedAt?: string | null
  retrievedAt?: string
  cache?: CacheOutcome | 'none'
}

/** Who asks: the client's id (consents name it) and what it may read (allowedFields). */
export interface CheckContext {
  clientId: string
  allowed: ReadonlySet<string>
  /** The commune of the counter the dossier was filed at, when known. */
  counterCommune: string | null
  now?: number
}

export type Read<T> = { ok: true, value: Fetched<T> } | { ok: false, error: Error }

/** What the registers said about one party. */
export interface PartyRecords {
  role: Role
  citizenId: string
  person?: Read<PopulationRecord>
  civil?: Read<CivilRecord>
  wallet?: Read<TrustedWallet>
  /** What `held` said of the reads, worked out once. */
  held: Held
}

export type Held = boolean | 'unknown' | null

/**
 * Whether the registers hold the party: the population register's word when it
 * was read, else true if any register read holds a record. `unknown` when a register
 * failed and none holds one; null when the population register was not read (the
 * client may not) and those read hold nothing: then only each source can tell.
 */
export function held (p: Pick<PartyRecords, 'person' | 'civil' | 'wallet'>): Held {
  if (p.person?.ok === true) return p.person.value.data !== undefined
  const reads = [p.person, p.civil, p.wallet].filter((r) => r !== undefined)
  if (reads.some((r) => r.ok && r.value.data !== undefined)) return true
  return reads.some((r) => !r.ok) ? 'unknown' : null
}

function freshness<T> (f: Fetched<T>, updatedAt: string | null) {
  return { updatedAt, retrievedAt: f.retrievedAt, cache: f.cache ?? 'none' as const }
}

type Outcome = { status: 'satisfied', detail: Partial<RequirementResult> } |
{ status: 'must-submit', reason: MustSubmitReason } |
{ status: 'not-applicable' }

const must = (reason: MustSubmitReason): Outcome => ({ status: 'must-submit', reason })

/** The population field a condition is decided on. */
export function conditionPath (c: Condition): string {
  const need = conditionNeed(c)
  return `${need.register}:${need.path}`
}

/** Whether the population and civil-status registers disagree on the marital status. */
function statusesDisagree (person: PopulationRecord, civil: CivilRecord): boolean {
  return crossCheck(person, civil).some((c) => c.field === 'maritalStatus')
}

/** Whether the condition holds, or the reason it cannot be told. */
function conditionHolds (c: Condition, party: PartyRecords | undefined,
  ctx: CheckContext, today: string): boolean | MustSubmitReason {
  if (party === undefined) return false
  // Telling the counter that a condition is false would disclose the value.
  if (!ctx.allowed.has(conditionPath(c))) return 'not-permitted'
  if (party.person === undefined || !party.person.ok) return 'register-unavailable'
  const person = party.person.value.data
  if (person === undefined) return 'party-unknown'
  switch (c.is) {
    case 'minor': return ageOn(person.dateOfBirth, today) < 18
    case 'adult': return ageOn(person.dateOfBirth, today) >= 18
    default: {
      const civil = party.civil
      if (civil?.ok === true && civil.value.data !== undefined &&
        statusesDisagree(person, civil.value.data)) {
        return 'conflicting-registers'
      }
      const status = person.maritalStatus
      if (c.is === 'married' || c.is === 'divorced' || c.is === 'widowed') return status === c.is
      if (c.is === 'unmarried') return status !== 'married'
      return status === 'divorced' || status === 'widowed'
    }
  }
}

// The client may read what the source is read through: for a VNeID type, at least
// one of its fields.
export function permitted (source: RequirementSource, allowed: ReadonlySet<string>): boolean {
  return sourceNeeds(source).every((need) => {
    if (need.register !== 'vneid') return allowed.has(`${need.register}:${need.path}`)
    const prefix = `vneid:${need.path}.`
    for (const path of allowed) if (path.startsWith(prefix)) return true
    return false
  })
}

function fromPopulation (source: Extract<RequirementSource, { register: 'population' }>,
  party: PartyRecords): Outcome {
  const read = party.person!
  if (!read.ok) return must('register-unavailable')
  const person = read.value.data!
  const present = source.record === 'identity' ||
    (source.record === 'residence' && person.permanentResidence !== null) ||
    (source.record === 'household' && person.householdId !== null)
  if (!present) return must('not-held')
  return {
    status: 'satisfied',
    detail: {
      source: 'population',
      reference: `/v1/citizens/${party.citizenId}`,
      ...freshness(read.value, person.updatedAt)
    }
  }
}

function involves (e: CivilEvent, citizenId: string): boolean {
  return e.parties.some((p) => p.citizenId === citizenId)
}

function fromCivilStatus (source: Extract<RequirementSource, { register: 'civilStatus' }>,
  party: PartyRecords, today: string): Outcome {
  const read = party.civil!
  if (!read.ok) return must('register-unavailable')
  const record = read.value.data
  const reference = `/v1/citizens/${party.citizenId}/civil-status`
  if ('record' in source) {
    // The paper confirmation of marital status is not needed where both registers
    // agree on it; where they disagree, only the citizen's papers can settle it.
    if (party.person === undefined || !party.person.ok) return must('register-unavailable')
    const person = party.person.value.data!
    const civil = record ?? { citizenId: party.citizenId, events: [], updatedAt: '' }
    if (statusesDisagree(person, civil)) return must('conflicting-registers')
    const implied = impliedMaritalStatus(civil)
    const eventId = implied.basedOn === null ? '' : `#${implied.basedOn}`
    return {
      status: 'satisfied',
      detail: { source: 'civilStatus', reference: reference + eventId, ...freshness(read.value, record?.updatedAt ?? null) }
    }
  }
  const events = (record?.events ?? [])
    .filter((e) => e.type === source.event && involves(e, party.citizenId))
    .sort((a, b) => b.date.localeCompare(a.date))
  const latest = events[0]
  if (latest === undefined) return must('not-held')
  if (source.event === 'marital-status-confirmation' &&
    latest.details.validUntil !== undefined && latest.details.validUntil < today) {
    return must('expired')
  }
  return {
    status: 'satisfied',
    detail: {
      source: 'civilStatus',
      reference: `${reference}#${latest.eventId}`,
      ...freshness(read.value, latest.updatedAt)
    }
  }
}

// Among several documents of the type, the one that can serve wins; otherwise the
// reason of the most nearly usable one is given.
const ORDER: Array<[(d: VneidDocument, today: string) => boolean, MustSubmitReason]> = [
  [(d) => d.status === 'pending', 'pending-integration'],
  [(d, today) => d.status === 'expired' || (d.status === 'active' && !usableOn(d, today)), 'expired'],
  [(d) => d.status === 'revoked', 'revoked']
]

function fromVneid (source: Extract<RequirementSource, { register: 'vneid' }>,
  party: PartyRecords, ctx: CheckContext, procedure: Procedure, today: string): Outcome {
  const read = party.wallet!
  if (!read.ok) return must('register-unavailable')
  const wallet = read.value.data
  if (wallet === undefined) return must('not-held')
  const ofType = wallet.documents.filter((d) => d.type === source.documentType)
  const good = ofType.find((d) => usableOn(d, today))
  if (good === undefined) {
    if (wallet.rejected.some((r) => r.type === source.documentType)) return must('signature-invalid')
    for (const [test, reason] of ORDER) if (ofType.some((d) => test(d, today))) return must(reason)
    return must('not-held')
  }
  // The document routes this answer refers to apply the same rule.
  const basis = releaseBasis(source.documentType, consentTypes(procedure), wallet.consents,
    { clientId: ctx.clientId, procedureCode: procedure.code }, today)
  if (basis === null) return must('no-consent')
  return {
    status: 'satisfied',
    detail: {
      source: 'vneid',
      reference: `/v1/citizens/${party.citizenId}/documents/${good.documentId}`,
      basis,
      signature: 'verified',
      ...freshness(read.value, good.updatedAt)
    }
  }
}

export function judge (r: Requirement, role: Role, parties: Map<Role, PartyRecords>,
  ctx: CheckContext, procedure: Procedure, today: string): Outcome {
  const party = parties.get(role)
  // An optional party the dossier does not have: nothing of theirs is needed.
  if (party === undefined) return { status: 'not-applicable' }
  if (r.condition !== null) {
    const holds = conditionHolds(r.condition, parties.get(r.condition.party), ctx, today)
    if (holds === false) return { status: 'not-applicable' }
    if (holds !== true) return must(holds)
  }
  const exists = party.held
  if (exists === false) return must('party-unknown')
  if (r.source === null) return must('no-source')
  if (!permitted(r.source, ctx.allowed)) return must('not-permitted')
  if (exists === 'unknown') return must('register-unavailable')
  switch (r.source.register) {
    case 'population': return fromPopulation(r.source, party)
    case 'civilStatus': return fromCivilStatus(r.source, party, today)
    case 'vneid': return fromVneid(r.source, party, ctx, procedure, today)
  }
}
