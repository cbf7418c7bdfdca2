import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import type { Catalogue } from './catalogue.js'
import { AccessFileInvalid } from './errors.js'
import { schemaProblem } from './schema-check.js'

export interface ClientKey {
  /** A name for the key, so a rotation can say which one it retires. */
  id: string
  /** Hex SHA-256 of the key. */
  sha256: string
  /** ISO date-time the key was made. */
  createdAt: string
}

export interface ClientRecord {
  id: string
  name: string
  /** A sandbox client whose key is published in fixtures/sandbox.json. */
  demo: boolean
  keys: ClientKey[]
  /** See scopes.ts. */
  scopes: string[]
  /** Catalogue codes the client may cite; `*` for every procedure that is not covert. */
  procedures: string[]
}

export interface ClientsFile { clients: ClientRecord[] }

function duplicate (values: string[]): string | undefined {
  const seen = new Set<string>()
  for (const v of values) {
    if (seen.has(v)) return v
    seen.add(v)
  }
  return undefined
}

// What a schema cannot say: ids unique, one hash never opening two clients, and
// procedure codes that the catalogue knows (a typo would silently refuse a client).
function crossCheck (file: ClientsFile, catalogue: Catalogue): string | undefined {
  const id = duplicate(file.clients.map((c) => c.id))
  if (id !== undefined) return `client id ${id} twice`
  if (duplicate(file.clients.flatMap((c) => c.keys.map((k) => k.sha256))) !== undefined) {
    return 'one key hash listed twice'
  }
  for (const client of file.clients) {
    if (duplicate(client.keys.map((k) => k.id)) !== undefined) {
      return `client ${client.id} has two keys with one id`
    }
    const unknown = client.procedures
      .find((code) => code !== '*' && catalogue.procedure(code) === undefined)
    if (unknown !== undefined) return `client ${client.id} cites unknown procedure ${unknown}`
  }
  return undefined
}

/** Parses and checks a registry file's text; a bad file throws AccessFileInvalid. */
export function parseClientsFile (text: string, catalogue: Catalogue): ClientsFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AccessFileInvalid('client registry: not valid JSON')
  }
  const problem = schemaProblem('clients', parsed) ??
    crossCheck(parsed as ClientsFile, catalogue)
  if (problem !== undefined) throw new AccessFileInvalid(`client registry: ${problem}`)
  return parsed as ClientsFile
}

export function readClientsFile (path: string, catalogue: Catalogue): ClientsFile {
  return parseClientsFile(readFileSync(path, 'utf8'), catalogue)
}

/**
 * Replaces the file in one step: a temporary file beside it, flushed to disk, then
 * renamed over it. A gateway watching the file sees the old or the new registry,
 * never half of one.
 */
export function writeClientsFile (path: string, file: ClientsFile): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temp, 'wx', modeOf(path))
  try {
    try {
      writeSync(fd, `${JSON.stringify(file, null, 2)}\n`)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

// The new file keeps the old one's permissions: the gateway may run as another user
// that must still read it. The file holds hashes only, so a new one is world-readable.
function modeOf (path: string): number {
  try {
    return statSync(path).mode & 0o777
  } catch {
    return 0o644
  }
}
