import { Readable } from 'node:stream'
import type { PendingFaults } from './pending-faults.js'

export interface DripOptions {
  body: Buffer
  /** The gap between two bytes, in milliseconds. */
  intervalMs: number
  pending: PendingFaults
}

/**
 * A body that arrives one byte per interval. Each gap is short, so a client
 * that only bounds the time between chunks (undici's bodyTimeout) waits for
 * the whole body; only an overall deadline ends the wait. The first byte
 * goes at once so that the headers arrive promptly.
 */
export function dripBody ({ body, intervalMs, pending }: DripOptions): Readable {
  let sent = 0
  let timer: NodeJS.Timeout | undefined
  const stream = new Readable({
    read () {
      timer = setTimeout(pushByte, sent === 0 ? 0 : intervalMs)
    },
    destroy (err, callback) {
      clearTimeout(timer)
      release()
      callback(err)
    }
  })
  const release = pending.hold(() => stream.destroy())
  function pushByte (): void {
    stream.push(body.subarray(sent, sent + 1))
    sent++
    if (sent >= body.length) stream.push(null)
  }
  return stream
}
