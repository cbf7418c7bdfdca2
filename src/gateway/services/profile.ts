import type { Registers } from '../../sources/registers.js'
import type { Household, PopulationRecord } from '../../sources/types.js'
import { CitizenNotFound } from '../errors.js'
import { birthProvince } from './birth-province.js'
import { crossCheck } from './civil-facts.js'
import { SourceReport, settle } from './source-report.js'
import { minimiseProfile } from '../../access/minimise.js'
import type { View } from '../routes/view.js'

function identity (p: PopulationRecord, report: SourceReport) {
  return {
    source: 'population' as const,
    fullName: p.fullName,
    formerNames: p.formerNames,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    nationality: p.nationality,
    ethnicity: report.check('identity.ethnicity', p.ethnicity),
    religion: report.check('identity.religion', p.religion),
    placeOfBirth: report.check('identity.placeOfBirth', p.placeOfBirth),
    placeOfOrigin: report.check('identity.placeOfOrigin', p.placeOfOrigin),
    birthProvince: report.check('identity.birthProvince', birthProvince(p.citizenId)),
    formerIdentifiers: p.formerIdentifiers
  }
}

function household (p: PopulationRecord, h: Household | undefined) {
  if (h === undefined) return null
  const me = h.members.find((m) => m.citizenId === p.citizenId)
  return {
    source: 'population' as const,
    householdId: h.householdId,
    headId: h.headId,
    relationship: me?.relationship ?? null,
    members: h.members
  }
}

async function readHousehold (registers: Registers, p: PopulationRecord,
  report: SourceReport): Promise<Household | undefined> {
  if (p.householdId === null) return undefined
  const result = await settle(registers.household(p.householdId))
  return result.ok ? report.answered(result.value) : undefined
}

/**
 * The profile: identity, residence, household and life status from the population
 * register, cross-checked against the civil-status register read in parallel. When
 * only the civil-status register fails, the profile is still served and says that
 * the cross-check could not be made.
 */
export async function readProfile (registers: Registers, citizenId: string, view: View) {
  const report = new SourceReport()
  const [personCall, civilCall] = await Promise.all([
    registers.person(citizenId),
    settle(registers.civilRecord(citizenId))
  ])
  const person = report.answered(personCall)
  if (person === undefined) throw new CitizenNotFound()
  const civil = civilCall.ok ? report.answered(civilCall.value) : undefined
  if (!civilCall.ok) report.failed('civilStatus', 'conflicts')
  const house = await readHousehold(registers, person, report)
  if (house === undefined) report.missing('household')
  return report.answer(`profile|${view.key}`, () => minimiseProfile({
    citizenId,
    identity: identity(person, report),
    residence: {
      source: 'population' as const,
      permanent: report.check('residence.permanent', person.permanentResidence),
      current: report.check('residence.current', person.currentResidence)
    },
    household: household(person, house),
    lifeStatus: {
      source: 'population' as const,
      status: person.lifeStatus,
      dateOfDeath: person.dateOfDeath
    },
    maritalStatus: {
      source: 'population' as const,
      status: report.check('maritalStatus.status', person.maritalStatus),
      spouseId: person.spouseId
    },
    conflicts: civil === undefined ? [] : crossCheck(person, civil),
    unavailable: report.unavailable,
    sources: report.sources
  }, view))
}
