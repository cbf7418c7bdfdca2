import type { Procedure, Role } from '../../access/catalogue.js'
import { parseCitizenId } from '../../reference/citizen-id.js'
import { todayInVietnam } from '../../reference/calendar.js'
import type { Registers } from '../../sources/registers.js'
import type { SourceName } from '../../sources/types.js'
import { InvalidCitizenId, PartyInvalid, PartyMissing } from '../errors.js'
import { withFacts } from './answer-facts.js'
import {
  conditionPath, held, judge, permitted,
  type CheckContext, type PartyRecords, type Read, type RequirementResult,
  type RequirementStatus
} from './requirement-judgement.js'
import { settle } from './source-report.js'
import type { CacheOutcome } from '../../cache/records.js'

// The once-only check: for each document a procedure's dossier needs and each party
// it concerns, whether the state already holds it (so the counter must not ask for
// it), and if not, why. It reads the registers through the cache, in parallel, and
// discloses no value: only statuses, reasons and references the procedure system can
// read through this API under the same scopes.

export {
  MUST_SUBMIT_REASONS, type CheckContext, type MustSubmitReason, type RequirementResult,
  type RequirementStatus
} from './requirement-judgement.js'

export interface PartyInput {
  role: Role
  citizenId: string
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
  const reads = { person, civil, wallet }
  return { ...party, ...reads, held: held(reads) }
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
    parties: read.map((p) => ({
      role: p.role, citizenId: p.citizenId, held: typeof p.held === 'boolean' ? p.held : null
    })),
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
