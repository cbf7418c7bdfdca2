import type {
  CivilEvent,
  PopulationRecord,
  Unit
} from '../../sources/types.js'
import type { ChangeContext } from './change.js'

// The prefixes of registration numbers, as the registers use them:
// KT khai tử (death), KH kết hôn (marriage), LH ly hôn (divorce).
const REGISTRATION_KIND = { death: 'KT', marriage: 'KH', divorce: 'LH' }

// Registered where nothing better is known: a person with no residence on
// record and no place given.
const SANDBOX_OFFICE: Unit = { code: '00000', name: 'Sandbox registry office' }

export interface NewEvent {
  type: keyof typeof REGISTRATION_KIND
  date: string
  parties: CivilEvent['parties']
  registeredAt: Unit
  details?: CivilEvent['details']
}

/** Enters an event in the civil-status register, registered today. */
export function registerEvent (
  { store, at }: ChangeContext, fields: NewEvent
): CivilEvent {
  const taken = (id: string) => store.civilStatus.event(id) !== undefined
  const event: CivilEvent = {
    eventId: store.ids.next('EV', taken),
    type: fields.type,
    date: fields.date,
    parties: fields.parties,
    registrationNumber: store.ids.registration(
      REGISTRATION_KIND[fields.type], at.today.slice(0, 4)),
    registeredOn: at.today,
    registeredAt: fields.registeredAt,
    details: fields.details ?? {},
    updatedAt: at.iso
  }
  store.civilStatus.putEvent(event)
  return event
}

/** The commune where the person lives, where the event is registered. */
export function officeOf (person: PopulationRecord): Unit {
  const residence = person.currentResidence ?? person.permanentResidence
  return residence?.commune ?? SANDBOX_OFFICE
}
