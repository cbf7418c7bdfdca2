import { RegisterClient, type RegisterClientOptions } from './register-client.js'
import { checkRecord } from './record-check.js'
import type { RecordCache, CacheOutcome } from '../cache/records.js'
import type { RecordKind, RecordRef } from './change-events.js'
import type { DocumentKeys } from './document-signature.js'
import {
  DocumentVerifier, type RejectionObserver, type TrustedWallet
} from './trusted-wallet.js'
import type {
  CivilRecord,
  Household,
  IdentifierLink,
  PopulationRecord,
  PopulationSearch,
  PopulationSearchResult,
  SourceName,
  VneidWallet
} from './types.js'

/** A register's answer with when it was read, so every part of a reply can say so. */
export interface Fetched<T> {
  source: SourceName
  data: T | undefined
  /** When the gateway received the record from the register (ISO date-time). */
  retrievedAt: string
  /** How the cache answered; absent for reads the cache does not keep. */
  cache?: CacheOutcome
}

export type ClientSettings = Omit<RegisterClientOptions, 'name' | 'baseUrl'>

export interface RegisterUrls {
  population: string
  civilStatus: string
  vneid: string
}

/** Called after every register call with its outcome and duration in seconds. */
export type CallObserver = (source: SourceName, outcome: string, seconds: number) => void

export interface RegistersOptions {
  urls: RegisterUrls
  settings: ClientSettings
  /** Records go through this cache when given; reads go straight to the registers otherwise. */
  cache?: RecordCache
  observe?: CallObserver
  /** The VNeID public keys documents must be signed with, by key id. */
  documentKeys: DocumentKeys
  /** Told of every document whose signature fails, once per copy of its wallet fetched. */
  onDocumentRejected?: RejectionObserver
}

// Path segments come from validated ids, but they are still encoded: a register must
// never see a path the gateway did not mean to send.
const seg = encodeURIComponent

const PATHS: Record<RecordKind, (id: string) => string> = {
  person: (id) => `/persons/${seg(id)}`,
  household: (id) => `/households/${seg(id)}`,
  'civil-record': (id) => `/persons/${seg(id)}/events`,
  wallet: (id) => `/citizens/${seg(id)}/documents`
}

const SCHEMAS: Record<RecordKind, string> = {
  person: 'population-record',
  household: 'household',
  'civil-record': 'civil-record',
  wallet: 'vneid-wallet'
}

/**
 * The three registers behind one typed facade. Records (persons, households, civil
 * records, wallets) go through the cache; identifier look-ups and searches are asked
 * of the registers every time. Every answer is checked against the register's JSON
 * Schema before the gateway trusts it, and before it is cached.
 */
export class Registers {
  readonly clients: Record<SourceName, RegisterClient>
  readonly cache: RecordCache | undefined
  readonly #observe: CallObserver
  readonly #verifier: DocumentVerifier

  constructor (opts: RegistersOptions) {
    const make = (name: SourceName): RegisterClient =>
      new RegisterClient({ ...opts.settings, name, baseUrl: opts.urls[name] })
    this.clients = {
      population: make('population'),
      civilStatus: make('civilStatus'),
      vneid: make('vneid')
    }
    this.cache = opts.cache
    this.#observe = opts.observe ?? (() => {})
    this.#verifier = new DocumentVerifier(opts.documentKeys, opts.onDocumentRejected)
  }

  person (citizenId: string): Promise<Fetched<PopulationRecord>> {
    return this.#record({ source: 'population', kind: 'person', id: citizenId })
  }

  household (householdId: string): Promise<Fetched<Household>> {
    return this.#record({ source: 'population', kind: 'household', id: householdId })
  }

  civilRecord (citizenId: string): Promise<Fetched<CivilRecord>> {
    return this.#record({ source: 'civilStatus', kind: 'civil-record', id: citizenId })
  }

  /**
   * The wallet with every document's signature checked: only verified documents are
   * in `documents`, the others in `rejected`. There is no unchecked read of a wallet,
   * so no answer can use a document the gateway has not verified.
   */
  async trustedWallet (citizenId: string): Promise<Fetched<TrustedWallet>> {
    const read = await this.#record<VneidWallet>({ source: 'vneid', kind: 'wallet', id: citizenId })
    const data = read.data === undefined ? undefined : this.#verifier.trust(read.data)
    return { ...read, data }
  }

  async identifier (source: 'population' | 'vneid', value: string):
  Promise<Fetched<IdentifierLink>> {
    const path = `/identifiers/${seg(value)}`
    const data = await this.#timed(source, async () => {
      const answer = await this.clients[source].get(path)
      return answer === undefined ? undefined : checkRecord<IdentifierLink>(source, 'identifier-link', answer)
    })
    return { source, data, retrievedAt: new Date().toISOString() }
  }

  async search (query: PopulationSearch): Promise<PopulationSearchResult> {
    return await this.#timed('population', async () => {
      const result = await this.clients.population.query('/search', query)
      return checkRecord<PopulationSearchResult>('population', 'population-search-result', result)
    })
  }

  async close (): Promise<void> {
    await Promise.all(Object.values(this.clients).map((c) => c.close()))
  }

  async #record<T> (ref: RecordRef): Promise<Fetched<T>> {
    if (this.cache === undefined) {
      return { source: ref.source, ...await this.#fetch(ref) } as Fetched<T>
    }
    const read = await this.cache.read(ref, () => this.#fetch(ref))
    return {
      source: ref.source,
      data: (read.data ?? undefined) as T | undefined,
      retrievedAt: read.retrievedAt,
      cache: read.cache
    }
  }

  async #fetch (ref: RecordRef): Promise<{ data: unknown, retrievedAt: string }> {
    const client = this.clients[ref.source]
    const data = await this.#timed(ref.source, async () => {
      const answer = await client.get(PATHS[ref.kind](ref.id))
      return answer === undefined ? undefined : checkRecord(ref.source, SCHEMAS[ref.kind], answer)
    })
    return { data, retrievedAt: new Date().toISOString() }
  }

  async #timed<T> (source: SourceName, call: () => Promise<T>): Promise<T> {
    const started = performance.now()
    let outcome = 'ok'
    try {
      const answer = await call()
      if (answer === undefined) outcome = 'not-found'
      return answer
    } catch (err) {
      outcome = ((err as { code?: string }).code ?? 'error').toLowerCase()
      throw err
    } finally {
      this.#observe(source, outcome, (performance.now() - started) / 1000)
    }
  }
}
