import type { FastifyInstance } from 'fastify'
import { ref } from '../api-schemas.js'
import type { SourceName } from '../../sources/types.js'

// Liveness says only that the process answers; readiness asks every register, so a
// load balancer stops sending counters' requests to an instance that cannot serve them.
export default async function health (app: FastifyInstance) {
  app.get('/healthz', {
    config: { operation: 'health.live' },
    schema: { response: { 200: ref('health') } }
  }, async () => ({ status: 'ok' }))

  app.get('/readyz', {
    config: { operation: 'health.ready' },
    schema: { response: { 200: ref('readiness'), 503: ref('readiness') } }
  }, async (_req, reply) => {
    const names = Object.keys(app.registers.clients) as SourceName[]
    const answers = await Promise.all(names.map((n) => app.registers.clients[n].ping()))
    const checks = Object.fromEntries(names.map((n, i) => [n, answers[i] ? 'up' : 'down']))
    const ready = answers.every(Boolean)
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks })
  })
}
