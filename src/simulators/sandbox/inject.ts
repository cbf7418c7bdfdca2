import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PROBLEM_CONTENT_TYPE, buildProblem } from '../problems.js'
import { dripBody } from './drip.js'
import { faultFromHeaders, type FaultSettings } from './fault-settings.js'
import type { FaultSwitch } from './fault-switch.js'
import type { PendingFaults } from './pending-faults.js'
import type { SandboxStats } from './stats.js'

export interface SandboxState {
  stats: SandboxStats
  faults: FaultSwitch
  pending: PendingFaults
}

// Looks like a proxy's error page served under a JSON content type, which is
// what a misconfigured front of a real register tends to send.
const GARBAGE_BODY = '<html><body><h1>502 Bad Gateway</h1></body></html>\n'

/**
 * Counts and faults the data routes of `app`. Register it only inside the
 * plugin that holds data routes: /healthz and /_sandbox must stay truthful.
 */
export function injectFaults (app: FastifyInstance, state: SandboxState): void {
  const dripping = new WeakMap<FastifyRequest, number>()
  app.addHook('onRequest', async (request, reply) => {
    state.stats.count(`${request.method} ${request.routeOptions.url}`)
    const fault = faultFromHeaders(request.headers) ?? state.faults.next()
    if (fault === undefined || fault.mode === 'none') return
    if (fault.mode === 'drip') dripping.set(request, fault.latencyMs)
    return await apply(fault, { request, reply, state })
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const intervalMs = dripping.get(request)
    if (intervalMs === undefined || typeof payload !== 'string') {
      return done(null, payload)
    }
    const body = Buffer.from(payload)
    reply.header('content-length', body.length)
    done(null, dripBody({ body, intervalMs, pending: state.pending }))
  })
}

interface Exchange {
  request: FastifyRequest
  reply: FastifyReply
  state: SandboxState
}

async function apply (fault: FaultSettings, exchange: Exchange) {
  const { reply } = exchange
  switch (fault.mode) {
    case 'error':
      return sendFault(reply, 'SANDBOX_FAULT', fault.status)
    case 'unavailable':
      reply.header('retry-after', String(fault.retryAfterSeconds))
      return sendFault(reply, 'SERVICE_UNAVAILABLE', 503)
    case 'garbage':
      return reply.code(200).type('application/json').send(GARBAGE_BODY)
    case 'slow':
      return await pause(fault.latencyMs, exchange)
    case 'hang':
      return hang(exchange)
    case 'drip':
      // The answer is built as usual; the onSend hook drips it.
      return undefined
  }
}

function sendFault (
  reply: FastifyReply, code: 'SANDBOX_FAULT' | 'SERVICE_UNAVAILABLE',
  status: number
) {
  const problem = buildProblem(code, { status })
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem)
}

function pause (ms: number, { request, reply, state }: Exchange) {
  return new Promise<void>((resolve) => {
    const release = state.pending.hold(() => {
      clearTimeout(timer)
      reply.hijack()
      request.raw.socket.destroy()
      resolve()
    })
    const timer = setTimeout(() => { release(); resolve() }, ms)
  })
}

function hang ({ request, reply, state }: Exchange) {
  reply.hijack()
  const socket = request.raw.socket
  const release = state.pending.hold(() => socket.destroy())
  socket.once('close', release)
  return reply
}
