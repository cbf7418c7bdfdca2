import { createHash, timingSafeEqual } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Logger } from 'pino'
import type { Catalogue } from './catalogue.js'
import { readClientsFile, type ClientRecord } from './clients-file.js'

export type { ClientKey, ClientRecord } from './clients-file.js'

export function hashKey (key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest()
}

export interface ClientRegistryOptions {
  /** The registry file (schemas/catalogue/clients.schema.json). */
  path: string
  /** Procedure codes in the file must exist here; `mayCite` asks it about covertness. */
  catalogue: Catalogue
  logger: Pick<Logger, 'info' | 'error'>
  /** Watch the file and reload when it changes (default true). */
  watch?: boolean
  /** Quiet time after the last change before reloading, in milliseconds (default 100). */
  debounceMs?: number
}

interface Entry { digest: Buffer, client: ClientRecord }

function entriesOf (clients: ClientRecord[]): Entry[] {
  return clients.flatMap((client) => client.keys.map((key) => ({
    digest: Buffer.from(key.sha256, 'hex'),
    client
  })))
}

function byId (clients: ClientRecord[]): Map<string, ClientRecord> {
  return new Map(clients.map((c) => [c.id, c]))
}

/**
 * The procedure systems allowed to call the gateway, read from a file and kept in
 * step with it. A presented key is hashed and compared with every stored hash in
 * constant time, without stopping at the first match, so the time taken says
 * nothing about which key or how much of it matched.
 */
export class ClientRegistry {
  readonly #opts: ClientRegistryOptions
  #entries: Entry[]
  #byId: Map<string, ClientRecord>
  #watcher: FSWatcher | undefined
  #timer: NodeJS.Timeout | undefined

  /** Reads the file once; a missing or invalid file at start-up throws. */
  constructor (opts: ClientRegistryOptions) {
    this.#opts = opts
    const { clients } = readClientsFile(opts.path, opts.catalogue)
    this.#entries = entriesOf(clients)
    this.#byId = byId(clients)
    if (opts.watch !== false) this.#watch()
  }

  // The directory is watched, not the file: an atomic replacement renames a new file
  // over the old one, and a watch on the old file would never fire again.
  #watch (): void {
    const name = basename(this.#opts.path)
    this.#watcher = watch(dirname(this.#opts.path), (_event, changed) => {
      if (changed === null || changed === name) this.#schedule()
    })
    this.#watcher.unref()
  }

  #schedule (): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.reload(), this.#opts.debounceMs ?? 100)
    this.#timer.unref()
  }

  /**
   * Reads the file again. An unreadable or invalid file leaves the registry as it
   * was and logs one error naming what is wrong (never a key or hash); returns
   * whether the new file was taken.
   */
  reload (): boolean {
    try {
      const { clients } = readClientsFile(this.#opts.path, this.#opts.catalogue)
      this.#entries = entriesOf(clients)
      this.#byId = byId(clients)
      this.#opts.logger.info({ clients: clients.length }, 'client registry reloaded')
      return true
    } catch (error) {
      const reason = (error as Error).message
      this.#opts.logger.error({ reason }, 'client registry not reloaded, keeping the previous one')
      return false
    }
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

  /** The client registered under `id` now; undefined once it has been removed. */
  client (id: string): ClientRecord | undefined {
    return this.#byId.get(id)
  }

  /**
   * Whether `client` may cite `procedureCode` (short or long national form). `*`
   * covers every procedure except covert ones, which a client must name: an
   * investigation that hides from the citizen is never granted by accident.
   */
  mayCite (client: ClientRecord, procedureCode: string): boolean {
    const procedure = this.#opts.catalogue.procedure(procedureCode)
    if (procedure === undefined) return false
    if (client.procedures.includes(procedure.code)) return true
    return !procedure.covert && client.procedures.includes('*')
  }

  close (): void {
    clearTimeout(this.#timer)
    this.#watcher?.close()
  }
}
