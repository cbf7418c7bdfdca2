import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest
} from 'fastify'
import type { SourceName } from '../sources/types.js'
import type { ChangeEndpoints } from './changes/endpoints.js'
import { handleError, handleNotFound } from './error-handler.js'
import { trackIdleSockets } from './idle-sockets.js'
import { FaultSwitch } from './sandbox/fault-switch.js'
import { injectFaults, type SandboxState } from './sandbox/inject.js'
import { PendingFaults } from './sandbox/pending-faults.js'
import { sandboxRoutes } from './sandbox/routes.js'
import { objectOf, string } from './schemas/common.js'
import { SandboxStats } from './sandbox/stats.js'
import type { SimulatorStore } from './store.js'
import { ChangePublisher } from './webhooks/publisher.js'

export interface SimulatorOptions {
  /** The registers' data; simulators started together share one store. */
  store: SimulatorStore
  /** A logger already tagged for this simulator; silent when omitted. */
  logger?: FastifyBaseLogger
  /**
   * Announces sandbox changes; simulators started together share one. When
   * omitted the simulator has its own, with no webhook, closed with it.
   */
  publisher?: ChangePublisher
}

type DataRoutes = (app: FastifyInstance, store: SimulatorStore) => void

interface SimulatorDefinition extends SimulatorOptions {
  register: SourceName
  routes: DataRoutes
  changes: ChangeEndpoints
}

const health = objectOf({ status: string, register: string })

// Search bodies and fault settings are a few hundred bytes, sandbox changes
// a few KB at most.
const BODY_LIMIT_BYTES = 16_384

/** A register simulator: its data routes plus /healthz and /_sandbox. */
export function createSimulator (definition: SimulatorDefinition) {
  const app = Fastify({
    ...loggerOptions(definition.logger),
    // Fastify's request log carries the URL, and our URLs carry citizen ids.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Reject unknown body fields instead of silently dropping them. Union
    // types are how a sandbox change body takes "a date or null".
    ajv: { customOptions: { removeAdditional: false, allowUnionTypes: true } }
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
  registerSandbox(app, definition, state)
  app.register(async function dataRoutes (data) {
    injectFaults(data, state)
    definition.routes(data, definition.store)
  })
  return app
}

function registerSandbox (
  app: FastifyInstance, definition: SimulatorDefinition, state: SandboxState
) {
  const { register, store, changes } = definition
  const publisher = definition.publisher ?? ownPublisher(app)
  app.register(sandboxRoutes({ register, state, changes: changes.summary }),
    { prefix: '/_sandbox' })
  app.register(async function changeRoutes (scope) {
    changes.routes(scope, { register, store, publisher })
  }, { prefix: '/_sandbox/changes' })
}

// Closed before Fastify waits for open requests: a change still waiting on
// a webhook then ends at once (with a 502) instead of holding close().
function ownPublisher (app: FastifyInstance): ChangePublisher {
  const publisher = new ChangePublisher()
  app.addHook('preClose', () => publisher.close())
  return publisher
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
