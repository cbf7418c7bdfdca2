import type { FastifyBaseLogger } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { request, type Dispatcher } from 'undici'
import { SIGNATURE_HEADER } from '../../sources/change-events.js'
import { signChangeEvent } from '../../sources/change-signature.js'

const ATTEMPTS = 3
// Each attempt, connection to last byte, must end within this.
const ATTEMPT_DEADLINE_MS = 2_000
// Waited before the second attempt; doubled before the third.
const FIRST_BACKOFF_MS = 100

export interface Delivery {
  url: string
  secret: string
  /** The event as JSON, signed and sent byte for byte. */
  body: string
  eventId: string
  dispatcher: Dispatcher
  /** Aborted when the simulators close, ending every attempt at once. */
  closing: AbortSignal
  log: FastifyBaseLogger
}

type Outcome =
  { ok: true } | { ok: false, retry: boolean, reason: string | number }

/**
 * POSTs one event to one webhook until it answers 2xx, at most ATTEMPTS
 * times. A 4xx other than 408 and 429 is final: the receiver refused these
 * exact bytes (a bad signature, say), and sending them again cannot help.
 * Each attempt is signed afresh so a retry never carries a stale time.
 */
export async function deliver (delivery: Delivery): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(delivery)
    if (outcome.ok) return true
    const last = !outcome.retry || attempt === ATTEMPTS ||
      delivery.closing.aborted
    report(delivery, { attempt, last, reason: outcome.reason })
    if (last || !(await backOff(attempt, delivery.closing))) return false
  }
}

async function attemptOnce (delivery: Delivery): Promise<Outcome> {
  const { url, secret, body, dispatcher, closing } = delivery
  try {
    const res = await request(url, {
      method: 'POST',
      dispatcher,
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signChangeEvent(secret, body)
      },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(ATTEMPT_DEADLINE_MS), closing])
    })
    await res.body.dump()
    return judge(res.statusCode)
  } catch (err) {
    return { ok: false, retry: true, reason: reasonOf(err) }
  }
}

function judge (status: number): Outcome {
  if (status >= 200 && status < 300) return { ok: true }
  const retry = status >= 500 || status === 408 || status === 429
  return { ok: false, retry, reason: status }
}

// Error codes and names only: a message could in principle echo the URL.
function reasonOf (err: unknown): string {
  const { code, name } = err as { code?: unknown, name?: unknown }
  return typeof code === 'string' ? code : String(name ?? 'Error')
}

async function backOff (attempt: number, closing: AbortSignal) {
  try {
    await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1), undefined,
      { signal: closing })
    return true
  } catch {
    return false
  }
}

interface Failure { attempt: number, last: boolean, reason: string | number }

// The webhook is named by its origin: a path or query may hold a token.
function report ({ url, eventId, log }: Delivery, failure: Failure) {
  const fields = { eventId, webhook: new URL(url).origin, ...failure }
  if (failure.last) log.warn(fields, 'change event not delivered')
  else log.debug(fields, 'change event delivery failed, retrying')
}
