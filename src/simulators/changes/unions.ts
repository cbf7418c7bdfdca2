import type { PopulationRecord } from '../../sources/types.js'
import type { SimulatorStore } from '../store.js'
import {
  ageOn,
  conflict,
  pastDate,
  personOf,
  type AppliedChange,
  type ChangeContext
} from './change.js'
import { officeOf, registerEvent } from './civil-events.js'
import { civilRecordRef, personRef } from './records.js'

export interface MarriageBody {
  citizenIds: [string, string]
  date?: string
}

export interface DivorceBody extends MarriageBody {
  /** The court whose judgment took effect. */
  court?: string
}

// Law on Marriage and Family 2014, article 8: men from 20, women from 18.
const MARRIAGE_AGE = { male: 20, female: 18 }

/** Both become married to each other, and the marriage enters both records. */
export function registerMarriage (
  ctx: ChangeContext, body: MarriageBody
): AppliedChange {
  const pair = pairOf(ctx.store, body.citizenIds)
  const date = pastDate(body.date, ctx.at)
  // Article 8 again: the State does not recognise marriage between people
  // of the same sex, so the register has no way to enter one.
  if (pair[0].sex === pair[1].sex) {
    conflict('The register enters marriages between a man and a woman only.')
  }
  for (const person of pair) checkMayMarry(person, date)
  setPartners(ctx, pair, 'married')
  return enterUnion(ctx, { type: 'marriage', pair, date })
}

/** Both become divorced, and the divorce enters both records. */
export function registerDivorce (
  ctx: ChangeContext, body: DivorceBody
): AppliedChange {
  const pair = pairOf(ctx.store, body.citizenIds)
  const date = pastDate(body.date, ctx.at)
  const [a, b] = pair
  if (a.spouseId !== b.citizenId || b.spouseId !== a.citizenId) {
    conflict('The two are not married to each other.')
  }
  if (date < marriedOn(ctx.store, pair)) {
    conflict('The divorce precedes the marriage.')
  }
  setPartners(ctx, pair, 'divorced')
  const details = body.court === undefined ? {} : { court: body.court }
  return enterUnion(ctx, { type: 'divorce', pair, date, details })
}

type Pair = [PopulationRecord, PopulationRecord]

function pairOf (store: SimulatorStore, ids: [string, string]): Pair {
  return [personOf(store, ids[0]), personOf(store, ids[1])]
}

function checkMayMarry (person: PopulationRecord, date: string): void {
  if (person.lifeStatus !== 'alive') {
    conflict('Only people registered as alive can marry.')
  }
  if (person.maritalStatus === 'married' || person.spouseId !== null) {
    conflict('One of the two is married already.')
  }
  if (date < person.dateOfBirth ||
    ageOn(person.dateOfBirth, date) < MARRIAGE_AGE[person.sex]) {
    conflict('One of the two is under the legal age to marry.')
  }
}

// The latest marriage of the two on record; none gives the earliest date.
function marriedOn (store: SimulatorStore, [a, b]: Pair): string {
  const marriages = store.civilStatus.eventsOf(a.citizenId)
    .filter((event) => event.type === 'marriage' &&
      event.parties.some((party) => party.citizenId === b.citizenId))
  return marriages.at(-1)?.date ?? ''
}

function setPartners (
  { store, at }: ChangeContext, [a, b]: Pair,
  status: 'married' | 'divorced'
): void {
  const partner = (other: PopulationRecord) =>
    status === 'married' ? other.citizenId : null
  store.population.putPerson({
    ...a, maritalStatus: status, spouseId: partner(b), updatedAt: at.iso
  })
  store.population.putPerson({
    ...b, maritalStatus: status, spouseId: partner(a), updatedAt: at.iso
  })
}

interface Union {
  type: 'marriage' | 'divorce'
  pair: Pair
  date: string
  details?: { court?: string }
}

function enterUnion (ctx: ChangeContext, union: Union): AppliedChange {
  const ids = union.pair.map((person) => person.citizenId)
  registerEvent(ctx, {
    type: union.type,
    date: union.date,
    parties: ids.map((citizenId) => ({ citizenId, role: 'spouse' })),
    registeredAt: officeOf(union.pair[0]),
    details: union.details
  })
  return {
    type: union.type,
    records: [...ids.map(personRef), ...ids.map(civilRecordRef)]
  }
}
