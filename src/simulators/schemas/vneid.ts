import { integer, listOf, nullableString, objectOf, string } from './common.js'

export const DOCUMENT_TYPES = [
  'id-card', 'driving-licence', 'health-insurance', 'birth-certificate',
  'marriage-certificate', 'vehicle-registration', 'passport'
] as const

// A type list such as ['string', 'array'] makes the serialiser join arrays
// into one string, so list values get their own branch.
const dataValue = {
  anyOf: [
    listOf(string),
    { type: ['string', 'number', 'boolean', 'null'] }
  ]
}

export const vneidDocument = objectOf({
  documentId: string,
  type: string,
  number: string,
  issuedOn: string,
  expiresOn: nullableString,
  issuer: string,
  status: string,
  data: { type: 'object', additionalProperties: dataValue },
  updatedAt: string,
  signature: objectOf({ alg: string, keyId: string, value: string })
})

const vneidConsent = objectOf({
  consentId: string,
  grantee: objectOf({ clientId: string, procedureCode: string }),
  documentTypes: listOf(string),
  grantedOn: string,
  validUntil: string
})

export const vneidWallet = objectOf({
  citizenId: string,
  account: objectOf({ level: integer, activatedOn: string }),
  documents: listOf(vneidDocument),
  consents: listOf(vneidConsent),
  updatedAt: string
})

export const signingKey = objectOf({ keyId: string, publicKeyPem: string })

export const walletQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { type: { enum: DOCUMENT_TYPES } }
} as const
