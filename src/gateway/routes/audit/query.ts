import type { AuditFilter, AuditPageOptions } from '../../../audit/index.js'

// Query parameters of the access log's routes, the auditors' and the citizen's. The
// schema refuses what has the wrong shape (VALIDATION_FAILED, naming the parameter in
// `errors`); a value of the right shape that the log cannot use, a date that does not
// exist or a cursor it never issued, comes back from the store as AUDIT_QUERY_INVALID.

const DATE = '[0-9]{4}-[0-9]{2}-[0-9]{2}'
const CLOCK = '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?'
const OFFSET = '(Z|[+-][0-9]{2}:[0-9]{2})'

/** An ISO 8601 date, or a date-time that says its offset: a bare local time is ambiguous. */
export const TIME = { type: 'string', pattern: `^${DATE}(T${CLOCK}${OFFSET})?$` } as const

/** Records per page when the caller does not say; the store allows 1 to 1000. */
export const DEFAULT_LIMIT = 100

/** 1 to 1000. */
export const LIMIT = { type: 'string', pattern: '^(1000|[1-9][0-9]{0,2})$' } as const
export const CURSOR = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const

const REFERENCE = { type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z._/:-]{0,127}$' } as const

export const FILTER_PROPERTIES = {
  citizenId: { type: 'string', pattern: '^[0-9]{12}$' },
  clientId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,63}$' },
  officerId: REFERENCE,
  procedureCode: { type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$' },
  dossierId: REFERENCE,
  operation: { type: 'string', pattern: '^[a-z][a-z0-9.-]{0,63}$' },
  outcome: { type: 'string', enum: ['allowed', 'denied', 'failed'] },
  from: TIME,
  to: TIME
} as const

/** The filter as the query string gives it: the store's own filter, unparsed. */
export type FilterQuery = AuditFilter

export interface PageQuery { limit?: string, cursor?: string }

const FILTER_KEYS = Object.keys(FILTER_PROPERTIES) as Array<keyof FilterQuery>

/** The filter named by a validated query string, absent parameters left out. */
export function filterOf (query: FilterQuery): AuditFilter {
  const filter: Record<string, string> = {}
  for (const key of FILTER_KEYS) {
    const value = query[key]
    if (value !== undefined) filter[key] = value
  }
  return filter as AuditFilter
}

export function pageOf (query: PageQuery): AuditPageOptions & { limit: number } {
  return { limit: Number(query.limit ?? DEFAULT_LIMIT), cursor: query.cursor }
}
