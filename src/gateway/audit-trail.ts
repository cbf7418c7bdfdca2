import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify'
import type { AuditEvent, AuditOutcome, AuditStore } from '../audit/index.js'
import type { Catalogue } from '../access/catalogue.js'
import { parseCitizenId } from '../reference/citizen-id.js'
import { AuditUnavailable } from './errors.js'
import { problemCodeOf } from './problem.js'
import { factsOf } from './services/answer-facts.js'

// Every personal-data request a known client makes leaves one audit record, written
// durably before its response leaves. Two onSend hooks do it, one on each side of the
// ETag plugin's: the first hashes the body the client is answered with, the second
// sees the final status (a 304 once the ETag matched) and writes the record.
//
// Requests without valid credentials are not recorded: there is no client to name,
// nothing was read, and a durable write per anonymous request would let anyone load
// the log. They appear in the request log.

export interface AuditTrailOptions {
  store: AuditStore
  catalogue: Catalogue
  /** Told when a record cannot be written (the request then gets 503). */
  onFailure?: (err: unknown) => void
}

const DAY_MS = 24 * 60 * 60 * 1000

const responseHashes = new WeakMap<FastifyRequest, string>()
// A request whose record failed is answered with a problem, which passes through
// onSend again: that second pass must neither write nor fail.
const attempted = new WeakSet<FastifyRequest>()

function audited (req: FastifyRequest): boolean {
  return req.routeOptions.config.personalData === true && req.access !== null
}

function sha256 (data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/**
 * The request's fingerprint, sent back as X-Request-Hash: what was asked, for which
 * dossier, on whose behalf. A procedure system recomputes it from what it sent (the
 * body as compact JSON, `JSON.stringify` of what it parsed) to show which answer went
 * to which question. The format is described in the README.
 */
export function requestHash (req: FastifyRequest): string {
  const p = req.access?.purpose
  const body = req.body === undefined ? '' : JSON.stringify(req.body)
  const text = ['cdg-request/v1', req.method, req.url, p?.procedureCode ?? '',
    p?.dossierId ?? '', p?.officerId ?? '', p?.counterCode ?? '', body].join('\n')
  return sha256(text)
}

export function hashResponse (): onSendHookHandler {
  return async (req, _reply, payload) => {
    if (audited(req) && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      responseHashes.set(req, sha256(payload))
    }
    return payload
  }
}

// Allowed: the client was let through, whatever the registers held (a 404 is an
// answer too). Denied: the gateway refused the request. Failed: it could not answer.
function outcomeOf (status: number): AuditOutcome {
  if (status < 400 || status === 404) return 'allowed'
  return status >= 500 ? 'failed' : 'denied'
}

function citizensOf (req: FastifyRequest, more: string[] | undefined): string[] {
  const named = (req.params as { citizenId?: string } | undefined)?.citizenId
  const ids = named !== undefined && parseCitizenId(named).ok ? [named] : []
  for (const id of more ?? []) if (!ids.includes(id)) ids.push(id)
  return ids
}

function eventOf (req: FastifyRequest, reply: FastifyReply, catalogue: Catalogue): AuditEvent {
  const access = req.access!
  const purpose = access.purpose
  const facts = reply.statusCode < 400 ? factsOf(req) : undefined
  const procedure = purpose === null ? undefined : catalogue.procedure(purpose.procedureCode)
  const now = Date.now()
  const covertDays = procedure?.covert === true ? procedure.covertDays ?? 0 : 0
  return {
    time: new Date(now).toISOString(),
    requestId: req.id,
    clientId: access.client.id,
    officerId: purpose?.officerId ?? null,
    // The catalogue's code, so that a procedure cited in its long national form
    // (1.000894.000.00.00.H12) is found under the code auditors filter by.
    procedureCode: procedure?.code ?? purpose?.procedureCode ?? null,
    dossierId: purpose?.dossierId ?? null,
    counterCode: purpose?.counterCode ?? null,
    citizenIds: citizensOf(req, facts?.citizenIds),
    operation: req.routeOptions.config.operation ?? 'unknown',
    method: req.method,
    route: req.routeOptions.url ?? 'unknown',
    fields: facts?.fields ?? [],
    sources: facts?.sources ?? [],
    outcome: outcomeOf(reply.statusCode),
    status: reply.statusCode,
    reason: problemCodeOf(reply) ?? null,
    covertUntil: covertDays > 0 ? new Date(now + covertDays * DAY_MS).toISOString() : null,
    requestHash: requestHash(req),
    responseHash: responseHashes.get(req) ?? null,
    check: facts?.check ?? null
  }
}

export function recordAccess (opts: AuditTrailOptions): onSendHookHandler {
  return async (req, reply, payload) => {
    if (!audited(req) || attempted.has(req)) return payload
    attempted.add(req)
    const event = eventOf(req, reply, opts.catalogue)
    try {
      const record = await opts.store.append(event)
      reply.header('x-audit-id', record.id)
      reply.header('x-request-hash', event.requestHash)
    } catch (err) {
      opts.onFailure?.(err)
      // The answer's own headers must not ride on the problem that replaces it.
      reply.removeHeader('etag')
      reply.removeHeader('x-cache')
      throw new AuditUnavailable()
    }
    return payload
  }
}
