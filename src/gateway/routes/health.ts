import type { FastifyInstance } from 'fastify'
import { ref } from '../api-schemas.js'
import type { SourceName } from '../../sources/types.js'

async function probeAudit (app: FastifyInstance): Promise<boolean> {
  try {
    await app.audit!.checkpoints({ limit: 1 })
    return true
  } catch {
    return false
  }
}

// Liveness says only that the process answers; readiness asks every register and the
// audit log, so a load balancer stops sending counters' requests to an instance that
// cannot serve them.
// Metrics carry counts and latencies only, no personal data; expose them to the
// scraper, not to the world.
export default async function health (app: FastifyInstance) {
  app.get('/healthz', {
    config: { operation: 'health.live' },
    schema: { response: { 200: ref('health') } }
  }, async () => ({ status: 'ok' }))

  app.get('/metrics', { config: { operation: 'metrics.get' } }, async (_req, reply) => {
    const registry = app.metrics.registry
    return reply.type(registry.contentType).send(await registry.metrics())
  })

  app.get('/readyz', {
    config: { operation: 'health.ready' },
    schema: { response: { 200: ref('readiness'), 503: ref('readiness') } }
  }, async (_req, reply) => {
    const names = Object.keys(app.registers.clients) as SourceName[]
    const answers = await Promise.all(names.map((n) => app.registers.clients[n].ping()))
    const checks = Object.fromEntries(names.map((n, i) => [n, answers[i] ? 'up' : 'down']))
    // The cache failing over to the registers is degraded service, not unreadiness.
    checks.cache = app.registers.cache?.store.health() ?? 'up'
    // Without its audit log the instance may not send personal data at all.
    const audit = app.audit === null || await probeAudit(app)
    checks.audit = audit ? 'up' : 'down'
    const ready = answers.every(Boolean) && audit
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks })
  })
}
