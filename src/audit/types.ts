/** The registers behind the gateway, as named in audit records. */
export type AuditRegister = 'population' | 'civilStatus' | 'vneid'

/** How the gateway got a register's answer for this request. */
export type AuditCacheState = 'hit' | 'miss' | 'stale' | 'none'

export type AuditOutcome = 'allowed' | 'denied' | 'failed'

export interface AuditSource {
  register: AuditRegister
  cache: AuditCacheState
}

export type AuditCheckStatus = 'satisfied' | 'must-submit' | 'not-applicable'

/** One requirement of a procedure for one party, as a requirement check found it. */
export interface AuditCheckItem {
  requirementId: string
  documentType: string
  role: string
  status: AuditCheckStatus
  /** Why the citizen must bring it; null otherwise. */
  reason: string | null
  /** The register the requirement can come from; null when none holds it. */
  source: AuditRegister | null
}

/**
 * What a requirement check reported, enough to compute reuse statistics from the
 * log alone. Names no document and no field value; citizen ids only, as elsewhere.
 */
export interface AuditCheck {
  /** The parties given, a null citizen id for a role whose person is not known. */
  parties: Array<{ role: string, citizenId: string | null }>
  items: AuditCheckItem[]
  /** The counter is outside the applicant's commune of permanent residence; null: unknown. */
  outsideResidence: boolean | null
}

/**
 * One access to citizen data, as the gateway reports it before a response leaves.
 *
 * It holds no personal data beyond citizen ids and the names of the fields returned:
 * never a name, an address, a field value, a raw URL or a request body. Requests and
 * responses appear only as hashes. This keeps the log safe to show to the citizen it
 * is about and to auditors, and keeps its retention apart from the registers' own.
 */
export interface AuditEvent {
  /** When the access happened (ISO 8601; stored normalised to UTC milliseconds). */
  time: string
  requestId: string
  /** The procedure system (API client) that asked. */
  clientId: string
  officerId: string | null
  procedureCode: string | null
  dossierId: string | null
  counterCode: string | null
  /** The citizens whose data was read or asked for; none for a search that found no one. */
  citizenIds: string[]
  /** Stable operation name, e.g. `citizens.get`. */
  operation: string
  method: string
  /** Route template (`/v1/citizens/:id`), never the raw URL. */
  route: string
  /** Field paths returned, e.g. `identity.fullName`; empty when nothing was. */
  fields: string[]
  sources: AuditSource[]
  outcome: AuditOutcome
  /** HTTP status sent. */
  status: number
  /** Problem code for a denied or failed access, null when allowed. */
  reason: string | null
  /** ISO date until which the citizen's own view of the log withholds this access. */
  covertUntil: string | null
  requestHash: string | null
  responseHash: string | null
  /** What a requirement check reported; absent (stored as null) for other operations. */
  check?: AuditCheck | null
}

/**
 * An event once it is in the chain. `seq` is 1-based and gap-free per store; it is
 * a JavaScript number, exact up to 2^53 (9 × 10^15 records). `id` is `aud_<seq>`.
 * `hash` is SHA-256 (hex) over `prevHash` and the record's canonical content
 * (see canonical.ts); the first record's `prevHash` is 64 zeros.
 */
export interface AuditRecord extends AuditEvent {
  check: AuditCheck | null
  seq: number
  id: string
  prevHash: string
  hash: string
}

/** A signed statement that the chain had `hash` at `seq` at `time`. */
export interface AuditCheckpoint {
  seq: number
  hash: string
  time: string
  /** Fingerprint of the Ed25519 key that signed it (see signer.ts). */
  keyId: string
  /** Ed25519 signature, base64. */
  signature: string
}

/** Every given criterion must match; time is `from` inclusive, `to` exclusive. */
export interface AuditFilter {
  citizenId?: string
  clientId?: string
  officerId?: string
  procedureCode?: string
  dossierId?: string
  /** Exact operation name, e.g. `procedures.requirements`. */
  operation?: string
  outcome?: AuditOutcome
  from?: string
  to?: string
}

export interface AuditPageOptions {
  /** Records per page, 1 to 1000; 100 when absent. */
  limit?: number
  /** `nextCursor` of the previous page. */
  cursor?: string | null
}

export interface AuditPage {
  records: AuditRecord[]
  /** Null on the last page. */
  nextCursor: string | null
}

export type AuditProblem =
  | 'hash-mismatch' | 'broken-link' | 'missing' | 'reordered'
  | 'checkpoint-mismatch' | 'bad-signature' | 'truncated'

export interface AuditVerifyResult {
  ok: boolean
  /** Records checked before the first problem (all of them when ok). */
  checked: number
  /** Checkpoints whose signature and hash were checked. */
  checkpoints: number
  /**
   * The first failure in seq order. `id` is the record's (`aud_<seq>`), or the
   * checkpoint's (`chk_<seq>`) for checkpoint problems.
   */
  firstBad?: { seq: number, id: string, problem: AuditProblem }
}

/** The access audit log. Both stores (SQLite, PostgreSQL) behave the same. */
export interface AuditStore {
  /** Fingerprint of the checkpoint signing key; null when opened without one. */
  readonly keyId: string | null
  readonly publicKeyPem: string | null
  /**
   * Resolves once the record is committed and flushed to disk. Concurrent appends
   * share one transaction. Rejects when the store cannot make it durable.
   */
  append: (event: AuditEvent) => Promise<AuditRecord>
  query: (filter: AuditFilter, page?: AuditPageOptions) => Promise<AuditPage>
  /**
   * Every matching record in seq order, read a page at a time. With `operation`,
   * `from` and `to`, this is how statistics read one operation's records over a
   * period. The (operation, seq) index is there for it; the time bounds are checked
   * along it, so the first page walks the operation's records from the oldest.
   */
  stream: (filter: AuditFilter) => AsyncIterable<AuditRecord>
  /** Checkpoints after `afterSeq` in seq order. */
  checkpoints: (opts?: { afterSeq?: number, limit?: number }) => Promise<AuditCheckpoint[]>
  verify: () => Promise<AuditVerifyResult>
  /** Waits for pending appends, writes a last checkpoint, then releases the store. */
  close: () => Promise<void>
}
