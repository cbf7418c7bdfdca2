import type { FastifyInstance } from 'fastify'
import type { Catalogue } from '../../access/catalogue.js'
import type { Counters } from '../../access/counters.js'
import { problems, ref } from '../api-schemas.js'
import { logOf, readLog } from '../services/audit-log.js'
import { CHECK_OPERATION, reuseStats } from '../services/reuse-stats.js'
import { TIME } from './audit/query.js'

export interface StatsOptions {
  catalogue: Catalogue
  counters: Counters
}

// Figures for the province: no citizen ids, only counts. They come from the audit
// log, so they need the audit scope, like the log itself.
export default async function stats (app: FastifyInstance, opts: StatsOptions) {
  app.get<{ Querystring: { from: string, to: string } }>('/reuse', {
    config: { operation: 'stats.reuse', scope: 'audit' },
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: { from: TIME, to: TIME }
      },
      response: { 200: ref('reuse-stats'), ...problems(400, 401, 403, 429, 503) }
    }
  }, async (req) => {
    const store = logOf(app)
    const { from, to } = req.query
    const records = store.stream({ operation: CHECK_OPERATION, outcome: 'allowed', from, to })
    const figures = await readLog(() => reuseStats(records, opts.catalogue, opts.counters))
    return { from, to, ...figures }
  })
}
