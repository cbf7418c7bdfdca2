import type { FastifyInstance } from 'fastify'
import type { Catalogue } from '../../../access/catalogue.js'
import type { ClientRegistry } from '../../../access/client-registry.js'
import { problems, ref } from '../../api-schemas.js'
import { logOf } from '../../services/audit-log.js'
import { readAccessLog } from '../../services/access-log.js'
import { CURSOR, LIMIT, TIME, pageOf } from '../audit/query.js'

export interface AccessLogOptions {
  catalogue: Catalogue
  /** Names the agencies; a client removed since shows its id only. */
  registry: ClientRegistry
}

interface AccessLogRoute {
  Params: { citizenId: string }
  Querystring: { from?: string, to?: string, limit?: string, cursor?: string }
}

// The citizen's own view of who read their data. It is personal data like the
// registers' answers: the portal states its purpose and each read is recorded.
export default async function accessLog (app: FastifyInstance, opts: AccessLogOptions) {
  app.get<AccessLogRoute>('/:citizenId/access-log', {
    config: { operation: 'citizens.access-log', scope: 'citizen-portal', personalData: true },
    schema: {
      params: {
        type: 'object',
        required: ['citizenId'],
        properties: { citizenId: { type: 'string' } }
      },
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { from: TIME, to: TIME, limit: LIMIT, cursor: CURSOR }
      },
      response: { 200: ref('access-log'), ...problems(400, 401, 403, 429, 503) }
    }
  }, async (req) => {
    const store = logOf(app)
    const { limit, cursor } = pageOf(req.query)
    const { from, to } = req.query
    return readAccessLog(
      { citizenId: req.params.citizenId, from, to, limit, cursor: cursor ?? undefined },
      { store, registry: opts.registry, catalogue: opts.catalogue })
  })
}
