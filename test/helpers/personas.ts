// Reads the sandbox personas straight from fixtures/, so a test states what it
// expects in terms of the registers' data rather than copying values by hand.
import { readFileSync } from 'node:fs'
import { fromRoot } from '../../src/paths.js'
import type {
  CivilEvent,
  CivilStatusDataset,
  PopulationDataset,
  PopulationRecord,
  VneidDataset,
  VneidWallet
} from '../../src/sources/types.js'

function read<T> (file: string): T {
  return JSON.parse(readFileSync(fromRoot('fixtures', 'personas', file), 'utf8')) as T
}

export interface Personas {
  population: PopulationDataset
  civil: CivilStatusDataset
  vneid: VneidDataset
  any: () => PopulationRecord
  person: (citizenId: string) => PopulationRecord
  find: (what: string, test: (p: PopulationRecord) => boolean) => PopulationRecord
  eventsOf: (citizenId: string) => CivilEvent[]
  walletOf: (citizenId: string) => VneidWallet | undefined
}

let cached: Personas | undefined

export function personas (): Personas {
  if (cached !== undefined) return cached
  const population = read<PopulationDataset>('population.json')
  const civil = read<CivilStatusDataset>('civil-status.json')
  const vneid = read<VneidDataset>('vneid.json')
  const byId = new Map(population.persons.map((p) => [p.citizenId, p]))
  cached = {
    population,
    civil,
    vneid,
    any: () => population.persons[0],
    person: (id) => {
      const p = byId.get(id)
      if (p === undefined) throw new Error(`no persona ${id}`)
      return p
    },
    find: (what, test) => {
      const p = population.persons.find(test)
      if (p === undefined) throw new Error(`the personas have no ${what}`)
      return p
    },
    eventsOf: (id) => civil.events.filter((e) => e.parties.some((p) => p.citizenId === id)),
    walletOf: (id) => vneid.wallets.find((w) => w.citizenId === id)
  }
  return cached
}
