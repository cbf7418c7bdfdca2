import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest
} from 'fastify'
import type { SourceName } from '../sources/types.js'
import { handleError, handleNotFound } from './error-handler.js'
import { trackIdleSockets } from './idle-sockets.js'
import { FaultSwitch } from './sandbox/fault-switch.js'
import { injectFaults, type SandboxState } from './sandbox/inject.js'
import { PendingFaults } from './sandbox/pending-faults.js'
import { sandboxRoutes } from './sandbox/routes.js'
import { objectOf, string } from './schemas/common.js'
import { SandboxStats } from './sandbox/stats.js'
import type { SimulatorStore } from './store.js'

export interface SimulatorOptions {
  /** The registers' data; simulators started together share one store. */
  store: SimulatorStore
  /** A logger already tagged for this simulator; silent when omitted. */
  logger?: FastifyBaseLogger
}

type DataRoutes = (app: FastifyInstance, store: SimulatorStore) => void

interface SimulatorDefinition extends SimulatorOptions {
  register: SourceName
  routes: DataRoutes
}

const health = objectOf({ status: string, register: string })

// Search bodies and fault settings are a few hundred bytes.
const BODY_LIMIT_BYTES = 16_384

/** A register simulator: its data routes plus /healthz and /_sandbox. */
export function createSimulator (definition: SimulatorDefinition) {
  const app = Fastify({
    ...loggerOptions(definition.logger),
    // Fastify's request log carries the URL, and our URLs carry citizen ids.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Reject unknown body fields instead of silently dropping them.
    ajv: { customOptions: { removeAdditional: false } }
  })
  const state = newSandboxState()
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)
  const endIdleSockets = trackIdleSockets(app.server)
  app.addHook('preClose', (done) => {
    state.pending.cutAll()
    endIdleSockets()
    done()
  })
  if (definition.logger !== undefined) app.addHook('onResponse', logAccess)
  app.get('/healthz', { schema: { response: { 200: health } } },
    () => ({ status: 'ok', register: definition.register }))
  app.register(sandboxRoutes(definition.register, state), {
    prefix: '/_sandbox'
  })
  app.register(async function dataRoutes (data) {
    injectFaults(data, state)
    definition.routes(data, definition.store)
  })
  return app
}

function loggerOptions (logger: FastifyBaseLogger | undefined) {
  return logger === undefined ? { logger: false } : { loggerInstance: logger }
}

function newSandboxState (): SandboxState {
  return {
    stats: new SandboxStats(),
    faults: new FaultSwitch(),
    pending: new PendingFaults()
  }
}

// One line per request, named by the route pattern rather than the URL.
async function logAccess (request: FastifyRequest, reply: FastifyReply) {
  const route = request.routeOptions.url ?? '(no route)'
  request.log.info({
    operation: `${request.method} ${route}`,
    statusCode: reply.statusCode,
    responseTimeMs: Math.round(reply.elapsedTime)
  }, 'request completed')
}
