import type { FastifyInstance } from 'fastify'
import { problems, ref } from '../../api-schemas.js'
import type { ClaimedAttributes } from '../../services/verify.js'
import type { MatchQuery } from '../../services/match.js'
import type { DocumentType } from '../../../sources/types.js'
import { readProfile } from '../../services/profile.js'
import { readCivilStatus } from '../../services/civil-status.js'
import { listDocuments, readDocument } from '../../services/documents.js'
import { verifyAttributes } from '../../services/verify.js'
import { matchCitizens } from '../../services/match.js'
import { deliver } from '../deliver.js'
import { viewer } from '../view.js'
import accessLog, { type AccessLogOptions } from './access-log.js'

const citizenParams = {
  type: 'object',
  required: ['citizenId'],
  properties: { citizenId: { type: 'string' } }
} as const

const UPSTREAM = [502, 503, 504]
const READ_ERRORS = problems(400, 401, 403, 429, 404, ...UPSTREAM)

// `fields` narrows an answer further than the procedure and scopes do.
const fieldsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { fields: { type: 'string', minLength: 1, maxLength: 2048 } }
} as const

interface Fields { Querystring: { fields?: string } }
interface CitizenRoute extends Fields { Params: { citizenId: string } }

export default async function citizens (app: FastifyInstance, opts: AccessLogOptions) {
  const view = viewer(opts.catalogue)
  const personal = (operation: string, scope: string) => ({ operation, scope, personalData: true })

  app.get<CitizenRoute>('/:citizenId', {
    config: personal('citizens.get', 'population:read'),
    schema: {
      params: citizenParams,
      querystring: fieldsQuery,
      response: { 200: ref('citizen-profile'), ...READ_ERRORS }
    }
  }, async (req, reply) => deliver(reply,
    await readProfile(app.registers, req.params.citizenId, view(req, req.query.fields))))

  app.get<CitizenRoute>('/:citizenId/civil-status', {
    config: personal('citizens.civil-status', 'civil-status:read'),
    schema: {
      params: citizenParams,
      querystring: fieldsQuery,
      response: { 200: ref('civil-status'), ...READ_ERRORS }
    }
  }, async (req, reply) => deliver(reply,
    await readCivilStatus(app.registers, req.params.citizenId, view(req, req.query.fields))))

  app.get<CitizenRoute & { Querystring: { type?: DocumentType, fields?: string } }>('/:citizenId/documents', {
    config: personal('documents.list', 'documents:read'),
    schema: {
      params: citizenParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          type: { $ref: `${ref('document').$ref}#/properties/type` },
          fields: fieldsQuery.properties.fields
        }
      },
      response: { 200: ref('document-list'), ...READ_ERRORS }
    }
  }, async (req, reply) =>
    deliver(reply, await listDocuments(app.registers, req.params.citizenId, req.query.type,
      view(req, req.query.fields))))

  app.get<Fields & { Params: { citizenId: string, documentId: string } }>(
    '/:citizenId/documents/:documentId', {
      config: personal('documents.get', 'documents:read'),
      schema: {
        params: {
          type: 'object',
          required: ['citizenId', 'documentId'],
          properties: {
            citizenId: { type: 'string' },
            documentId: { type: 'string', pattern: '^[0-9A-Za-z._-]{1,64}$' }
          }
        },
        querystring: fieldsQuery,
        response: { 200: ref('document-detail'), ...READ_ERRORS }
      }
    }, async (req) => readDocument(app.registers, req.params.citizenId, req.params.documentId,
      view(req, req.query.fields)))

  app.post<CitizenRoute & { Body: { attributes: ClaimedAttributes } }>('/:citizenId/verify', {
    config: personal('citizens.verify', 'verify'),
    schema: {
      params: citizenParams,
      body: ref('verify-request'),
      response: { 200: ref('verify-result'), ...problems(400, 401, 403, 429, 404, 413, 415, ...UPSTREAM) }
    }
  }, async (req) => verifyAttributes(app.registers, req.params.citizenId, req.body.attributes,
    view(req, undefined)))

  app.post<{ Body: MatchQuery }>('/match', {
    config: personal('citizens.match', 'match'),
    schema: {
      body: ref('match-request'),
      response: { 200: ref('match-result'), ...problems(400, 401, 403, 429, 413, 415, ...UPSTREAM) }
    }
  }, async (req) => matchCitizens(app.registers, req.body))

  await app.register(accessLog, { catalogue: opts.catalogue, registry: opts.registry })
}
