// The vocabulary of field paths, shared by the procedure catalogue, the client's
// `fields` parameter and the audit record. A path names a part of one gateway
// answer; the allowed set qualifies it with its source (`population:lifeStatus`),
// because the profile and the civil-status answer both have a `maritalStatus`.

export const SOURCES = ['population', 'civilStatus', 'vneid', 'verify'] as const
export type FieldSource = typeof SOURCES[number]

export const IDENTITY_FIELDS = [
  'fullName', 'formerNames', 'dateOfBirth', 'sex', 'nationality', 'ethnicity',
  'religion', 'placeOfBirth', 'placeOfOrigin', 'birthProvince', 'formerIdentifiers'
] as const

/** Paths of the profile (GET /v1/citizens/:id) a procedure may list. */
export const POPULATION_PATHS = [
  ...IDENTITY_FIELDS.map((f) => `identity.${f}`),
  'residence.permanent', 'residence.current',
  'household', 'lifeStatus', 'maritalStatus'
] as const

export const EVENT_TYPES = [
  'birth', 'marriage', 'divorce', 'death', 'name-change',
  'marital-status-confirmation'
] as const
export type EventType = typeof EVENT_TYPES[number]

/** Paths of the civil-status answer a procedure may list. */
export const CIVIL_STATUS_PATHS = [
  'maritalStatus', ...EVENT_TYPES.map((t) => `events.${t}`)
] as const

export const DOCUMENT_TYPES = [
  'id-card', 'driving-licence', 'health-insurance', 'birth-certificate',
  'marriage-certificate', 'vehicle-registration', 'passport'
] as const
export type DocumentType = typeof DOCUMENT_TYPES[number]

/**
 * Fields of a document a procedure may list. `documentId` and `type` are not
 * listed: they come with every document that is returned at all, since a
 * document without them cannot be asked for again or told apart.
 */
export const DOCUMENT_FIELDS = [
  'number', 'issuedOn', 'expiresOn', 'issuer', 'status', 'valid', 'data',
  'updatedAt'
] as const

/**
 * What each claim of POST /verify is checked against. A verify answer says only
 * match or mismatch, so a procedure that may read the field may verify it.
 */
export const VERIFY_CHECKS: Readonly<Record<string, string>> = {
  fullName: 'identity.fullName',
  dateOfBirth: 'identity.dateOfBirth',
  sex: 'identity.sex',
  nationality: 'identity.nationality',
  ethnicity: 'identity.ethnicity',
  placeOfOrigin: 'identity.placeOfOrigin',
  placeOfBirth: 'identity.placeOfBirth',
  permanentAddress: 'residence.permanent',
  currentAddress: 'residence.current',
  householdId: 'household'
}

/** `population:identity.fullName` from its parts. */
export function qualified (source: FieldSource, path: string): string {
  return `${source}:${path}`
}

/** The vneid path of one field of one document type: `driving-licence.number`. */
export function documentPath (type: string, field: string): string {
  return `${type}.${field}`
}
