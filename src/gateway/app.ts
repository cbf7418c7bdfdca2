import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Logger } from 'pino'
import problems from './problem.js'
import requestLog from './request-log.js'
import apiSchemas from './api-schemas.js'
import docs from './docs.js'
import health from './routes/health.js'
import v1 from './routes/v1.js'
import type { ClientRegistry } from '../access/client-registry.js'
import type { Registers } from '../sources/registers.js'
import type { Metrics } from './metrics.js'
import changeEvents, { type ChangeEventsOptions } from './routes/change-events.js'
import type { RateLimitOptions } from './access/rate-limit.js'
import type { Catalogue } from '../access/catalogue.js'
import type { Counters } from '../access/counters.js'
import type { AuditStore } from '../audit/index.js'

export interface GatewayOptions {
  logger: Logger
  registers: Registers
  clients: ClientRegistry
  /** Refuse the sandbox demo clients (production). */
  refuseDemoClients: boolean
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number
  /** Time allowed to receive a whole request, in milliseconds. */
  requestTimeoutMs: number
  /** Idle keep-alive time of a client connection, in milliseconds. */
  keepAliveTimeoutMs: number
  trustProxy: boolean
  metrics: Metrics
  /** The registers' change-event webhook. */
  changeEvents: ChangeEventsOptions
  /** Requests per client and window. */
  rateLimit: RateLimitOptions
  /** The procedures clients may cite, with the data each needs. */
  catalogue: Catalogue
  /**
   * Where every personal-data request is recorded before its answer leaves. Null
   * turns auditing off: only the bench does that, to measure what it costs.
   */
  audit: AuditStore | null
  /** The one-stop counters clients name in X-Counter-Code. */
  counters: Counters
}

declare module 'fastify' {
  interface FastifyInstance {
    registers: Registers
    metrics: Metrics
    /** The access audit log; null only when auditing is off (the bench's baseline). */
    audit: AuditStore | null
    /** `METHOD /path/{param}` of every route, in OpenAPI path syntax. */
    routeTable: string[]
  }
}

// A caller's request id is kept only when it is short and plain: it is echoed in
// headers and logs, so it must not carry anything a caller could use to inject.
const REQUEST_ID = /^[0-9A-Za-z._-]{1,64}$/

function requestId (raw: { headers: Record<string, string | string[] | undefined> }): string {
  const given = raw.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

export function serverOptions (opts: GatewayOptions): FastifyServerOptions {
  return {
    loggerInstance: opts.logger,
    // Fastify's own request lines carry the raw URL, citizen id included: request-log.ts
    // writes ours instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    requestIdHeader: false,
    bodyLimit: opts.bodyLimitBytes,
    requestTimeout: opts.requestTimeoutMs,
    keepAliveTimeout: opts.keepAliveTimeoutMs,
    return503OnClosing: true,
    trustProxy: opts.trustProxy,
    ajv: {
      // Unknown properties are refused by the schemas, not silently stripped.
      customOptions: {
        removeAdditional: false,
        coerceTypes: false,
        allErrors: false,
        allowUnionTypes: true
      }
    }
  }
}

/** Builds the gateway without listening, so tests drive it exactly as production does. */
export async function buildGateway (opts: GatewayOptions): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(opts))
  const routeTable: string[] = []
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', (route) => {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}')
    for (const method of [route.method].flat()) routeTable.push(`${method} ${path}`)
  })
  app.decorate('registers', opts.registers)
  app.decorate('metrics', opts.metrics)
  app.decorate('audit', opts.audit)
  app.decorateRequest('access', null)
  // The contract takes JSON only; Fastify's built-in text parser would hand a string
  // to the validator and turn a wrong media type into a confusing validation error.
  app.removeContentTypeParser('text/plain')
  await app.register(problems)
  await app.register(requestLog)
  await app.register(apiSchemas)
  await app.register(docs)
  await app.register(health)
  await app.register(changeEvents, opts.changeEvents)
  await app.register(v1, {
    prefix: '/v1',
    registry: opts.clients,
    catalogue: opts.catalogue,
    refuseDemoClients: opts.refuseDemoClients,
    rateLimit: opts.rateLimit,
    counters: opts.counters,
    audit: opts.audit === null
      ? null
      : {
          store: opts.audit,
          catalogue: opts.catalogue,
          onFailure: (err) => {
            opts.metrics.auditFailed()
            app.log.error({ err }, 'audit record not written: answer withheld')
          }
        }
  })
  return app
}
