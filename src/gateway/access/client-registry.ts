import { createHash, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'

export interface ClientKey {
  /** A name for the key, so a rotation can say which one it retires. */
  id: string
  /** Hex SHA-256 of the key. Keys are random 256-bit strings, so a slow hash adds nothing. */
  sha256: string
}

export interface ClientRecord {
  id: string
  name: string
  /** A sandbox client whose key is published in fixtures/sandbox.json. */
  demo: boolean
  keys: ClientKey[]
  scopes: string[]
}

export function hashKey (key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest()
}

interface Entry { digest: Buffer, client: ClientRecord }

/**
 * The procedure systems allowed to call the gateway. A presented key is hashed and
 * compared with every stored hash in constant time, without stopping at the first
 * match, so the time taken says nothing about which key or how much of it matched.
 */
export class ClientRegistry {
  readonly #entries: Entry[]

  constructor (clients: ClientRecord[]) {
    this.#entries = clients.flatMap((client) => client.keys.map((key) => ({
      digest: Buffer.from(key.sha256, 'hex'),
      client
    })))
  }

  static fromFile (path: string): ClientRegistry {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { clients: ClientRecord[] }
    return new ClientRegistry(parsed.clients)
  }

  authenticate (key: string): ClientRecord | undefined {
    const digest = hashKey(key)
    let found: ClientRecord | undefined
    for (const entry of this.#entries) {
      if (entry.digest.length === digest.length && timingSafeEqual(entry.digest, digest)) {
        found = entry.client
      }
    }
    return found
  }
}
