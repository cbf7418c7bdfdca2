import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Logger } from 'pino'

// One line per request, named by the route template and operation, never by the URL:
// the URL carries citizen ids. The line is at info whatever the outcome: a failure of
// ours is logged once more at error, with its cause, by the error handler.
async function requestLog (app: FastifyInstance) {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  app.addHook('onResponse', async (req, reply) => {
    // The line is built only when it will be written: a gateway run at `warn` pays
    // nothing for it.
    if (!(req.log as unknown as Logger).isLevelEnabled('info')) return
    const line = {
      operation: req.routeOptions.config.operation ?? req.routeOptions.url ?? 'unmatched',
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      client: req.access?.client.id
    }
    req.log.info(line, 'request completed')
  })
}

export default fp(requestLog, { name: 'request-log' })
