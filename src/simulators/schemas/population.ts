import {
  address, integer, listOf, nullableAddress, nullableString, objectOf, string
} from './common.js'

export const populationRecord = objectOf({
  citizenId: string,
  fullName: string,
  formerNames: listOf(objectOf({ fullName: string, changedOn: string })),
  dateOfBirth: string,
  sex: string,
  nationality: string,
  ethnicity: nullableString,
  religion: nullableString,
  placeOfBirth: nullableAddress,
  placeOfOrigin: nullableAddress,
  permanentResidence: nullableAddress,
  currentResidence: nullableAddress,
  householdId: nullableString,
  maritalStatus: nullableString,
  spouseId: nullableString,
  fatherId: nullableString,
  motherId: nullableString,
  lifeStatus: string,
  dateOfDeath: nullableString,
  formerIdentifiers: listOf(objectOf({
    type: string, value: string, issuedOn: nullableString
  })),
  updatedAt: string
})

export const household = objectOf({
  householdId: string,
  headId: string,
  address,
  members: listOf(objectOf({ citizenId: string, relationship: string })),
  updatedAt: string
})

export const searchResult = objectOf({ candidates: listOf(populationRecord) })

export const searchBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fullName: { type: 'string', minLength: 1, maxLength: 200 },
    dateOfBirth: { type: 'string', format: 'date' },
    birthYear: { ...integer, minimum: 1800, maximum: 2200 },
    sex: { enum: ['male', 'female'] },
    placeOfOriginProvince: { type: 'string', minLength: 1, maxLength: 200 },
    // The default (20) lives in search.ts.
    limit: { ...integer, minimum: 1, maximum: 50 }
  }
} as const
