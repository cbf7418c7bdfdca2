import type {
  CivilEvent,
  CivilRecord,
  MaritalStatus,
  PopulationRecord,
  SourceName
} from '../../sources/types.js'

export interface ImpliedMaritalStatus {
  status: MaritalStatus
  since: string | null
  spouseId: string | null
  basedOn: string | null
}

export interface Conflict {
  field: 'maritalStatus' | 'lifeStatus' | 'spouseId' | 'fullName'
  values: Array<{
    source: SourceName
    value: string | null
    updatedAt: string | null
    eventId?: string
  }>
}

function chronological (events: CivilEvent[]): CivilEvent[] {
  return [...events].sort((a, b) =>
    a.date.localeCompare(b.date) || a.registeredOn.localeCompare(b.registeredOn))
}

function otherSpouse (event: CivilEvent, citizenId: string): string | null {
  const other = event.parties.find((p) => p.role === 'spouse' && p.citizenId !== citizenId)
  return other?.citizenId ?? null
}

function diedHere (event: CivilEvent, citizenId: string): boolean {
  return event.type === 'death' &&
    event.parties.some((p) => p.role === 'deceased' && p.citizenId === citizenId)
}

/**
 * The marital status the civil-status register's events imply, replayed in date order:
 * a marriage, then a divorce or the spouse's death. With no such event the person is
 * single as far as this register knows, and `basedOn` is null to say so.
 */
export function impliedMaritalStatus (record: CivilRecord): ImpliedMaritalStatus {
  const me = record.citizenId
  let state: ImpliedMaritalStatus = { status: 'single', since: null, spouseId: null, basedOn: null }
  for (const e of chronological(record.events)) {
    if (e.type === 'marriage') {
      state = { status: 'married', since: e.date, spouseId: otherSpouse(e, me), basedOn: e.eventId }
    } else if (e.type === 'divorce' && state.status === 'married') {
      state = { status: 'divorced', since: e.date, spouseId: null, basedOn: e.eventId }
    } else if (e.type === 'death' && state.spouseId !== null && diedHere(e, state.spouseId)) {
      state = { status: 'widowed', since: e.date, spouseId: null, basedOn: e.eventId }
    }
  }
  return state
}

function deathEvent (record: CivilRecord): CivilEvent | undefined {
  return record.events.find((e) => diedHere(e, record.citizenId))
}

function latestNameChange (record: CivilRecord): CivilEvent | undefined {
  return chronological(record.events).filter((e) => e.type === 'name-change').at(-1)
}

function pair (
  field: Conflict['field'],
  person: PopulationRecord,
  popValue: string | null,
  civil: { value: string | null, updatedAt: string, eventId?: string }
): Conflict {
  return {
    field,
    values: [
      { source: 'population', value: popValue, updatedAt: person.updatedAt },
      { source: 'civilStatus', ...civil }
    ]
  }
}

/**
 * Where the population register and the civil-status register disagree about the
 * same person. The gateway reports both values; which one is right is for the
 * officer and the registers to settle, not for the gateway to guess.
 */
export function crossCheck (person: PopulationRecord, civil: CivilRecord): Conflict[] {
  const conflicts: Conflict[] = []
  const implied = impliedMaritalStatus(civil)
  const ev = (id: string | null) => civil.events.find((e) => e.eventId === id)
  const basis = {
    updatedAt: ev(implied.basedOn)?.updatedAt ?? civil.updatedAt,
    ...(implied.basedOn === null ? {} : { eventId: implied.basedOn })
  }
  if (person.maritalStatus !== null && person.maritalStatus !== implied.status) {
    conflicts.push(pair('maritalStatus', person, person.maritalStatus,
      { value: implied.status, ...basis }))
  } else if (implied.status === 'married' && person.spouseId !== implied.spouseId) {
    conflicts.push(pair('spouseId', person, person.spouseId,
      { value: implied.spouseId, ...basis }))
  }
  const death = deathEvent(civil)
  const civilLife = death === undefined ? 'alive' : 'deceased'
  if (person.lifeStatus !== 'missing' && person.lifeStatus !== civilLife) {
    conflicts.push(pair('lifeStatus', person, person.lifeStatus, {
      value: civilLife,
      updatedAt: death?.updatedAt ?? civil.updatedAt,
      ...(death === undefined ? {} : { eventId: death.eventId })
    }))
  }
  const rename = latestNameChange(civil)
  if (rename?.details.newName !== undefined && rename.details.newName !== person.fullName) {
    conflicts.push(pair('fullName', person, person.fullName, {
      value: rename.details.newName, updatedAt: rename.updatedAt, eventId: rename.eventId
    }))
  }
  return conflicts
}
