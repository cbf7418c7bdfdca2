import type {
  Condition, Procedure, Requirement, RequirementSource, Role
} from '../../access/catalogue.js'
import { conditionNeed, sourceNeeds } from '../../access/catalogue-requirements.js'
import { consentTypes, releaseBasis } from '../../access/consent.js'
import type { CacheOutcome } from '../../cache/records.js'
import { parseCitizenId } from '../../reference/citizen-id.js'
import type { Fetched, Registers } from '../../sources/registers.js'
import type {
  CivilEvent, CivilRecord, PopulationRecord, SourceName, VneidDocument
} from '../../sources/types.js'
import type { TrustedWallet } from '../../sources/trusted-wallet.js'
import { InvalidCitizenId, PartyInvalid, PartyMissing } from '../errors.js'
import { withFacts } from './answer-facts.js'
import { crossCheck, impliedMaritalStatus } from './civil-facts.js'
import { todayInVietnam } from './documents.js'
import { settle } from './source-report.js'

// The once-only check: for each document a procedure's dossier needs and each party
// it concerns, whether the state already holds it (so the counter must not ask for
// it), and if not, why. It reads the registers through the cache, in parallel, and
// discloses no value: only statuses, reasons and references the procedure system can
// read through this API under the same scopes.

export type RequirementStatus = 'satisfied' | 'must-submit' | 'not-applicable'

/** Why a citizen must bring a document: a fixed list, as in the contract. */
export const MUST_SUBMIT_REASONS = [
  'not-held', 'expired', 'revoked', 'pending-integration', 'no-consent',
  'conflicting-registers', 'party-unknown', 'signature-invalid', 'no-source',
  'not-permitted', 'register-unavailable'
] as const

export type MustSubmitReason = typeof MUST_SUBMIT_REASONS[number]

export interface PartyInput {
  role: Role
  citizenId: string
}

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

type Read<T> = { ok: true, value: Fetched<T> } | { ok: false, error: Error }

/** What the registers said about one party. */
interface PartyRecords {
  role: Role
  citizenId: string
  person?: Read<PopulationRecord>
  civil?: Read<CivilRecord>
  wallet?: Read<TrustedWallet>
}

function checkParties (procedure: Procedure, parties: PartyInput[]): Map<Role, PartyInput> {
  const known = new Map(procedure.parties.map((p) => [p.role, p]))
  const given = new Map<Role, PartyInput>()
  for (const party of parties) {
    if (!known.has(party.role) || given.has(party.role)) throw new PartyInvalid(party.role)
    const parsed = parseCitizenId(party.citizenId)
    if (!parsed.ok) throw new InvalidCitizenId(parsed.reason)
    given.set(party.role, party)
  }
  for (const p of procedure.parties) {
    if (p.required && !given.has(p.role)) throw new PartyMissing(p.role)
  }
  return given
}

// Only the registers that some requirement or condition of the party needs, and that
// the client may read under this procedure, are asked: a register the answer could
// not draw on is not read, so the audit record does not say it was.
function needs (procedure: Procedure, role: Role, allowed: ReadonlySet<string>): Set<SourceName> {
  const out = new Set<SourceName>()
  for (const r of procedure.requirements) {
    if (r.condition?.party === role && allowed.has(conditionPath(r.condition))) out.add('population')
    if (!r.parties.includes(role) || r.source === null || !permitted(r.source, allowed)) continue
    out.add(r.source.register)
    // The marital status is trusted only where both registers agree.
    if (r.source.register === 'civilStatus' && 'record' in r.source) out.add('population')
  }
  // The population register says whether the party exists at all, for a client that
  // may read identities.
  if (allowed.has('population:identity.fullName')) out.add('population')
  return out
}

async function readParty (registers: Registers, party: PartyInput,
  want: Set<SourceName>): Promise<PartyRecords> {
  const { citizenId } = party
  const [person, civil, wallet] = await Promise.all([
    want.has('population') ? settle(registers.person(citizenId)) : undefined,
    want.has('civilStatus') ? settle(registers.civilRecord(citizenId)) : undefined,
    want.has('vneid') ? settle(registers.trustedWallet(citizenId)) : undefined
  ])
  return { ...party, person, civil, wallet }
}

/**
 * Whether the registers hold the party: the population register's word when it
 * was read, else true if any register read holds a record. `unknown` when a register
 * failed and none holds one; null when the population register was not read (the
 * client may not) and those read hold nothing: then only each source can tell.
 */
function held (p: PartyRecords): boolean | 'unknown' | null {
  if (p.person?.ok === true) return p.person.value.data !== undefined
  const reads = [p.person, p.civil, p.wallet].filter((r) => r !== undefined)
  if (reads.some((r) => r.ok && r.value.data !== undefined)) return true
  return reads.some((r) => !r.ok) ? 'unknown' : null
}

function freshness<T> (f: Fetched<T>, updatedAt: string | null) {
  return { updatedAt, retrievedAt: f.retrievedAt, cache: f.cache ?? 'none' as const }
}

function ageOn (dateOfBirth: string, today: string): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number)
  const [ty, tm, td] = today.split('-').map(Number)
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0)
}

type Outcome = { status: 'satisfied', detail: Partial<RequirementResult> } |
{ status: 'must-submit', reason: MustSubmitReason } |
{ status: 'not-applicable' }

const must = (reason: MustSubmitReason): Outcome => ({ status: 'must-submit', reason })

/** The population field a condition is decided on. */
function conditionPath (c: Condition): string {
  const need = conditionNeed(c)
  return `${need.register}:${need.path}`
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
        crossCheck(person, civil.value.data).some((x) => x.field === 'maritalStatus')) {
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
function permitted (source: RequirementSource, allowed: ReadonlySet<string>): boolean {
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
    if (crossCheck(person, civil).some((c) => c.field === 'maritalStatus')) {
      return must('conflicting-registers')
    }
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
  [(d, today) => d.status === 'expired' || (d.status === 'active' && d.expiresOn !== null && d.expiresOn < today), 'expired'],
  [(d) => d.status === 'revoked', 'revoked']
]

function usable (d: VneidDocument, today: string): boolean {
  return d.status === 'active' && (d.expiresOn === null || d.expiresOn >= today)
}

function fromVneid (source: Extract<RequirementSource, { register: 'vneid' }>,
  party: PartyRecords, ctx: CheckContext, procedure: Procedure, today: string): Outcome {
  const read = party.wallet!
  if (!read.ok) return must('register-unavailable')
  const wallet = read.value.data
  if (wallet === undefined) return must('not-held')
  const ofType = wallet.documents.filter((d) => d.type === source.documentType)
  const good = ofType.find((d) => usable(d, today))
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

function judge (r: Requirement, role: Role, parties: Map<Role, PartyRecords>,
  ctx: CheckContext, procedure: Procedure, today: string): Outcome {
  const party = parties.get(role)
  // An optional party the dossier does not have: nothing of theirs is needed.
  if (party === undefined) return { status: 'not-applicable' }
  if (r.condition !== null) {
    const holds = conditionHolds(r.condition, parties.get(r.condition.party), ctx, today)
    if (holds === false) return { status: 'not-applicable' }
    if (holds !== true) return must(holds)
  }
  const exists = held(party)
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

function sourcesOf (parties: PartyRecords[]) {
  const states = new Map<SourceName, CacheOutcome | 'none'>()
  const note = (read: Read<unknown> | undefined) => {
    if (read?.ok !== true) return
    const { source, cache } = read.value
    const before = states.get(source)
    // The least fresh read of a register is what the record says of it.
    if (before === undefined || before === 'hit' || cache === 'stale') states.set(source, cache ?? 'none')
  }
  for (const p of parties) { note(p.person); note(p.civil); note(p.wallet) }
  return [...states].map(([register, cache]) => ({ register, cache }))
}

function outsideResidence (parties: Map<Role, PartyRecords>, ctx: CheckContext): boolean | null {
  const applicant = parties.get('applicant') ?? [...parties.values()][0]
  const read = applicant?.person
  if (ctx.counterCommune === null || read?.ok !== true) return null
  const commune = read.value.data?.permanentResidence?.commune.code
  return commune === undefined ? null : commune !== ctx.counterCommune
}

/** Checks every required document of `procedure` for every party given. */
export async function checkRequirements (registers: Registers, procedure: Procedure,
  input: PartyInput[], ctx: CheckContext) {
  const given = checkParties(procedure, input)
  const now = ctx.now ?? Date.now()
  const today = todayInVietnam(now)
  const read = await Promise.all([...given.values()]
    .map((p) => readParty(registers, p, needs(procedure, p.role, ctx.allowed))))
  const parties = new Map(read.map((p) => [p.role, p]))
  const requirements: RequirementResult[] = []
  for (const r of procedure.requirements) {
    for (const role of r.parties) {
      const outcome = judge(r, role, parties, ctx, procedure, today)
      const citizenId = parties.get(role)?.citizenId ?? null
      const base: RequirementResult = {
        requirementId: r.id,
        name: r.name,
        documentType: r.documentType,
        role,
        citizenId,
        status: outcome.status
      }
      // The condition says why a document is or is not asked for; for a party the
      // dossier does not have, nothing was asked of it, so there is no why.
      if (r.condition !== null && citizenId !== null) base.condition = r.condition
      if (outcome.status === 'satisfied') requirements.push({ ...base, ...outcome.detail })
      else if (outcome.status === 'must-submit') requirements.push({ ...base, reason: outcome.reason })
      else requirements.push(base)
    }
  }
  const count = (s: RequirementStatus) => requirements.filter((r) => r.status === s).length
  const answer = {
    procedureCode: procedure.code,
    checkedAt: new Date(now).toISOString(),
    parties: read.map((p) => {
      const known = held(p)
      return { role: p.role, citizenId: p.citizenId, held: typeof known === 'boolean' ? known : null }
    }),
    requirements,
    summary: {
      required: count('satisfied') + count('must-submit'),
      satisfied: count('satisfied'),
      mustSubmit: count('must-submit'),
      notApplicable: count('not-applicable')
    }
  }
  const types = [...new Set(requirements.map((r) => r.documentType))]
  return withFacts(answer, {
    citizenIds: read.map((p) => p.citizenId),
    fields: types.map((t) => `requirements:${t}`),
    sources: sourcesOf(read),
    check: {
      parties: read.map((p) => ({ role: p.role, citizenId: p.citizenId })),
      items: requirements.map((r) => ({
        requirementId: r.requirementId,
        documentType: r.documentType,
        role: r.role,
        status: r.status,
        reason: r.reason ?? null,
        source: r.source ?? null
      })),
      outsideResidence: outsideResidence(parties, ctx)
    }
  })
}
