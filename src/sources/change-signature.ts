import { createHmac, timingSafeEqual } from 'node:crypto'

// The signature of a change event (see SIGNATURE_HEADER in change-events.ts):
// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The time
// is inside the signed text, so a captured delivery cannot be replayed later
// than the receiver's tolerance, nor given a fresher time.

const HEADER_FORMAT = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/

/** The header value for `body`, signed now or at `nowSeconds`. */
export function signChangeEvent (
  secret: string, body: string, nowSeconds = unixNow()
): string {
  const t = Math.floor(nowSeconds)
  return `t=${t},v1=${hmac(secret, t, body).toString('hex')}`
}

export interface VerifyOptions {
  /** How far the signed time may be from now, either way, in seconds. */
  toleranceSeconds: number
  /** The receiver's clock, in unix seconds; the system clock by default. */
  nowSeconds?: number
}

/**
 * True only for a well-formed header whose time is within the tolerance and
 * whose HMAC matches `body` exactly as received. The digests are compared in
 * constant time, so the answer's timing reveals nothing about the secret.
 */
export function verifyChangeSignature (
  secret: string, header: string | undefined, body: string,
  { toleranceSeconds, nowSeconds = unixNow() }: VerifyOptions
): boolean {
  const match = HEADER_FORMAT.exec(header ?? '')
  if (match === null) return false
  const t = Number(match[1])
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false
  const given = Buffer.from(match[2], 'hex')
  return timingSafeEqual(given, hmac(secret, t, body))
}

function hmac (secret: string, t: number, body: string): Buffer {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest()
}

function unixNow (): number {
  return Math.floor(Date.now() / 1000)
}
