import type { Registers } from '../../sources/registers.js'
import type { PopulationRecord } from '../../sources/types.js'
import { CitizenNotFound } from '../errors.js'
import { nameMatchKey } from '../../reference/names.js'
import { matchAddress, matchName, type ClaimedAddress, type MatchResult } from './address-match.js'
import { SourceReport } from './source-report.js'
import { minimiseVerifyResult } from '../../access/minimise.js'
import type { View } from '../routes/view.js'

export interface ClaimedAttributes {
  fullName?: string
  dateOfBirth?: string
  sex?: string
  nationality?: string
  ethnicity?: string
  placeOfOrigin?: ClaimedAddress
  placeOfBirth?: ClaimedAddress
  permanentAddress?: ClaimedAddress
  currentAddress?: ClaimedAddress
  householdId?: string
}

type Check = (claimed: any, p: PopulationRecord) => MatchResult

const exact = (a: unknown, b: unknown): MatchResult => {
  if (b === null) return 'unavailable'
  return a === b ? 'match' : 'mismatch'
}

const CHECKS: Record<keyof ClaimedAttributes, Check> = {
  fullName: (c: string, p) => matchName(c, p.fullName),
  dateOfBirth: (c: string, p) => exact(c, p.dateOfBirth),
  sex: (c: string, p) => exact(c, p.sex),
  nationality: (c: string, p) => exact(nameMatchKey(c), nameMatchKey(p.nationality)),
  ethnicity: (c: string, p) => exact(nameMatchKey(c), p.ethnicity === null ? null : nameMatchKey(p.ethnicity)),
  placeOfOrigin: (c: ClaimedAddress, p) => matchAddress(c, p.placeOfOrigin),
  placeOfBirth: (c: ClaimedAddress, p) => matchAddress(c, p.placeOfBirth),
  permanentAddress: (c: ClaimedAddress, p) => matchAddress(c, p.permanentResidence),
  currentAddress: (c: ClaimedAddress, p) => matchAddress(c, p.currentResidence),
  householdId: (c: string, p) => exact(c, p.householdId)
}

/**
 * Checks what a paper form claims against the population register and answers only
 * match, partial, mismatch or unavailable per attribute: the register's values never
 * leave the gateway on this route.
 */
export async function verifyAttributes (registers: Registers, citizenId: string,
  claimed: ClaimedAttributes, view: View) {
  const report = new SourceReport()
  const person = report.answered(await registers.person(citizenId))
  if (person === undefined) throw new CitizenNotFound()
  const results: Partial<Record<keyof ClaimedAttributes, MatchResult>> = {}
  for (const key of Object.keys(claimed) as Array<keyof ClaimedAttributes>) {
    results[key] = CHECKS[key](claimed[key], person)
  }
  return report.finish(minimiseVerifyResult({ citizenId, results, sources: report.sources }, view))
}
