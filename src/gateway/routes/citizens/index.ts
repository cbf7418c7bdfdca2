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

const citizenParams = {
  type: 'object',
  required: ['citizenId'],
  properties: { citizenId: { type: 'string' } }
} as const

const UPSTREAM = [502, 503, 504]
const READ_ERRORS = problems(400, 401, 403, 429, 404, ...UPSTREAM)

interface CitizenRoute { Params: { citizenId: string } }

export default async function citizens (app: FastifyInstance) {
  const personal = (operation: string, scope: string) => ({ operation, scope, personalData: true })

  app.get<CitizenRoute>('/:citizenId', {
    config: personal('citizens.get', 'population:read'),
    schema: { params: citizenParams, response: { 200: ref('citizen-profile'), ...READ_ERRORS } }
  }, async (req, reply) => deliver(reply, await readProfile(app.registers, req.params.citizenId)))

  app.get<CitizenRoute>('/:citizenId/civil-status', {
    config: personal('citizens.civil-status', 'civil-status:read'),
    schema: { params: citizenParams, response: { 200: ref('civil-status'), ...READ_ERRORS } }
  }, async (req, reply) =>
    deliver(reply, await readCivilStatus(app.registers, req.params.citizenId)))

  app.get<CitizenRoute & { Querystring: { type?: DocumentType } }>('/:citizenId/documents', {
    config: personal('documents.list', 'documents:read'),
    schema: {
      params: citizenParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { type: { $ref: `${ref('document').$ref}#/properties/type` } }
      },
      response: { 200: ref('document-list'), ...READ_ERRORS }
    }
  }, async (req, reply) =>
    deliver(reply, await listDocuments(app.registers, req.params.citizenId, req.query.type)))

  app.get<{ Params: { citizenId: string, documentId: string } }>(
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
        response: { 200: ref('document-detail'), ...READ_ERRORS }
      }
    }, async (req) => readDocument(app.registers, req.params.citizenId, req.params.documentId))

  app.post<CitizenRoute & { Body: { attributes: ClaimedAttributes } }>('/:citizenId/verify', {
    config: personal('citizens.verify', 'verify'),
    schema: {
      params: citizenParams,
      body: ref('verify-request'),
      response: { 200: ref('verify-result'), ...problems(400, 401, 403, 429, 404, 413, 415, ...UPSTREAM) }
    }
  }, async (req) => verifyAttributes(app.registers, req.params.citizenId, req.body.attributes))

  app.post<{ Body: MatchQuery }>('/match', {
    config: personal('citizens.match', 'match'),
    schema: {
      body: ref('match-request'),
      response: { 200: ref('match-result'), ...problems(400, 401, 403, 429, 413, 415, ...UPSTREAM) }
    }
  }, async (req) => matchCitizens(app.registers, req.body))
}
