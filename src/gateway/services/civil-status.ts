import type { Registers } from '../../sources/registers.js'
import type { CivilEvent, CivilRecord } from '../../sources/types.js'
import { CitizenNotFound } from '../errors.js'
import { crossCheck, impliedMaritalStatus } from './civil-facts.js'
import { SourceReport, settle } from './source-report.js'
import { minimiseCivilStatus } from '../../access/minimise.js'
import type { View } from '../routes/view.js'

function toApiEvent (e: CivilEvent, citizenId: string) {
  const role = e.parties.find((p) => p.citizenId === citizenId)?.role ?? 'subject'
  return {
    eventId: e.eventId,
    type: e.type,
    date: e.date,
    role,
    parties: e.parties,
    registrationNumber: e.registrationNumber,
    registeredOn: e.registeredOn,
    registeredAt: e.registeredAt,
    details: e.details
  }
}

/**
 * The civil events of one citizen and the marital status they imply, with the
 * population register read in parallel: it proves the citizen exists and is the
 * other side of the cross-check.
 */
export async function readCivilStatus (registers: Registers, citizenId: string, view: View) {
  const report = new SourceReport()
  const [civilCall, personCall] = await Promise.all([
    registers.civilRecord(citizenId),
    settle(registers.person(citizenId))
  ])
  const civil = report.answered(civilCall)
  const person = personCall.ok ? report.answered(personCall.value) : undefined
  if (!personCall.ok) report.failed('population', 'conflicts')
  // With no civil record, only the population register can say whether the citizen
  // exists; if it failed, its failure is the answer, not a 404.
  if (civil === undefined && !personCall.ok) throw personCall.error
  if (civil === undefined && person === undefined) throw new CitizenNotFound()
  return report.answer(`civil-status|${view.key}`, () => {
    const record: CivilRecord = civil ?? { citizenId, events: [], updatedAt: '' }
    const events = [...record.events]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((e) => toApiEvent(e, citizenId))
    return minimiseCivilStatus({
      citizenId,
      maritalStatus: { source: 'civilStatus' as const, ...impliedMaritalStatus(record) },
      events,
      conflicts: civil !== undefined && person !== undefined ? crossCheck(person, civil) : [],
      unavailable: report.unavailable,
      sources: report.sources
    }, view)
  })
}
