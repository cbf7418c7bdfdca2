import type { FastifyInstance } from 'fastify'
import { AuditQueryError, type AuditStore } from '../../audit/index.js'
import { AuditLogDisabled, AuditLogUnavailable, AuditQueryInvalid } from '../errors.js'

/** The access log, or AUDIT_LOG_DISABLED on an instance that runs without one. */
export function logOf (app: FastifyInstance): AuditStore {
  if (app.audit === null) throw new AuditLogDisabled()
  return app.audit
}

/**
 * A problem for what a read of the log threw: a filter, limit or cursor the store
 * refuses is the caller's mistake; anything else means the database failed. The
 * driver's message can hold a connection string, so only its name and code go on.
 */
export function readFailure (err: unknown): Error {
  if (err instanceof AuditQueryError) return new AuditQueryInvalid(err.parameter)
  const { name, code } = err as { name?: string, code?: string }
  return new AuditLogUnavailable({ cause: new Error(`${name ?? 'Error'} ${code ?? ''}`.trim()) })
}

export async function readLog<T> (read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    throw readFailure(err)
  }
}
