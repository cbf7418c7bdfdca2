// Typed access to fixtures/admin-units.json: the 34 provinces in force since
// 1 July 2025, the 63 they replaced, and a sample of communes with the former
// units merged into them. The file is read once, on first use.
import { readFileSync } from 'node:fs'
import type { Unit } from '../sources/types.js'

export interface Province {
  /** Two digits. */
  code: string
  name: string
  /** Codes of the pre-2025 provinces merged into this one (itself included). */
  formerCodes: string[]
}

export interface FormerProvince {
  code: string
  name: string
  /** Code of the current province it became part of. */
  mergedInto: string
}

export interface FormerCommune {
  commune: Unit
  district: Unit
  province: Unit
}

export interface Commune {
  /** Five digits. */
  code: string
  name: string
  /** Code of the current province. */
  province: string
  former: FormerCommune[]
}

export interface AdminUnitsData {
  note: string
  effectiveFrom: string
  provinces: Province[]
  formerProvinces: FormerProvince[]
  communes: Commune[]
}

export interface ResolvedProvince {
  former: FormerProvince
  current: Province
}

export interface AdminUnits {
  readonly data: AdminUnitsData
  province (code: string): Province | undefined
  formerProvince (code: string): ResolvedProvince | undefined
  birthProvince (citizenIdOrCode: string): ResolvedProvince | undefined
  commune (code: string): Commune | undefined
  /** The sample communes of a current province; shared, do not modify. */
  communesIn (provinceCode: string): readonly Commune[]
}

const DEFAULT_FILE = new URL('../../fixtures/admin-units.json', import.meta.url)

function indexBy<T> (items: T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]))
}

export function createAdminUnits (data: AdminUnitsData): AdminUnits {
  const provinces = indexBy(data.provinces, (p) => p.code)
  const formers = indexBy(data.formerProvinces, (p) => p.code)
  const communes = indexBy(data.communes, (c) => c.code)
  const byProvince = new Map<string, Commune[]>()
  for (const c of data.communes) {
    byProvince.set(c.province, [...(byProvince.get(c.province) ?? []), c])
  }

  function formerProvince (code: string): ResolvedProvince | undefined {
    const former = formers.get(code)
    const current = former && provinces.get(former.mergedInto)
    return former && current ? { former, current } : undefined
  }

  return {
    data,
    province: (code) => provinces.get(code),
    formerProvince,
    // A citizen id starts with "0" and the two-digit code of the province where
    // the birth was registered: a former code for ids issued before the merger.
    birthProvince (value) {
      const prefix = value.slice(0, 3)
      return /^0\d\d$/.test(prefix) ? formerProvince(prefix.slice(1)) : undefined
    },
    commune: (code) => communes.get(code),
    communesIn: (code) => byProvince.get(code) ?? []
  }
}

export function loadAdminUnits (file: URL | string = DEFAULT_FILE): AdminUnits {
  const data = JSON.parse(readFileSync(file, 'utf8')) as AdminUnitsData
  return createAdminUnits(data)
}

let cached: AdminUnits | undefined

/** The units of fixtures/admin-units.json, loaded on the first call. */
export function adminUnits (): AdminUnits {
  cached ??= loadAdminUnits()
  return cached
}
