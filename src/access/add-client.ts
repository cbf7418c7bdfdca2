import { randomBytes } from 'node:crypto'
import type { Catalogue } from './catalogue.js'
import { hashKey } from './client-registry.js'
import {
  parseClientsFile,
  readClientsFile,
  writeClientsFile,
  type ClientRecord,
  type ClientsFile
} from './clients-file.js'

export interface AddClientOptions {
  file: string
  catalogue: Catalogue
  id: string
  /** Required for a new client. */
  name?: string
  /** Required for a new client. */
  scopes?: string[]
  /** Catalogue codes, or `*`; required for a new client. */
  procedures?: string[]
  /** Add a key to an existing client instead of creating one. */
  rotate?: boolean
  /** A sandbox client (its key gets the `cdg_sbx_` prefix). */
  demo?: boolean
  now?: Date
}

export interface AddedKey { clientId: string, keyId: string, key: string }

/** Thrown for a request the CLI refuses; its message is for the operator. */
export class AddClientRefused extends Error {
  override readonly name = 'AddClientRefused'
}

const KEY_BYTES = 32

function newKey (demo: boolean): string {
  return `${demo ? 'cdg_sbx_' : 'cdg_'}${randomBytes(KEY_BYTES).toString('base64url')}`
}

function nextKeyId (client: ClientRecord, now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '')
  let n = client.keys.length + 1
  while (client.keys.some((k) => k.id === `key-${day}-${n}`)) n++
  return `key-${day}-${n}`
}

function newClient (opts: AddClientOptions): ClientRecord {
  const { name, scopes, procedures } = opts
  if (name === undefined || scopes === undefined || procedures === undefined) {
    throw new AddClientRefused('a new client needs --name, --scopes and --procedures')
  }
  return { id: opts.id, name, demo: opts.demo === true, keys: [], scopes, procedures }
}

function target (file: ClientsFile, opts: AddClientOptions): ClientRecord {
  const existing = file.clients.find((c) => c.id === opts.id)
  if (opts.rotate === true) {
    if (existing === undefined) throw new AddClientRefused(`no client ${opts.id} to rotate`)
    return existing
  }
  if (existing !== undefined) {
    throw new AddClientRefused(`client ${opts.id} exists; use --rotate to add a key`)
  }
  const client = newClient(opts)
  file.clients.push(client)
  return client
}

/**
 * Adds a client, or a key to an existing one, and rewrites the registry file. The
 * plain key is returned to the caller only: the file gets its hash. The new file
 * is checked as the gateway would check it before it replaces the old one.
 */
export function addClient (opts: AddClientOptions): AddedKey {
  const file = readClientsFile(opts.file, opts.catalogue)
  const client = target(file, opts)
  const now = opts.now ?? new Date()
  const key = newKey(client.demo)
  const keyId = nextKeyId(client, now)
  const sha256 = hashKey(key).toString('hex')
  client.keys.push({ id: keyId, sha256, createdAt: now.toISOString() })
  writeChecked(opts, file)
  return { clientId: client.id, keyId, key }
}

// Checked through the parser the registry uses, so the CLI cannot write a file the
// gateway would refuse (an unknown scope or procedure code, say).
function writeChecked (opts: AddClientOptions, file: ClientsFile): void {
  parseClientsFile(JSON.stringify(file), opts.catalogue)
  writeClientsFile(opts.file, file)
}
