// The records the three registers hold, as their HTTP APIs return them. The simulators
// serve exactly these shapes from fixtures/, and schemas/sources/*.schema.json describe
// them for the fixture validation test. The gateway's own answers are built from these
// in src/gateway/services and never pass a register record through unread.

export type SourceName = 'population' | 'civilStatus' | 'vneid'

/** An administrative unit named by its code and its name at the time of the record. */
export interface Unit {
  code: string
  name: string
}

/**
 * An address in the two-level form (province, commune) in force since 1 July 2025.
 * `former` is the three-level form it had before the reorganisation, kept only where
 * the reorganisation changed it.
 */
export interface Address {
  street: string | null
  commune: Unit
  province: Unit
  former?: {
    street: string | null
    commune: Unit
    district: Unit
    province: Unit
  }
}

export type Sex = 'male' | 'female'
export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed'
export type LifeStatus = 'alive' | 'deceased' | 'missing'

export interface FormerName {
  fullName: string
  /** ISO date the change took effect. */
  changedOn: string
}

export interface FormerIdentifier {
  /** `cmnd9`: the 9-digit identity card; `cmnd12`: the 12-digit one issued 2012-2016. */
  type: 'cmnd9' | 'cmnd12'
  value: string
  issuedOn: string | null
}

/** GET {POPULATION_URL}/persons/{citizenId} */
export interface PopulationRecord {
  citizenId: string
  fullName: string
  formerNames: FormerName[]
  dateOfBirth: string
  sex: Sex
  nationality: string
  ethnicity: string | null
  religion: string | null
  placeOfBirth: Address | null
  /** Quê quán: the family's place of origin, often only a commune and province. */
  placeOfOrigin: Address | null
  permanentResidence: Address | null
  currentResidence: Address | null
  householdId: string | null
  maritalStatus: MaritalStatus | null
  spouseId: string | null
  fatherId: string | null
  motherId: string | null
  lifeStatus: LifeStatus
  dateOfDeath: string | null
  formerIdentifiers: FormerIdentifier[]
  /** When the register last changed this record (ISO date-time). */
  updatedAt: string
}

export type HouseholdRelationship =
  'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other'

/** GET {POPULATION_URL}/households/{householdId} */
export interface Household {
  householdId: string
  headId: string
  address: Address
  members: Array<{ citizenId: string, relationship: HouseholdRelationship }>
  updatedAt: string
}

export type CivilEventType =
  'birth' | 'marriage' | 'divorce' | 'death' | 'name-change' | 'marital-status-confirmation'

/** One entry of the civil-status register (hộ tịch). */
export interface CivilEvent {
  eventId: string
  type: CivilEventType
  /** The date the event happened (for a divorce, the date the judgment took effect). */
  date: string
  /** The citizens the event is about: the child, both spouses, the deceased, ... */
  parties: Array<{ citizenId: string, role: CivilPartyRole }>
  registrationNumber: string
  registeredOn: string
  registeredAt: Unit
  /** Type-specific details; see the comments on each field. */
  details: {
    /** name-change: the name before and after. */
    previousName?: string
    newName?: string
    /** marital-status-confirmation: the status confirmed and how long the paper is valid. */
    confirmedStatus?: MaritalStatus
    validUntil?: string
    /** death: where the death occurred. */
    deathPlace?: Unit
    /** divorce: the court whose judgment took effect. */
    court?: string
  }
  updatedAt: string
}

export type CivilPartyRole =
  'subject' | 'child' | 'father' | 'mother' | 'spouse' | 'deceased'

/** GET {CIVIL_STATUS_URL}/persons/{citizenId}/events */
export interface CivilRecord {
  citizenId: string
  events: CivilEvent[]
  updatedAt: string
}

export type DocumentType =
  'id-card' | 'driving-licence' | 'health-insurance' | 'birth-certificate' |
  'marriage-certificate' | 'vehicle-registration' | 'passport'

export type DocumentStatus = 'active' | 'expired' | 'revoked' | 'pending'

export interface VneidDocument {
  documentId: string
  type: DocumentType
  number: string
  issuedOn: string
  /** null for documents that do not expire. */
  expiresOn: string | null
  issuer: string
  status: DocumentStatus
  /** Type-specific fields: licence classes, insurance benefit level, ... */
  data: Record<string, string | number | boolean | string[] | null>
  updatedAt: string
  /**
   * The register's signature over `documentSigningText` (see
   * src/sources/document-signature.ts). Every document the register serves carries
   * one; dataset files leave it out, since the simulator signs what it loads.
   */
  signature?: DocumentSignature
}

export interface DocumentSignature {
  /** `Ed25519`, the only algorithm the gateway accepts. */
  alg: string
  /** First 16 hex digits of SHA-256 over the signing public key (DER, SPKI). */
  keyId: string
  /** The signature, base64. */
  value: string
}

/**
 * A citizen's consent, given in the VNeID app, to release documents of the listed
 * types to an agency's system (`clientId`) or for a procedure (`procedureCode`).
 */
export interface VneidConsent {
  consentId: string
  /** At least one of the two. */
  grantee: { clientId?: string, procedureCode?: string }
  documentTypes: DocumentType[]
  grantedOn: string
  /** The last day (Vietnam time) the consent holds. */
  validUntil: string
}

/**
 * GET {VNEID_URL}/citizens/{citizenId}/documents. A citizen with no VNeID account
 * gets 404 with `code: ACCOUNT_NOT_FOUND` rather than an empty wallet.
 */
export interface VneidWallet {
  citizenId: string
  account: { level: 1 | 2, activatedOn: string }
  documents: VneidDocument[]
  /** Consents in force or lapsed; a revoked consent is gone from the list. */
  consents: VneidConsent[]
  updatedAt: string
}

/** GET {POPULATION_URL}/identifiers/{value} and GET {VNEID_URL}/identifiers/{value} */
export interface IdentifierLink {
  identifier: string
  type: 'cmnd9' | 'cmnd12' | 'driving-licence' | 'health-insurance' | 'passport'
  citizenId: string
}

/** POST {POPULATION_URL}/search body; the register returns coarse candidates. */
export interface PopulationSearch {
  fullName?: string
  dateOfBirth?: string
  birthYear?: number
  sex?: Sex
  placeOfOriginProvince?: string
  limit?: number
}

export interface PopulationSearchResult {
  candidates: PopulationRecord[]
}

// The files of one dataset folder under fixtures/ (personas/, generated/, ...). Each
// simulator loads every configured dataset and serves their union.

/** fixtures/<dataset>/population.json */
export interface PopulationDataset {
  persons: PopulationRecord[]
  households: Household[]
}

/** fixtures/<dataset>/civil-status.json: events are indexed by each of their parties. */
export interface CivilStatusDataset {
  events: CivilEvent[]
}

/** fixtures/<dataset>/vneid.json */
export interface VneidDataset {
  wallets: VneidWallet[]
  /**
   * Document ids the simulator serves with a signature that does not match the
   * document, as after an alteration the register did not sign: sandbox cases for a
   * gateway that must refuse them.
   */
  tampered?: string[]
}
