// The access audit log: what the rest of the gateway imports.
export type {
  AuditCacheState, AuditCheck, AuditCheckItem, AuditCheckpoint, AuditCheckStatus,
  AuditEvent, AuditFilter, AuditOutcome,
  AuditPage, AuditPageOptions, AuditProblem, AuditRecord, AuditRegister,
  AuditSource, AuditStore, AuditVerifyResult
} from './types.js'
export type { AuditLogger, AuditStoreOptions, CommitInfo } from './chained-store.js'
export {
  AuditClosedError, AuditConfigError, AuditEventError, AuditQueryError
} from './errors.js'
export { toCsv, toJsonLines } from './export.js'
// For views that page over part of what query() returns: the cursor that resumes
// after a given record.
export { encodeCursor as cursorAfter } from './query-input.js'
export { PostgresAuditStore, type PostgresAuditStoreOptions } from './postgres-store.js'
export { keyIdOf, type KeyInput } from './signer.js'
export { SqliteAuditStore, type SqliteAuditStoreOptions } from './sqlite-store.js'
