import {
  createCipheriv, createDecipheriv, createHash, randomBytes
} from 'node:crypto'
import { ConfigError } from '../config/env.js'

// Values in Redis are sealed with AES-256-GCM so that a dump, a backup or a replica
// shows no personal data, and so that whoever can write to Redis cannot forge a
// record: a changed byte, a value moved under another key or a shortened tag makes
// `open` refuse it.
//
// Layout: version (1 byte) | key fingerprint (8) | IV (12) | tag (16) | ciphertext.
// The fingerprint says which key sealed the value, so a value sealed before a key
// rotation still opens with the previous key until it expires.

const VERSION = 1
const KEY_BYTES = 32
const FINGERPRINT_BYTES = 8
/** The IV length GCM is specified for; other lengths are hashed into one. */
const IV_BYTES = 12
const TAG_BYTES = 16
const TAG_AT = 1 + FINGERPRINT_BYTES + IV_BYTES
const HEADER_BYTES = TAG_AT + TAG_BYTES

export interface SealerOptions {
  /** The key new values are sealed with: 32 bytes. */
  current: Buffer
  /** The key before the last rotation: values it sealed still open. */
  previous?: Buffer
}

export interface Sealer {
  /** Encrypts `plaintext`, bound to the cache key `key`. */
  seal: (key: string, plaintext: Buffer | string) => Buffer
  /** The plaintext, or undefined when no known key opens it or it was altered. */
  open: (key: string, sealed: Buffer) => Buffer | undefined
}

interface KeyEntry {
  secret: Buffer
  fingerprint: Buffer
}

export function createSealer (opts: SealerOptions): Sealer {
  const current = entry(opts.current, 'current')
  const known = [current]
  if (opts.previous !== undefined) known.push(entry(opts.previous, 'previous'))
  const find = (fp: Buffer) => known.find((k) => k.fingerprint.equals(fp))
  return {
    seal: (key, plaintext) => seal(current, key, plaintext),
    open: (key, sealed) => {
      if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) return undefined
      const found = find(sealed.subarray(1, 1 + FINGERPRINT_BYTES))
      return found === undefined ? undefined : open(found, key, sealed)
    }
  }
}

function entry (secret: Buffer, which: string): KeyEntry {
  if (secret.length !== KEY_BYTES) {
    throw new Error(`the ${which} cache encryption key must be ${KEY_BYTES} bytes`)
  }
  const fingerprint = createHash('sha256').update(secret).digest()
    .subarray(0, FINGERPRINT_BYTES)
  return { secret, fingerprint }
}

function seal (k: KeyEntry, key: string, plaintext: Buffer | string): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', k.secret, iv)
  cipher.setAAD(Buffer.from(key))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  const version = Buffer.of(VERSION)
  return Buffer.concat([version, k.fingerprint, iv, cipher.getAuthTag(), body])
}

function open (k: KeyEntry, key: string, sealed: Buffer): Buffer | undefined {
  const iv = sealed.subarray(1 + FINGERPRINT_BYTES, TAG_AT)
  // Without authTagLength, Node 20 accepts a tag as short as 4 bytes, which would
  // leave a forger 32 bits to guess instead of 128.
  const decipher = createDecipheriv('aes-256-gcm', k.secret, iv,
    { authTagLength: TAG_BYTES })
  decipher.setAAD(Buffer.from(key))
  decipher.setAuthTag(sealed.subarray(TAG_AT, HEADER_BYTES))
  try {
    const body = sealed.subarray(HEADER_BYTES)
    return Buffer.concat([decipher.update(body), decipher.final()])
  } catch {
    return undefined
  }
}

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=?$/

/**
 * Reads a 32-byte key given in base64 (`openssl rand -base64 32`). The error names
 * the variable and never echoes the value.
 */
export function parseKey (base64: string, name: string): Buffer {
  const key = BASE64_32_BYTES.test(base64) ? Buffer.from(base64, 'base64') : undefined
  if (key === undefined || key.length !== KEY_BYTES) {
    throw new ConfigError(`invalid configuration: ${name} must be exactly ` +
      `${KEY_BYTES} bytes in base64 (44 characters, e.g. from ` +
      '"openssl rand -base64 32")')
  }
  return key
}
