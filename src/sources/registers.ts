import { RegisterClient, type RegisterClientOptions } from './register-client.js'
import { checkRecord } from './record-check.js'
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
}

export type ClientSettings = Omit<RegisterClientOptions, 'name' | 'baseUrl'>

export interface RegisterUrls {
  population: string
  civilStatus: string
  vneid: string
}

// Path segments come from validated ids, but they are still encoded: a register must
// never see a path the gateway did not mean to send.
const seg = encodeURIComponent

/**
 * The three registers behind one typed facade. Every answer is checked against the
 * register's JSON Schema before the gateway trusts it.
 */
export class Registers {
  readonly clients: Record<SourceName, RegisterClient>

  constructor (urls: RegisterUrls, settings: ClientSettings) {
    const make = (name: SourceName): RegisterClient =>
      new RegisterClient({ ...settings, name, baseUrl: urls[name] })
    this.clients = {
      population: make('population'),
      civilStatus: make('civilStatus'),
      vneid: make('vneid')
    }
  }

  person (citizenId: string): Promise<Fetched<PopulationRecord>> {
    return this.#read('population', `/persons/${seg(citizenId)}`, 'population-record')
  }

  household (householdId: string): Promise<Fetched<Household>> {
    return this.#read('population', `/households/${seg(householdId)}`, 'household')
  }

  civilRecord (citizenId: string): Promise<Fetched<CivilRecord>> {
    return this.#read('civilStatus', `/persons/${seg(citizenId)}/events`, 'civil-record')
  }

  wallet (citizenId: string): Promise<Fetched<VneidWallet>> {
    return this.#read('vneid', `/citizens/${seg(citizenId)}/documents`, 'vneid-wallet')
  }

  identifier (source: 'population' | 'vneid', value: string):
  Promise<Fetched<IdentifierLink>> {
    return this.#read(source, `/identifiers/${seg(value)}`, 'identifier-link')
  }

  async search (query: PopulationSearch): Promise<PopulationSearchResult> {
    const client = this.clients.population
    const result = await client.query<PopulationSearchResult>('/search', query)
    return checkRecord(client.name, 'population-search-result', result)
  }

  async close (): Promise<void> {
    await Promise.all(Object.values(this.clients).map((c) => c.close()))
  }

  async #read<T> (source: SourceName, path: string, schema: string): Promise<Fetched<T>> {
    const data = await this.clients[source].get<T>(path)
    return {
      source,
      data: data === undefined ? undefined : checkRecord(source, schema, data),
      retrievedAt: new Date().toISOString()
    }
  }
}
