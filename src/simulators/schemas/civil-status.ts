import { listOf, objectOf, string, unit } from './common.js'

export const civilEvent = objectOf({
  eventId: string,
  type: string,
  date: string,
  parties: listOf(objectOf({ citizenId: string, role: string })),
  registrationNumber: string,
  registeredOn: string,
  registeredAt: unit,
  details: objectOf({
    previousName: string,
    newName: string,
    confirmedStatus: string,
    validUntil: string,
    deathPlace: unit,
    court: string
  }),
  updatedAt: string
})

export const civilRecord = objectOf({
  citizenId: string,
  events: listOf(civilEvent),
  updatedAt: string
})
