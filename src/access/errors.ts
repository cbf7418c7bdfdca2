import createError from '@fastify/error'

// Errors of need-to-know access. They belong in the gateway's one catalogue
// (src/gateway/errors.ts) once the routes use them; until then they live here,
// with codes that will not change when they move.

export const FieldsInvalid = createError(
  'FIELDS_INVALID',
  'The fields parameter must be a comma-separated list of at most %s field paths',
  400)
export const FieldUnknown = createError(
  'FIELD_UNKNOWN',
  'The fields parameter names a path that %s answers do not have', 400)
export const ProcedureUnknown = createError(
  'PROCEDURE_UNKNOWN', 'The X-Procedure-Code names no procedure in the catalogue', 403)
export const ProcedureNotPermitted = createError(
  'PROCEDURE_NOT_PERMITTED', 'This client may not cite the procedure it named', 403)

/** A catalogue or registry file that cannot be used; thrown at load, never to clients. */
export class AccessFileInvalid extends Error {
  override readonly name = 'AccessFileInvalid'
  readonly code = 'ACCESS_FILE_INVALID'
}
