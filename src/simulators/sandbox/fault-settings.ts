import { ProblemError } from '../problems.js'

export const FAULT_MODES = [
  'none', 'error', 'unavailable', 'slow', 'drip', 'hang', 'garbage'
] as const

export type FaultMode = typeof FAULT_MODES[number]

export interface FaultSettings {
  mode: FaultMode
  /** slow: the wait before answering; drip: the gap between bytes. In ms. */
  latencyMs: number
  /** error: the status answered, 400 to 599. */
  status: number
  /** The fraction of data requests affected, 0 to 1. */
  rate: number
  /** unavailable: the Retry-After header, in seconds. */
  retryAfterSeconds: number
}

export type FaultRequest = Partial<FaultSettings> & { mode: FaultMode }

const DEFAULT_SLOW_MS = 2_000
// Half a second per byte keeps a 2 KB record coming for about 17 minutes,
// far past any sane deadline, while every gap stays under a body timeout.
const DEFAULT_DRIP_INTERVAL_MS = 500
const DEFAULT_ERROR_STATUS = 500
const DEFAULT_RETRY_AFTER_SECONDS = 1
export const MAX_LATENCY_MS = 600_000

export const NO_FAULT = settle({ mode: 'none' })

/** Fills what the caller left out with the defaults of the mode. */
export function settle (request: FaultRequest): FaultSettings {
  return {
    mode: request.mode,
    latencyMs: request.latencyMs ?? defaultLatencyMs(request.mode),
    status: request.status ?? DEFAULT_ERROR_STATUS,
    rate: request.rate ?? 1,
    retryAfterSeconds: request.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS
  }
}

function defaultLatencyMs (mode: FaultMode): number {
  if (mode === 'slow') return DEFAULT_SLOW_MS
  if (mode === 'drip') return DEFAULT_DRIP_INTERVAL_MS
  return 0
}

/**
 * Reads the per-request fault headers. `x-sandbox-fault: none` shields one
 * request from a global fault; undefined means the headers say nothing.
 */
export function faultFromHeaders (
  headers: Record<string, string | string[] | undefined>
): FaultSettings | undefined {
  const mode = headers['x-sandbox-fault']
  if (mode === undefined) return undefined
  if (!isMode(mode)) {
    throw new ProblemError('BAD_REQUEST', {
      detail: `x-sandbox-fault must be one of: ${FAULT_MODES.join(', ')}.`
    })
  }
  const latency = headers['x-sandbox-latency-ms']
  if (latency === undefined) return settle({ mode })
  return settle({ mode, latencyMs: parseLatency(latency) })
}

function isMode (value: unknown): value is FaultMode {
  return FAULT_MODES.includes(value as FaultMode)
}

function parseLatency (value: string | string[]): number {
  const ms = typeof value === 'string' && /^\d{1,6}$/.test(value)
    ? Number(value)
    : NaN
  if (!(ms <= MAX_LATENCY_MS)) {
    throw new ProblemError('BAD_REQUEST', {
      detail: `x-sandbox-latency-ms must be an integer from 0 to ${MAX_LATENCY_MS}.`
    })
  }
  return ms
}
