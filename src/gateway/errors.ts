import createError from '@fastify/error'

// The one catalogue of the gateway's error codes. A code keeps its meaning forever:
// procedure systems branch on it. Messages are fixed texts or carry only header and
// field names, never a value a client sent, so no personal data reaches an error body.

// Request shape and identifiers.
export const InvalidCitizenId = createError(
  'INVALID_CITIZEN_ID',
  'The citizen id is not a valid 12-digit personal identification number: %s',
  400)
export const InvalidIdentifier = createError(
  'INVALID_IDENTIFIER',
  'The identifier matches no known identifier format', 400)
export const ValidationFailed = createError(
  'VALIDATION_FAILED', 'The request does not match the contract', 400)
export const MalformedBody = createError(
  'MALFORMED_BODY', 'The request body is not valid JSON', 400)
export const BodyTooLarge = createError(
  'BODY_TOO_LARGE', 'The request body exceeds %s bytes', 413)
export const UnsupportedMediaType = createError(
  'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json', 415)
export const RouteNotFound = createError(
  'ROUTE_NOT_FOUND', 'No route matches this method and path', 404)

// Credentials and purpose.
export const CredentialsMissing = createError(
  'CREDENTIALS_MISSING', 'Send an API key as "Authorization: Bearer <key>"', 401)
export const CredentialsInvalid = createError(
  'CREDENTIALS_INVALID', 'The API key is not valid', 401)
export const DemoKeyRefused = createError(
  'DEMO_KEY_REFUSED', 'Sandbox demo keys are refused in production', 403)
export const PurposeMissing = createError(
  'PURPOSE_MISSING', 'Personal data requires the %s header', 400)
export const PurposeInvalid = createError(
  'PURPOSE_INVALID', 'The %s header is malformed', 400)

export const RateLimited = createError(
  'RATE_LIMITED', 'This client has made too many requests; retry after the delay given', 429)

// Need to know: what a client may read, and for which procedure.
export const ScopeMissing = createError(
  'SCOPE_MISSING', 'This client lacks the %s scope this route needs', 403)
export const ProcedureUnknown = createError(
  'PROCEDURE_UNKNOWN', 'The X-Procedure-Code names no procedure in the catalogue', 403)
export const ProcedureNotPermitted = createError(
  'PROCEDURE_NOT_PERMITTED', 'This client may not cite the procedure it named', 403)
export const ProcedureMismatch = createError(
  'PROCEDURE_MISMATCH', 'The X-Procedure-Code names another procedure than the path', 400)
export const PartyMissing = createError(
  'PARTY_MISSING', 'The procedure needs a party with the role %s', 400)
export const PartyInvalid = createError(
  'PARTY_INVALID', 'The role %s is not a party of this procedure, or is given twice', 400)
export const FieldsInvalid = createError(
  'FIELDS_INVALID',
  'The fields parameter must be a comma-separated list of at most %s field paths',
  400)
export const FieldUnknown = createError(
  'FIELD_UNKNOWN', 'The fields parameter names a path that %s answers do not have', 400)

// Records that do not exist.
export const CitizenNotFound = createError(
  'CITIZEN_NOT_FOUND', 'No register holds this citizen', 404)
export const DocumentNotFound = createError(
  'DOCUMENT_NOT_FOUND', 'The citizen has no document with this id', 404)
export const ProcedureNotFound = createError(
  'PROCEDURE_NOT_FOUND', 'The catalogue has no procedure with this code', 404)
export const IdentifierNotFound = createError(
  'IDENTIFIER_NOT_FOUND', 'No register knows this identifier', 404)

// Registers behind the gateway. The register's own message stays in `cause`, for logs.
export const UpstreamUnavailable = createError(
  'UPSTREAM_UNAVAILABLE', 'The %s register is unavailable', 503)
export const UpstreamTimeout = createError(
  'UPSTREAM_TIMEOUT', 'The %s register did not answer in time', 504)
export const UpstreamBadResponse = createError(
  'UPSTREAM_BAD_RESPONSE', 'The %s register sent an answer the gateway cannot use', 502)
export const ConsentRequired = createError(
  'CONSENT_REQUIRED',
  'The procedure may receive this document only with the citizen\'s consent in VNeID, and there is none',
  403)
// 502, not 4xx: the request is sound, the register's answer is what cannot be trusted.
// It is final for this document until the register re-signs it; retrying will not help.
export const DocumentSignatureInvalid = createError(
  'DOCUMENT_SIGNATURE_INVALID',
  'The document\'s VNeID signature does not verify, so the gateway does not serve it', 502)

// Change events from the registers.
export const SignatureInvalid = createError(
  'SIGNATURE_INVALID', 'The change event signature is missing, stale or wrong', 401)
export const CacheUnavailable = createError(
  'CACHE_UNAVAILABLE', 'The cache could not drop the changed records; deliver the event again', 503)

// The access audit log.
export const AuditUnavailable = createError(
  'AUDIT_UNAVAILABLE', 'The access could not be recorded, so no data was sent; try again', 503)
export const AuditQueryInvalid = createError(
  'AUDIT_QUERY_INVALID', 'The audit query has an invalid %s', 400)
export const AuditLogUnavailable = createError(
  'AUDIT_LOG_UNAVAILABLE', 'The access log cannot be read now; try again', 503)
export const AuditLogDisabled = createError(
  'AUDIT_LOG_DISABLED', 'This gateway instance runs without an access log', 503)

// Server side.
export const RequestTimeout = createError(
  'REQUEST_TIMEOUT', 'The request took too long to arrive', 408)
export const InternalError = createError(
  'INTERNAL_ERROR', 'The gateway failed to process the request', 500)

/** Seconds a client should wait before retrying an answer with this code. */
export const retryAfterSeconds: Record<string, number> = {
  UPSTREAM_UNAVAILABLE: 5,
  UPSTREAM_TIMEOUT: 2,
  CACHE_UNAVAILABLE: 1,
  AUDIT_UNAVAILABLE: 5,
  AUDIT_LOG_UNAVAILABLE: 5
}
