import {
  citizenIdParam,
  integer,
  listOf,
  objectOf,
  opaqueIdParam,
  string
} from './common.js'
import { DOCUMENT_TYPES } from './vneid.js'

// Bodies of the sandbox changes. Every object refuses unknown fields, so a
// misspelt `dateOfDeath` is a 400 rather than a death dated today.

function strict (properties: Record<string, unknown>, required: string[]) {
  return { type: 'object', additionalProperties: false, required, properties }
}

const isoDate = { type: 'string', format: 'date' }
const text = { type: 'string', minLength: 1, maxLength: 200 }

const unit = strict({
  code: { type: 'string', pattern: '^[0-9]{1,10}$' },
  name: text
}, ['code', 'name'])

const street = { type: ['string', 'null'], minLength: 1, maxLength: 200 }

const address = strict({
  street,
  commune: unit,
  province: unit,
  former: strict({ street, commune: unit, district: unit, province: unit },
    ['street', 'commune', 'district', 'province'])
}, ['street', 'commune', 'province'])

const pair = {
  type: 'array', items: citizenIdParam, minItems: 2, maxItems: 2, uniqueItems: true
}

export const deathBody = strict({
  citizenId: citizenIdParam, date: isoDate, place: unit
}, ['citizenId'])

export const marriageBody = strict({ citizenIds: pair, date: isoDate },
  ['citizenIds'])

export const divorceBody = strict({
  citizenIds: pair, date: isoDate, court: text
}, ['citizenIds'])

export const addressBody = strict({
  citizenId: citizenIdParam,
  permanentResidence: address,
  currentResidence: { anyOf: [address, { type: 'null' }] }
}, ['citizenId'])

// The value shapes types.ts allows in `data`, kept small. One union type
// rather than anyOf: Fastify's Ajv coerces types, and inside anyOf a branch
// that fails can still have coerced the value (12 into ["12"]).
const dataValue = {
  type: ['string', 'number', 'boolean', 'null', 'array'],
  maxLength: 200,
  items: text,
  maxItems: 20
}

const documentData = {
  type: 'object',
  maxProperties: 20,
  propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9]{0,39}$' },
  additionalProperties: dataValue
}

const documentStatus = { enum: ['active', 'expired', 'revoked', 'pending'] }

const newDocument = strict({
  documentId: opaqueIdParam,
  type: { enum: DOCUMENT_TYPES },
  number: opaqueIdParam,
  issuedOn: isoDate,
  expiresOn: { type: ['string', 'null'], format: 'date' },
  issuer: text,
  status: documentStatus,
  data: documentData
}, ['type', 'number', 'issuedOn', 'expiresOn', 'issuer'])

export const issueBody = strict({
  citizenId: citizenIdParam, document: newDocument
}, ['citizenId', 'document'])

export const revokeParams = strict({ documentId: opaqueIdParam },
  ['documentId'])

export const revokeBody = strict({ citizenId: citizenIdParam }, ['citizenId'])

// Client ids and procedure codes as the gateway's catalogue writes them.
const grantee = {
  ...strict({
    clientId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,63}$' },
    procedureCode: {
      type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$'
    }
  }, []),
  minProperties: 1
}

export const grantConsentBody = strict({
  citizenId: citizenIdParam,
  consentId: opaqueIdParam,
  grantee,
  documentTypes: {
    type: 'array',
    items: { enum: DOCUMENT_TYPES },
    minItems: 1,
    uniqueItems: true
  },
  grantedOn: isoDate,
  validUntil: isoDate
}, ['citizenId', 'grantee', 'documentTypes', 'validUntil'])

export const revokeConsentBody = strict({
  citizenId: citizenIdParam, consentId: opaqueIdParam
}, ['citizenId', 'consentId'])

export const documentStatusBody = strict({
  citizenId: citizenIdParam, documentId: opaqueIdParam, status: documentStatus
}, ['citizenId', 'documentId', 'status'])

export const tamperBody = strict({
  citizenId: citizenIdParam,
  documentId: opaqueIdParam,
  changes: {
    ...strict({
      number: opaqueIdParam,
      issuedOn: isoDate,
      expiresOn: { type: ['string', 'null'], format: 'date' },
      issuer: text,
      status: documentStatus,
      data: documentData
    }, []),
    minProperties: 1
  }
}, ['citizenId', 'documentId', 'changes'])

const changeEvent = objectOf({
  eventId: string,
  type: string,
  register: string,
  occurredAt: string,
  records: listOf(objectOf({ source: string, kind: string, id: string }))
})

/** 200: the event announced and how many webhooks acknowledged it. */
export const changeAnswer = objectOf({ event: changeEvent, delivered: integer })
