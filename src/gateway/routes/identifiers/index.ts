import type { FastifyInstance } from 'fastify'
import { problems, ref } from '../../api-schemas.js'
import { resolveIdentifier } from '../../services/identifiers.js'

export default async function identifiers (app: FastifyInstance) {
  app.get<{ Params: { identifier: string } }>('/:identifier', {
    config: { operation: 'identifiers.resolve', personalData: true },
    schema: {
      params: {
        type: 'object',
        required: ['identifier'],
        properties: { identifier: { type: 'string' } }
      },
      response: {
        200: ref('identifier-link'),
        ...problems(400, 401, 403, 429, 404, 502, 503, 504)
      }
    }
  }, async (req) => resolveIdentifier(app.registers, req.params.identifier))
}
