import type { FastifyInstance, FastifyReply } from 'fastify'
import etag from '@fastify/etag'
import authenticate, { type AuthenticateOptions } from '../access/authenticate.js'
import rateLimit, { type RateLimitOptions } from '../access/rate-limit.js'
import { InvalidCitizenId } from '../errors.js'
import { parseCitizenId } from '../../reference/citizen-id.js'
import { CACHE_STATE } from '../services/source-report.js'
import { MEMO_SLOT, remember, type MemoSlot } from '../services/answer-memo.js'
import { noteFacts } from '../services/answer-facts.js'
import { hashResponse, recordAccess, type AuditTrailOptions } from '../audit-trail.js'
import audit from './audit/index.js'
import stats from './stats.js'
import type { Counters } from '../../access/counters.js'
import citizens from './citizens/index.js'
import identifiers from './identifiers/index.js'
import procedures from './procedures/index.js'

// Everything under /v1 needs a client; routes that return personal data also need
// the purpose headers (see access/authenticate.ts). A malformed citizen id is refused
// here, before validation, caching or any register sees it.
export interface V1Options extends AuthenticateOptions {
  rateLimit: RateLimitOptions
  /** Null only where auditing is deliberately off (the bench's baseline). */
  audit: AuditTrailOptions | null
  /** The one-stop counters, for where a dossier was filed. */
  counters: Counters
}

export default async function v1 (app: FastifyInstance, opts: V1Options) {
  await app.register(authenticate, opts)
  await app.register(rateLimit, opts.rateLimit)
  // Personal data must not be kept by any proxy or browser cache on the way; a client
  // that revalidates with If-None-Match still saves the transfer.
  if (opts.audit !== null) app.addHook('onSend', hashResponse())
  await app.register(etag)
  const slots = new WeakMap<FastifyReply, MemoSlot>()
  app.addHook('preSerialization', async (req, reply, payload) => {
    noteFacts(req, payload)
    const answer = payload as { [CACHE_STATE]?: string, [MEMO_SLOT]?: MemoSlot } | null
    const state = answer?.[CACHE_STATE]
    if (state !== undefined) reply.header('x-cache', state)
    const slot = answer?.[MEMO_SLOT]
    if (slot !== undefined) slots.set(reply, slot)
    return payload
  })
  // Runs after the ETag plugin's hook, so the remembered answer keeps its ETag.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store')
    const slot = slots.get(reply)
    if (slot !== undefined && reply.statusCode === 200 && typeof payload === 'string') {
      remember(slot, { bytes: Buffer.from(payload), etag: reply.getHeader('etag') as string | undefined })
    }
    return payload
  })
  // Last: the record names the status the client gets, 304 included.
  if (opts.audit !== null) app.addHook('onSend', recordAccess(opts.audit))
  app.addHook('preValidation', async (req) => {
    const { citizenId } = (req.params ?? {}) as { citizenId?: string }
    if (citizenId === undefined) return
    const parsed = parseCitizenId(citizenId)
    if (!parsed.ok) throw new InvalidCitizenId(parsed.reason)
  })
  await app.register(citizens, {
    prefix: '/citizens', catalogue: opts.catalogue, registry: opts.registry
  })
  await app.register(identifiers, { prefix: '/identifiers' })
  await app.register(procedures, { prefix: '/procedures', catalogue: opts.catalogue, counters: opts.counters })
  await app.register(audit, { prefix: '/audit' })
  await app.register(stats, { prefix: '/stats', catalogue: opts.catalogue, counters: opts.counters })
}
