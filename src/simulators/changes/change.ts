import type { ChangeType, RecordRef } from '../../sources/change-events.js'
import type { PopulationRecord } from '../../sources/types.js'
import { ProblemError } from '../problems.js'
import type { SimulatorStore } from '../store.js'

/** The one instant a change happens at, for every record it touches. */
export interface ChangeTime {
  /** ISO date-time: the new `updatedAt` and the event's `occurredAt`. */
  iso: string
  /** The date in Vietnam, where the registers keep their calendar. */
  today: string
}

export interface ChangeContext {
  store: SimulatorStore
  at: ChangeTime
}

/** What a change did: the records it altered, in the order it altered them. */
export interface AppliedChange {
  type: ChangeType
  records: RecordRef[]
}

// Vietnam keeps UTC+7 all year (no daylight saving), so a fixed shift gives
// its calendar date.
const VIETNAM_OFFSET_MS = 7 * 3_600_000

export function changeTime (now = new Date()): ChangeTime {
  const today = new Date(now.getTime() + VIETNAM_OFFSET_MS)
  return { iso: now.toISOString(), today: today.toISOString().slice(0, 10) }
}

export function personOf (
  store: SimulatorStore, citizenId: string
): PopulationRecord {
  const person = store.population.person(citizenId)
  if (person === undefined) throw new ProblemError('PERSON_NOT_FOUND')
  return person
}

/** The date a caller gave, or today; a date still to come is refused. */
export function pastDate (given: string | undefined, at: ChangeTime) {
  if (given === undefined) return at.today
  if (given > at.today) badRequest('The date cannot be later than today.')
  return given
}

/** Whole years from `birth` to `date`, both ISO dates. */
export function ageOn (birth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4))
  return date.slice(5) < birth.slice(5) ? years - 1 : years
}

/** The register's state forbids the change; `detail` names no one. */
export function conflict (detail: string): never {
  throw new ProblemError('CHANGE_CONFLICT', { detail })
}

export function badRequest (detail: string): never {
  throw new ProblemError('BAD_REQUEST', { detail })
}
