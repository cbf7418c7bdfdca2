import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

// One line per request, named by the route template and operation, never by the URL:
// the URL carries citizen ids. Level follows the outcome, so a quiet log at `warn`
// still shows every failure that was ours.
async function requestLog (app: FastifyInstance) {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  app.addHook('onResponse', async (req, reply) => {
    const status = reply.statusCode
    const line = {
      operation: req.routeOptions.config.operation ?? req.routeOptions.url ?? 'unmatched',
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      client: req.access?.client.id
    }
    if (status >= 500) req.log.error(line, 'request completed')
    else req.log.info(line, 'request completed')
  })
}

export default fp(requestLog, { name: 'request-log' })
