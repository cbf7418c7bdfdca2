import { createHmac } from 'node:crypto'
import type { RecordRef } from '../sources/change-events.js'

// Anyone who can list Redis keys (an operator, a backup, a monitoring tool) must not
// learn whose records the gateway holds, so the id in a key is replaced by a keyed
// digest: without the secret, a key cannot be matched to a citizen id even by trying
// every possible 12-digit number.

/** 128 bits: collisions stay out of reach and keys stay short. */
const DIGEST_BYTES = 16
/** 128 bits, the strength of the digest itself. */
const MIN_SECRET_BYTES = 16

export interface KeyNamerOptions {
  /** HMAC key for the digests, at least 16 bytes. */
  secret: Buffer
  /** Namespace in front of every key and channel, such as `cdg` or a per-test id. */
  prefix: string
}

export interface KeyNamer {
  /** `<prefix>:rec:<source>:<kind>:<digest>` */
  record: (ref: RecordRef) => string
  /** `<prefix>:tomb:<the record key without its prefix>` */
  tombstone: (key: string) => string
  /** The pub/sub channel on which instances announce invalidated keys. */
  channel: string
}

export function createKeyNamer (opts: KeyNamerOptions): KeyNamer {
  if (opts.secret.length < MIN_SECRET_BYTES) {
    throw new Error(`the cache key secret must be at least ${MIN_SECRET_BYTES} bytes`)
  }
  if (opts.prefix === '') throw new Error('the cache key prefix must not be empty')
  const { secret, prefix } = opts
  const head = `${prefix}:`
  return {
    record: (ref) => `${head}rec:${ref.source}:${ref.kind}:${digest(secret, ref)}`,
    tombstone: (key) => {
      if (!key.startsWith(head)) throw new Error('not a key of this namespace')
      return `${head}tomb:${key.slice(head.length)}`
    },
    channel: `${head}invalidate`
  }
}

function digest (secret: Buffer, ref: RecordRef): string {
  // Source and kind never contain ':', so the joined input cannot be ambiguous.
  return createHmac('sha256', secret)
    .update(`${ref.source}:${ref.kind}:${ref.id}`)
    .digest()
    .subarray(0, DIGEST_BYTES)
    .toString('base64url')
}
