// What a client's scopes let it do. The registry stores scopes as strings; this is
// the one list of their meanings, so the catalogue, the routes and the README agree.

export const SCOPES = {
  /** Read the profile (GET /v1/citizens/:id): the procedure's population fields. */
  'population:read': 'profile fields the cited procedure lists',
  /** Read GET /v1/citizens/:id/civil-status: the procedure's civil-status fields. */
  'civil-status:read': 'civil-status fields and event types the procedure lists',
  /** Read VNeID documents: the procedure's document types and document fields. */
  'documents:read': 'document types and fields the procedure lists',
  /**
   * POST /v1/citizens/:id/verify: match or mismatch for each claim whose field the
   * procedure lists among its population fields; never the register's value.
   */
  verify: 'verify claims against the procedure population fields',
  /** POST /v1/citizens/match: candidates' ids and scores, no field values. */
  match: 'find candidates by name and date of birth',
  /**
   * POST /v1/procedures/:code/requirements: which of the procedure's documents the
   * state holds for the dossier's parties. Each register is read only as far as the
   * client's read scopes and the procedure allow.
   */
  'requirements:check': 'check which documents of a dossier the state already holds',
  /** The access log: who read whose data, for which procedure and dossier. */
  audit: 'read the access log',
  /**
   * A portal where a signed-in citizen reads their own data and who read it. It
   * reads what the portal procedure lists from all three registers; the route
   * must still check that the citizen asked about is the one signed in, and the
   * access log it shows withholds covert reads until their `covertDays` pass.
   */
  'citizen-portal': 'a citizen reading their own data and access log'
} as const

export type Scope = keyof typeof SCOPES

export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[]

export function isScope (value: string): value is Scope {
  return Object.hasOwn(SCOPES, value)
}
