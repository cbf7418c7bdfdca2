import type { FastifyInstance } from 'fastify'
import { problems, ref } from '../../api-schemas.js'
import { resolveIdentifier } from '../../services/identifiers.js'

export default async function identifiers (app: FastifyInstance) {
  app.get<{ Params: { identifier: string } }>('/:identifier', {
    // An old card number leads to a person: the same need as reading the population register.
    config: { operation: 'identifiers.resolve', scope: 'population:read', personalData: true },
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
