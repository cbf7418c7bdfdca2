import {
  createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify,
  type KeyObject
} from 'node:crypto'
import type { DocumentSignature, VneidDocument } from './types.js'

// VNeID signs each document it integrates, and the gateway checks the signature
// before it trusts or serves the document. Both sides build the signed text here,
// so they cannot drift apart.

export const DOCUMENT_SIGNATURE_ALG = 'Ed25519'

// A domain tag: a document signature can never pass for another kind of signature
// made with the same key, nor for a later version of this text.
const DOMAIN = 'vneid-document/v1'

/** What the signature covers: every document field but the stamp and itself. */
export type SignedDocument = Omit<VneidDocument, 'signature' | 'updatedAt'>

// The fields in signing order (keys keep the order they are written in). The type
// makes a field added to VneidDocument and not here a compile error, so no field can
// go unsigned by oversight.
const SIGNING_ORDER: Record<keyof SignedDocument, true> = {
  documentId: true,
  type: true,
  number: true,
  issuedOn: true,
  expiresOn: true,
  issuer: true,
  status: true,
  data: true
}
const SIGNED_FIELDS = Object.keys(SIGNING_ORDER) as Array<keyof SignedDocument>

/**
 * The exact text signed for the document of `citizenId`: a JSON array of the domain
 * tag, the citizen id and the fields in a fixed order, `data` as key-sorted pairs.
 * JSON quoting keeps the parts apart, so no two documents share a text. The citizen
 * id is inside: a document copied into another wallet no longer verifies.
 */
export function documentSigningText (citizenId: string, document: SignedDocument): string {
  const values = SIGNED_FIELDS.map((field) => field === 'data'
    ? Object.keys(document.data).sort().map((key) => [key, document.data[key]])
    : document[field])
  return JSON.stringify([DOMAIN, citizenId, ...values])
}

/** A key that is not an Ed25519 key of the kind expected, or not readable. */
export class DocumentKeyError extends Error {
  override name = 'DocumentKeyError'
  readonly code = 'DOCUMENT_KEY_INVALID'
}

/** First 16 hex digits of SHA-256 over the public key (DER, SPKI). */
export function documentKeyId (publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex').slice(0, 16)
}

export interface DocumentSigner {
  keyId: string
  publicKeyPem: string
  sign: (citizenId: string, document: SignedDocument) => DocumentSignature
}

/** Signs with the Ed25519 private key given (PEM or KeyObject), or a new one. */
export function createDocumentSigner (key?: KeyObject | string): DocumentSigner {
  const privateKey = key === undefined
    ? generateKeyPairSync('ed25519').privateKey
    : typeof key === 'string' ? readKey(key, createPrivateKey) : key
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new DocumentKeyError('the document signing key must be an Ed25519 private key')
  }
  const publicKey = createPublicKey(privateKey)
  const keyId = documentKeyId(publicKey)
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (citizenId, document) => ({
      alg: DOCUMENT_SIGNATURE_ALG,
      keyId,
      value: sign(null, Buffer.from(documentSigningText(citizenId, document)), privateKey)
        .toString('base64')
    })
  }
}

/** The public keys documents may be signed with, by key id. */
export type DocumentKeys = ReadonlyMap<string, KeyObject>

/**
 * Reads public keys (PEM or KeyObject). A private key is refused: whoever holds it
 * could sign documents, so it has no place where only verification happens.
 */
export function documentKeys (keys: Array<KeyObject | string>): DocumentKeys {
  const map = new Map<string, KeyObject>()
  for (const key of keys) {
    // createPublicKey would quietly derive the public half of a private PEM.
    if (typeof key === 'string' && key.includes('PRIVATE KEY')) {
      throw new DocumentKeyError('a document verification key must be a public key')
    }
    const publicKey = typeof key === 'string' ? readKey(key, createPublicKey) : key
    if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') {
      throw new DocumentKeyError('a document verification key must be an Ed25519 public key')
    }
    map.set(documentKeyId(publicKey), publicKey)
  }
  return map
}

const ED25519_SIGNATURE_BYTES = 64

/**
 * True only for a signature by one of `keys` over this very document of this
 * citizen. A missing signature, another algorithm or an unknown key id is false, as
 * a wrong signature is.
 */
export function verifyDocument (citizenId: string, document: VneidDocument,
  keys: DocumentKeys): boolean {
  const { signature } = document
  if (signature === undefined || signature.alg !== DOCUMENT_SIGNATURE_ALG) return false
  const key = keys.get(signature.keyId)
  if (key === undefined) return false
  const bytes = Buffer.from(signature.value, 'base64')
  if (bytes.length !== ED25519_SIGNATURE_BYTES) return false
  return verify(null, Buffer.from(documentSigningText(citizenId, document)), key, bytes)
}

// The parser's own message may quote part of the key text: replace it.
function readKey (pem: string, parse: (pem: string) => KeyObject): KeyObject {
  try {
    return parse(pem)
  } catch {
    throw new DocumentKeyError('the document key is not a readable PEM key')
  }
}
