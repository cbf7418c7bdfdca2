import { STATUS_CODES } from 'node:http'

// Every error the simulators answer, in one place. Details never name the
// person asked about: a problem body may end up in a procedure system's logs.
const CATALOGUE = {
  PERSON_NOT_FOUND: [404, 'No person with this citizen id is registered.'],
  HOUSEHOLD_NOT_FOUND: [404, 'No household with this id is registered.'],
  NOT_FOUND: [404, 'No citizen is linked to this identifier.'],
  ACCOUNT_NOT_FOUND: [404, 'This citizen has no VNeID account.'],
  DOCUMENT_NOT_FOUND: [404, 'The wallet holds no document with this id.'],
  CONSENT_NOT_FOUND: [404, 'The wallet holds no consent with this id.'],
  ROUTE_NOT_FOUND: [404, 'This register has no such endpoint.'],
  BAD_REQUEST: [400, 'The request is malformed.'],
  CHANGE_CONFLICT: [409, 'The register cannot make this change.'],
  PAYLOAD_TOO_LARGE: [413, 'The request body is too large.'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Send the request body as application/json.'],
  INTERNAL_ERROR: [500, 'The register failed to answer.'],
  SANDBOX_FAULT: [500, 'A fault injected through the sandbox.'],
  SERVICE_UNAVAILABLE: [503, 'The register is unavailable (sandbox fault).'],
  WEBHOOK_DELIVERY_FAILED: [502, 'The change was made, but a webhook did not ' +
    'acknowledge its change event: cached copies may be stale.']
} as const satisfies Record<string, readonly [number, string]>

export type ProblemCode = keyof typeof CATALOGUE

/** RFC 9457 problem details, as every simulator error body. */
export interface Problem {
  type: string
  title: string
  status: number
  code: ProblemCode
  detail: string
  /** WEBHOOK_DELIVERY_FAILED: the change event that was not delivered. */
  eventId?: string
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** An error a route throws to answer with a catalogued problem. */
export class ProblemError extends Error {
  override name = 'ProblemError'
  readonly problem: Problem

  constructor (code: ProblemCode, overrides: ProblemOverrides = {}) {
    const problem = buildProblem(code, overrides)
    super(problem.detail)
    this.problem = problem
  }
}

export interface ProblemOverrides {
  /** Only for codes whose status a caller may choose (sandbox faults). */
  status?: number
  detail?: string
  eventId?: string
}

export function buildProblem (
  code: ProblemCode, overrides: ProblemOverrides = {}
): Problem {
  const [defaultStatus, defaultDetail] = CATALOGUE[code]
  const status = overrides.status ?? defaultStatus
  const problem: Problem = {
    type: `urn:citizen-data-gateway:simulator:${kebab(code)}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    detail: overrides.detail ?? defaultDetail
  }
  if (overrides.eventId !== undefined) problem.eventId = overrides.eventId
  return problem
}

function kebab (code: string): string {
  return code.toLowerCase().replaceAll('_', '-')
}
