import type { RecordRef } from '../../sources/change-events.js'
import type { Address, PopulationRecord } from '../../sources/types.js'
import {
  badRequest,
  conflict,
  personOf,
  type AppliedChange,
  type ChangeContext
} from './change.js'
import { foundHousehold, leaveHousehold } from './households.js'
import { civilRecordRef, householdRef, personRef } from './records.js'

export interface AddressBody {
  citizenId: string
  permanentResidence?: Address
  /** null: the person lives at their permanent residence. */
  currentResidence?: Address | null
}

/**
 * A new permanent residence is a new household registration (see
 * `rehouse`); a new current residence (tạm trú) touches the person only.
 */
export function changeAddress (
  ctx: ChangeContext, body: AddressBody
): AppliedChange {
  const { permanentResidence, currentResidence } = body
  if (permanentResidence === undefined && currentResidence === undefined) {
    badRequest('Give permanentResidence, currentResidence or both.')
  }
  const person = personOf(ctx.store, body.citizenId)
  if (person.lifeStatus === 'deceased') {
    conflict('The register keeps no address changes for the deceased.')
  }
  const moved = permanentResidence !== undefined &&
    !sameAddress(permanentResidence, person.permanentResidence)
  const households = moved ? rehouse(ctx, person, permanentResidence) : []
  ctx.store.population.putPerson({
    ...person,
    permanentResidence: permanentResidence ?? person.permanentResidence,
    currentResidence: currentResidence === undefined
      ? person.currentResidence
      : currentResidence,
    householdId: households.at(-1) ?? person.householdId,
    updatedAt: ctx.at.iso
  })
  return { type: 'address-change', records: recordsOf(ctx, person, households) }
}

// The register's rule: a household's members live at its address. A sole
// member takes the household along; anyone else leaves it and heads a new
// one at the new address. A family moving together is moved one by one.
// Returns the households altered, the person's new one last.
function rehouse (
  ctx: ChangeContext, person: PopulationRecord, address: Address
): string[] {
  const id = person.householdId
  const current = id === null ? undefined : ctx.store.population.household(id)
  if (current?.members.length === 1 &&
    current.members[0].citizenId === person.citizenId) {
    ctx.store.population.putHousehold(
      { ...current, address, updatedAt: ctx.at.iso })
    return [current.householdId]
  }
  const left = leaveHousehold(ctx, person)
  const founded = foundHousehold(ctx, person, address)
  return left === undefined ? [founded] : [left, founded]
}

// A person with no civil event shows the population record's updatedAt in
// their (empty) civil record, so that record changes too.
function recordsOf (
  { store }: ChangeContext, person: PopulationRecord, households: string[]
): RecordRef[] {
  const records = [personRef(person.citizenId), ...households.map(householdRef)]
  if (store.civilStatus.eventsOf(person.citizenId).length === 0) {
    records.push(civilRecordRef(person.citizenId))
  }
  return records
}

// Compared field by field: a body may list the keys in any order.
function sameAddress (a: Address, b: Address | null): boolean {
  return b !== null && canonical(a) === canonical(b)
}

function canonical (address: Address): string {
  const { street, commune, province, former } = address
  const unit = ({ code, name }: { code: string, name: string }) => [code, name]
  return JSON.stringify([street, unit(commune), unit(province), former && [
    former.street, unit(former.commune), unit(former.district),
    unit(former.province)
  ]])
}
