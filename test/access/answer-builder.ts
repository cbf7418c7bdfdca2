// Builds the gateway's answers for a persona straight from fixtures/personas, the
// way src/gateway/services assembles them, so the minimisation tests run over
// every persona's real shapes without a running stack. Each built answer is
// checked against schemas/api by the tests, which keeps this builder honest.
import { birthProvince } from '../../src/gateway/services/birth-province.js'
import { crossCheck, impliedMaritalStatus } from '../../src/gateway/services/civil-facts.js'
import { toApiDocument } from '../../src/gateway/services/documents.js'
import type { CivilRecord, PopulationRecord } from '../../src/sources/types.js'
import { personas } from '../helpers/personas.js'

export type Answer = Record<string, any>

const OK = { status: 'ok', updatedAt: '2026-11-01T00:00:00Z', retrievedAt: '2026-12-01T00:00:00Z' }
const DOWN = { status: 'unavailable', updatedAt: null, retrievedAt: null }
const TODAY = '2026-12-01'

function civilRecord (id: string): CivilRecord {
  return { citizenId: id, events: personas().eventsOf(id), updatedAt: OK.updatedAt }
}

function household (p: PopulationRecord) {
  const h = personas().population.households.find((x) => x.householdId === p.householdId)
  if (h === undefined) return null
  const relationship = h.members.find((m) => m.citizenId === p.citizenId)?.relationship
  const { householdId, headId, members } = h
  return { source: 'population', householdId, headId, relationship: relationship ?? null, members }
}

function unavailableOf (p: PopulationRecord, civilDown: boolean): string[] {
  const nullable: Array<[string, unknown]> = [
    ['identity.ethnicity', p.ethnicity], ['identity.religion', p.religion],
    ['identity.placeOfBirth', p.placeOfBirth], ['identity.placeOfOrigin', p.placeOfOrigin],
    ['identity.birthProvince', birthProvince(p.citizenId)],
    ['residence.permanent', p.permanentResidence], ['residence.current', p.currentResidence],
    ['household', household(p)], ['maritalStatus.status', p.maritalStatus]
  ]
  const missing = nullable.filter(([, v]) => v === null).map(([path]) => path)
  return civilDown ? ['conflicts', ...missing] : missing
}

/** GET /v1/citizens/:id, optionally as served while the civil-status register is down. */
export function profile (p: PopulationRecord, civilDown = false): Answer {
  return {
    citizenId: p.citizenId,
    identity: {
      source: 'population',
      fullName: p.fullName,
      formerNames: p.formerNames,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      nationality: p.nationality,
      ethnicity: p.ethnicity,
      religion: p.religion,
      placeOfBirth: p.placeOfBirth,
      placeOfOrigin: p.placeOfOrigin,
      birthProvince: birthProvince(p.citizenId),
      formerIdentifiers: p.formerIdentifiers
    },
    residence: { source: 'population', permanent: p.permanentResidence, current: p.currentResidence },
    household: household(p),
    lifeStatus: { source: 'population', status: p.lifeStatus, dateOfDeath: p.dateOfDeath },
    maritalStatus: { source: 'population', status: p.maritalStatus, spouseId: p.spouseId },
    conflicts: civilDown ? [] : crossCheck(p, civilRecord(p.citizenId)),
    unavailable: unavailableOf(p, civilDown),
    sources: { population: OK, civilStatus: civilDown ? DOWN : OK }
  }
}

/** GET /v1/citizens/:id/civil-status. */
export function civilStatus (p: PopulationRecord): Answer {
  const record = civilRecord(p.citizenId)
  const events = [...record.events].sort((a, b) => a.date.localeCompare(b.date)).map((e) => ({
    eventId: e.eventId,
    type: e.type,
    date: e.date,
    role: e.parties.find((x) => x.citizenId === p.citizenId)?.role ?? 'subject',
    parties: e.parties,
    registrationNumber: e.registrationNumber,
    registeredOn: e.registeredOn,
    registeredAt: e.registeredAt,
    details: e.details
  }))
  return {
    citizenId: p.citizenId,
    maritalStatus: { source: 'civilStatus', ...impliedMaritalStatus(record) },
    events,
    conflicts: crossCheck(p, record),
    unavailable: [],
    sources: { civilStatus: OK, population: OK }
  }
}

/** GET /v1/citizens/:id/documents; the dataset's tampered documents are rejected. */
export function documentList (p: PopulationRecord): Answer {
  const wallet = personas().walletOf(p.citizenId)
  const tampered = new Set(personas().vneid.tampered ?? [])
  const all = wallet?.documents ?? []
  return {
    citizenId: p.citizenId,
    account: wallet === undefined
      ? { status: 'none', level: null, activatedOn: null }
      : { status: 'active', ...wallet.account },
    documents: all.filter((d) => !tampered.has(d.documentId)).map((d) => toApiDocument(d, 'law', TODAY)),
    rejected: all.filter((d) => tampered.has(d.documentId))
      .map(({ documentId, type }) => ({ documentId, type, reason: 'signature-invalid' })),
    sources: { vneid: wallet === undefined ? { status: 'not-held' } : OK, population: OK }
  }
}

/** GET /v1/citizens/:id/documents/:documentId, for each document the persona holds. */
export function documentDetails (p: PopulationRecord): Answer[] {
  return documentList(p).documents.map((document: Answer) => ({
    citizenId: p.citizenId, document, sources: { vneid: OK, population: OK }
  }))
}

/** POST /v1/citizens/:id/verify with every attribute claimed. */
export function verifyResult (p: PopulationRecord): Answer {
  const results: Answer = {}
  const claims = ['fullName', 'dateOfBirth', 'sex', 'nationality', 'ethnicity', 'placeOfOrigin',
    'placeOfBirth', 'permanentAddress', 'currentAddress', 'householdId']
  claims.forEach((claim, i) => { results[claim] = ['match', 'partial', 'mismatch'][i % 3] })
  return { citizenId: p.citizenId, results, sources: { population: OK } }
}
