import type { FastifyInstance } from 'fastify'
import { problems, ref } from '../../api-schemas.js'
import { logOf, readLog } from '../../services/audit-log.js'
import {
  CURSOR, FILTER_PROPERTIES, LIMIT, filterOf, pageOf, type FilterQuery, type PageQuery
} from './query.js'
import auditExport from './export.js'

// The auditors' view of the access log: every record, denied and covert ones
// included, as the store keeps them. The `audit` scope opens them. They read the log,
// not a register, so they take no purpose headers and leave no record in the log
// (which would otherwise grow with reads of itself); the request log has a line each.
//
// They are registered whether or not the instance has a log, so the routes match
// the contract in every configuration; without one they answer AUDIT_LOG_DISABLED.

const ERRORS = problems(400, 401, 403, 429, 503)
const auditor = (operation: string) => ({ operation, scope: 'audit' })

export default async function audit (app: FastifyInstance) {
  app.get<{ Querystring: FilterQuery & PageQuery }>('/events', {
    config: auditor('audit.events'),
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { ...FILTER_PROPERTIES, limit: LIMIT, cursor: CURSOR }
      },
      response: { 200: ref('audit-page'), ...ERRORS }
    }
  }, async (req) => {
    const store = logOf(app)
    return readLog(() => store.query(filterOf(req.query), pageOf(req.query)))
  })

  app.get('/verify', {
    config: auditor('audit.verify'),
    schema: { response: { 200: ref('audit-verify'), ...problems(401, 403, 429, 503) } }
  }, async () => {
    const store = logOf(app)
    // A broken chain is an answer, not a failure: auditors script on `ok`.
    const result = await readLog(() => store.verify())
    return { ...result, keyId: store.keyId }
  })

  app.get<{ Querystring: { afterSeq?: string, limit?: string } }>('/checkpoints', {
    config: auditor('audit.checkpoints'),
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          afterSeq: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' },
          limit: LIMIT
        }
      },
      response: { 200: ref('audit-checkpoint-list'), ...ERRORS }
    }
  }, async (req) => {
    const store = logOf(app)
    const { limit } = pageOf(req.query)
    const afterSeq = Number(req.query.afterSeq ?? 0)
    const checkpoints = await readLog(() => store.checkpoints({ afterSeq, limit }))
    // A full page may have more behind it; a short one is the end.
    const full = checkpoints.length === limit
    return { checkpoints, nextAfterSeq: full ? checkpoints.at(-1)!.seq : null }
  })

  app.get('/public-key', {
    config: auditor('audit.public-key'),
    schema: { response: { 200: ref('audit-public-key'), ...problems(401, 403, 429, 503) } }
  }, async () => {
    const store = logOf(app)
    return { keyId: store.keyId, algorithm: 'Ed25519', publicKeyPem: store.publicKeyPem }
  })

  await app.register(auditExport)
}
