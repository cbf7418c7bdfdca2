import type { FastifyInstance } from 'fastify'
import { problems, ref } from '../../api-schemas.js'
import { ProcedureNotFound } from '../../errors.js'
import type { Catalogue } from '../../../access/catalogue.js'
import type { Counters } from '../../../access/counters.js'
import requirements from './requirements.js'

export interface ProceduresOptions {
  catalogue: Catalogue
  counters: Counters
}

// The catalogue is public knowledge about the state's procedures, not personal data:
// any authenticated client may read it, without purpose headers.
export default async function procedures (app: FastifyInstance, opts: ProceduresOptions) {
  app.get('/', {
    config: { operation: 'procedures.list' },
    schema: { response: { 200: ref('procedure-list'), ...problems(401, 403, 429) } }
  }, async () => ({ procedures: opts.catalogue.all() }))

  app.get<{ Params: { code: string } }>('/:code', {
    config: { operation: 'procedures.get' },
    schema: {
      params: {
        type: 'object',
        required: ['code'],
        properties: { code: { type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$' } }
      },
      response: { 200: ref('procedure'), ...problems(400, 401, 403, 404, 429) }
    }
  }, async (req) => {
    const found = opts.catalogue.procedure(req.params.code)
    if (found === undefined) throw new ProcedureNotFound()
    return found
  })

  await app.register(requirements, { catalogue: opts.catalogue, counters: opts.counters })
}
