// The client-facing errors of need-to-know access live in the gateway's one
// catalogue (src/gateway/errors.ts); this module re-exports them for src/access.

export {
  FieldsInvalid,
  FieldUnknown,
  ProcedureNotPermitted,
  ProcedureUnknown
} from '../gateway/errors.js'

/** A catalogue or registry file that cannot be used; thrown at load, never to clients. */
export class AccessFileInvalid extends Error {
  override readonly name = 'AccessFileInvalid'
  readonly code = 'ACCESS_FILE_INVALID'
}
