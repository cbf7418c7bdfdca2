import type { FastifyInstance } from 'fastify'
import etag from '@fastify/etag'
import authenticate, { type AuthenticateOptions } from '../access/authenticate.js'
import { InvalidCitizenId } from '../errors.js'
import { parseCitizenId } from '../../reference/citizen-id.js'
import { CACHE_STATE } from '../services/source-report.js'
import citizens from './citizens/index.js'
import identifiers from './identifiers/index.js'

// Everything under /v1 needs a client; routes that return personal data also need
// the purpose headers (see access/authenticate.ts). A malformed citizen id is refused
// here, before validation, caching or any register sees it.
export default async function v1 (app: FastifyInstance, opts: AuthenticateOptions) {
  await app.register(authenticate, opts)
  // Personal data must not be kept by any proxy or browser cache on the way; a client
  // that revalidates with If-None-Match still saves the transfer.
  await app.register(etag)
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store')
  })
  app.addHook('preSerialization', async (_req, reply, payload) => {
    const state = (payload as { [CACHE_STATE]?: string } | null)?.[CACHE_STATE]
    if (state !== undefined) reply.header('x-cache', state)
    return payload
  })
  app.addHook('preValidation', async (req) => {
    const { citizenId } = (req.params ?? {}) as { citizenId?: string }
    if (citizenId === undefined) return
    const parsed = parseCitizenId(citizenId)
    if (!parsed.ok) throw new InvalidCitizenId(parsed.reason)
  })
  await app.register(citizens, { prefix: '/citizens' })
  await app.register(identifiers, { prefix: '/identifiers' })
}
