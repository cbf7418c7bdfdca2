import type { FastifyInstance } from 'fastify'
import type { Catalogue } from '../../../access/catalogue.js'
import type { Counters } from '../../../access/counters.js'
import { problems, ref } from '../../api-schemas.js'
import { ProcedureMismatch, ProcedureNotFound } from '../../errors.js'
import { checkRequirements, type PartyInput } from '../../services/requirements.js'
import { viewer } from '../view.js'

export interface RequirementsOptions {
  catalogue: Catalogue
  counters: Counters
}

/**
 * POST /v1/procedures/:code/requirements: the once-only check of a dossier. It is a
 * personal-data request like any read: purpose headers, scopes, minimisation, and one
 * audit record naming every party and every document type reported.
 */
export default async function requirements (app: FastifyInstance, opts: RequirementsOptions) {
  const view = viewer(opts.catalogue)
  app.post<{ Params: { code: string }, Body: { parties: PartyInput[] } }>('/:code/requirements', {
    config: { operation: 'procedures.requirements', scope: 'requirements:check', personalData: true },
    schema: {
      params: {
        type: 'object',
        required: ['code'],
        properties: { code: { type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$' } }
      },
      body: ref('requirements-request'),
      response: {
        200: ref('requirements-result'),
        ...problems(400, 401, 403, 404, 413, 415, 429, 502, 503, 504)
      }
    }
  }, async (req) => {
    const procedure = opts.catalogue.procedure(req.params.code)
    if (procedure === undefined) throw new ProcedureNotFound()
    const access = req.access!
    // The purpose must be the dossier of this procedure, or the audit record would
    // name one procedure while the check answered for another.
    if (opts.catalogue.procedure(access.purpose!.procedureCode) !== procedure) throw new ProcedureMismatch()
    const counterCode = access.purpose!.counterCode
    return checkRequirements(app.registers, procedure, req.body.parties, {
      clientId: access.client.id,
      allowed: view(req, undefined).allowed,
      counterCommune: counterCode === null ? null : opts.counters.counter(counterCode)?.communeCode ?? null
    })
  })
}
