import type { FastifyInstance } from 'fastify'
import authenticate, { type AuthenticateOptions } from '../access/authenticate.js'
import { InvalidCitizenId } from '../errors.js'
import { parseCitizenId } from '../../reference/citizen-id.js'
import citizens from './citizens/index.js'
import identifiers from './identifiers/index.js'

// Everything under /v1 needs a client; routes that return personal data also need
// the purpose headers (see access/authenticate.ts). A malformed citizen id is refused
// here, before validation, caching or any register sees it.
export default async function v1 (app: FastifyInstance, opts: AuthenticateOptions) {
  await app.register(authenticate, opts)
  app.addHook('preValidation', async (req) => {
    const { citizenId } = (req.params ?? {}) as { citizenId?: string }
    if (citizenId === undefined) return
    const parsed = parseCitizenId(citizenId)
    if (!parsed.ok) throw new InvalidCitizenId(parsed.reason)
  })
  await app.register(citizens, { prefix: '/citizens' })
  await app.register(identifiers, { prefix: '/identifiers' })
}
