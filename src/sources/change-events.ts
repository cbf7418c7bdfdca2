import type { SourceName } from './types.js'

// A register's notice that records changed. The registers (the simulators here) POST
// it to the gateway's webhook, signed with a shared secret, and acknowledge the
// change to their own caller only once the gateway has answered: by then every
// cached copy of the records named here is gone.

/** One register record, as the cache knows it. */
export type RecordKind = 'person' | 'household' | 'civil-record' | 'wallet'

export interface RecordRef {
  source: SourceName
  kind: RecordKind
  /** The citizen id (person, civil-record, wallet) or the household id. */
  id: string
}

export type ChangeType =
  'death' | 'marriage' | 'divorce' | 'address-change' |
  'document-issued' | 'document-revoked' | 'document-status-changed' |
  'document-tampered' | 'consent-granted' | 'consent-revoked'

export interface ChangeEvent {
  /** Unique per event; a redelivered event carries the same id. */
  eventId: string
  type: ChangeType
  /** The register that published the event. */
  register: SourceName
  /** When the register made the change (ISO date-time). */
  occurredAt: string
  /** Every record whose content the change altered, across all registers. */
  records: RecordRef[]
}

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const SIGNATURE_HEADER = 'x-cdg-signature'
