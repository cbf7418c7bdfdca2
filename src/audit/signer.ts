import {
  createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject
} from 'node:crypto'
import { AuditConfigError } from './errors.js'
import type { AuditCheckpoint } from './types.js'

/** A KeyObject or a PEM text. */
export type KeyInput = KeyObject | string

export interface CheckpointSigner {
  keyId: string
  publicKeyPem: string
  sign: (cp: Omit<AuditCheckpoint, 'keyId' | 'signature'>) => AuditCheckpoint
}

/** What is signed: a domain tag, so the signature cannot stand for anything else. */
export function checkpointText (cp: { seq: number, hash: string, time: string }) {
  return `audit-checkpoint/v1\nseq=${cp.seq}\nhash=${cp.hash}\ntime=${cp.time}`
}

/** First 16 hex digits of SHA-256 over the public key (DER, SPKI). */
export function keyIdOf (publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex').slice(0, 16)
}

export function createCheckpointSigner (key: KeyInput): CheckpointSigner {
  const privateKey = typeof key === 'string' ? parsePrivate(key) : key
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AuditConfigError('the audit signing key must be an Ed25519 private key')
  }
  const publicKey = createPublicKey(privateKey)
  const keyId = keyIdOf(publicKey)
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (cp) => ({
      ...cp,
      keyId,
      signature: sign(null, Buffer.from(checkpointText(cp)), privateKey)
        .toString('base64')
    })
  }
}

/** Public keys trusted for checkpoints, by key id. */
export function trustedKeys (keys: KeyInput[]): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>()
  for (const key of keys) {
    const publicKey = toPublic(key)
    if (publicKey.asymmetricKeyType !== 'ed25519') {
      throw new AuditConfigError('an audit verification key must be an Ed25519 key')
    }
    map.set(keyIdOf(publicKey), publicKey)
  }
  return map
}

/** False for an unknown key id as for a wrong signature. */
export function checkpointSigned (cp: AuditCheckpoint,
  keys: Map<string, KeyObject>): boolean {
  const key = keys.get(cp.keyId)
  if (key === undefined) return false
  const signature = Buffer.from(cp.signature, 'base64')
  try {
    return verify(null, Buffer.from(checkpointText(cp)), key, signature)
  } catch {
    return false // a signature of the wrong length, as after tampering
  }
}

function toPublic (key: KeyInput): KeyObject {
  if (typeof key !== 'string') return createPublicKey(key)
  return key.includes('PRIVATE KEY')
    ? createPublicKey(parsePrivate(key))
    : parsePem(key, createPublicKey)
}

function parsePrivate (pem: string): KeyObject {
  return parsePem(pem, createPrivateKey)
}

// The key's own parse error could quote part of the key text: replace it.
function parsePem (pem: string, parse: (pem: string) => KeyObject): KeyObject {
  try {
    return parse(pem)
  } catch {
    throw new AuditConfigError('the audit key is not a readable PEM key')
  }
}
