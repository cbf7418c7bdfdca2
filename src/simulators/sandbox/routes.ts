import type { FastifyInstance } from 'fastify'
import { integer, objectOf, string } from '../schemas/common.js'
import {
  FAULT_MODES,
  MAX_LATENCY_MS,
  type FaultRequest
} from './fault-settings.js'
import type { SandboxState } from './inject.js'

const statsSchema = objectOf({
  calls: integer,
  byRoute: { type: 'object', additionalProperties: integer }
})

const faultSchema = objectOf({
  mode: string,
  latencyMs: integer,
  status: integer,
  rate: { type: 'number' },
  retryAfterSeconds: integer
})

const faultBody = {
  type: 'object',
  required: ['mode'],
  additionalProperties: false,
  properties: {
    mode: { enum: FAULT_MODES },
    latencyMs: { type: 'integer', minimum: 0, maximum: MAX_LATENCY_MS },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    rate: { type: 'number', minimum: 0, maximum: 1 },
    retryAfterSeconds: { type: 'integer', minimum: 0, maximum: 86_400 }
  }
}

export interface SandboxRoutesOptions {
  register: string
  state: SandboxState
  /** The change endpoints of this simulator, one line each. */
  changes: string[]
}

/** The knobs under /_sandbox; register with that prefix. */
export function sandboxRoutes (
  { register, state, changes }: SandboxRoutesOptions
) {
  return async function routes (app: FastifyInstance): Promise<void> {
    app.get('/', () => describe(register, changes))
    app.get('/stats', { schema: { response: { 200: statsSchema } } },
      () => state.stats.snapshot())
    app.post('/stats/reset', { schema: { response: { 200: statsSchema } } },
      () => {
        state.stats.reset()
        return state.stats.snapshot()
      })
    const faultAnswer = { response: { 200: faultSchema } }
    app.get('/faults', { schema: faultAnswer }, () => state.faults.current())
    app.put<{ Body: FaultRequest }>('/faults',
      { schema: { ...faultAnswer, body: faultBody } },
      (request) => state.faults.set(request.body))
    app.delete('/faults', { schema: faultAnswer }, () => state.faults.clear())
  }
}

function describe (register: string, changes: string[]) {
  return {
    register,
    changes,
    changeEvents: 'each change is POSTed to the configured webhooks, signed ' +
      'in x-cdg-signature; the answer waits for them: 200 {event, delivered}' +
      ' or 502 WEBHOOK_DELIVERY_FAILED {eventId}',
    stats: 'GET /_sandbox/stats, POST /_sandbox/stats/reset',
    faults: 'GET, PUT {mode, latencyMs?, status?, rate?, ' +
      'retryAfterSeconds?}, DELETE /_sandbox/faults',
    faultModes: FAULT_MODES,
    perRequestHeaders: ['x-sandbox-fault', 'x-sandbox-latency-ms'],
    rate: 'counted, not random: call n is hit when ceil(n * rate) grows'
  }
}
