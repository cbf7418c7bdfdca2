// Errors the audit module throws. Messages name fields, never their values: an
// event carries citizen ids, which must not reach logs through an error message.

export class AuditEventError extends Error {
  override name = 'AuditEventError'
  code = 'AUDIT_EVENT_INVALID'
}

export class AuditQueryError extends Error {
  override name = 'AuditQueryError'
  code = 'AUDIT_QUERY_INVALID'

  /** The filter key or page option refused (`from`, `limit`, `cursor`...). */
  readonly parameter: string

  constructor (message: string, parameter: string) {
    super(message)
    this.parameter = parameter
  }
}

export class AuditConfigError extends Error {
  override name = 'AuditConfigError'
  code = 'AUDIT_CONFIG_INVALID'
}

/** The store was closed, or opened read-only, and cannot take appends. */
export class AuditClosedError extends Error {
  override name = 'AuditClosedError'
  code = 'AUDIT_CLOSED'
}
