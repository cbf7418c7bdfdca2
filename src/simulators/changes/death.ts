import type { RecordRef } from '../../sources/change-events.js'
import type {
  CivilEvent,
  PopulationRecord,
  Unit
} from '../../sources/types.js'
import type { SimulatorStore } from '../store.js'
import {
  conflict,
  pastDate,
  personOf,
  type AppliedChange,
  type ChangeContext
} from './change.js'
import { officeOf, registerEvent } from './civil-events.js'
import { revokeActiveDocuments } from './documents.js'
import { leaveHousehold } from './households.js'
import {
  civilRecordRef,
  householdRef,
  personRef,
  walletRef
} from './records.js'

export interface DeathBody {
  citizenId: string
  /** ISO date; today when left out. */
  date?: string
  place?: Unit
}

/**
 * A death as the registers record it together: the person is deceased and
 * off their household, a surviving spouse is widowed, the death enters both
 * their civil records, and the person's active VNeID documents are revoked.
 */
export function registerDeath (
  ctx: ChangeContext, body: DeathBody
): AppliedChange {
  const { store, at } = ctx
  const person = personOf(store, body.citizenId)
  const date = pastDate(body.date, at)
  if (person.lifeStatus === 'deceased') {
    conflict('The person is registered as deceased already.')
  }
  if (date < person.dateOfBirth) conflict('The death precedes the birth.')
  const spouse = survivingSpouse(store, person)
  const records: RecordRef[] = [personRef(person.citizenId)]
  store.population.putPerson({
    ...person,
    lifeStatus: 'deceased',
    dateOfDeath: date,
    householdId: null,
    updatedAt: at.iso
  })
  if (spouse !== undefined) records.push(widow(ctx, spouse))
  const household = leaveHousehold(ctx, person)
  if (household !== undefined) records.push(householdRef(household))
  records.push(...enterDeath(ctx, { person, spouse, date, place: body.place }))
  if (revokeActiveDocuments(ctx, person.citizenId)) {
    records.push(walletRef(person.citizenId))
  }
  return { type: 'death', records }
}

// Only a spouse who names the person back is widowed: a dataset where the
// two disagree is left as it is rather than guessed at.
function survivingSpouse (store: SimulatorStore, person: PopulationRecord) {
  if (person.spouseId === null) return undefined
  const spouse = store.population.person(person.spouseId)
  return spouse?.spouseId === person.citizenId ? spouse : undefined
}

function widow ({ store, at }: ChangeContext, spouse: PopulationRecord) {
  store.population.putPerson({
    ...spouse, maritalStatus: 'widowed', spouseId: null, updatedAt: at.iso
  })
  return personRef(spouse.citizenId)
}

interface Death {
  person: PopulationRecord
  spouse: PopulationRecord | undefined
  date: string
  place: Unit | undefined
}

function enterDeath (ctx: ChangeContext, death: Death): RecordRef[] {
  const { person, spouse, date, place } = death
  const parties: CivilEvent['parties'] =
    [{ citizenId: person.citizenId, role: 'deceased' }]
  if (spouse !== undefined) {
    parties.push({ citizenId: spouse.citizenId, role: 'spouse' })
  }
  registerEvent(ctx, {
    type: 'death',
    date,
    parties,
    registeredAt: place ?? officeOf(person),
    details: place === undefined ? {} : { deathPlace: place }
  })
  return parties.map((party) => civilRecordRef(party.citizenId))
}
