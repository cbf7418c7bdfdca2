import type { Address, Unit } from '../../sources/types.js'
import { nameMatchKey, normaliseName } from '../../reference/names.js'

export type MatchResult = 'match' | 'partial' | 'mismatch' | 'unavailable'

export interface ClaimedAddress {
  street?: string
  commune?: string
  communeCode?: string
  district?: string
  province?: string
  provinceCode?: string
}

// Forms write "Hà Nội" where the register says "Thành phố Hà Nội", and "Phường Ba
// Đình" or just "Ba Đình": the kind of unit is dropped before names are compared.
const UNIT_KINDS = /^(thanh pho|tinh|phuong|xa|dac khu|quan|huyen|thi xa|thi tran|tp\.?)\s+/

export function sameUnitName (claimed: string, registered: string): boolean {
  const strip = (s: string) => nameMatchKey(s).replace(UNIT_KINDS, '')
  return strip(claimed) === strip(registered)
}

function sameText (claimed: string, registered: string | null): boolean {
  return registered !== null &&
    nameMatchKey(claimed) === nameMatchKey(registered)
}

interface Form { street: string | null, commune: Unit, province: Unit, district?: Unit }

function unitAgrees (name: string | undefined, code: string | undefined, unit?: Unit): boolean {
  if (unit === undefined) return name === undefined && code === undefined
  return (name === undefined || sameUnitName(name, unit.name)) &&
    (code === undefined || code === unit.code)
}

function provinceAgrees (c: ClaimedAddress, f: Form): boolean {
  return unitAgrees(c.province, c.provinceCode, f.province)
}

function formAgrees (c: ClaimedAddress, f: Form): boolean {
  return provinceAgrees(c, f) &&
    unitAgrees(c.commune, c.communeCode, f.commune) &&
    (c.district === undefined || unitAgrees(c.district, undefined, f.district)) &&
    (c.street === undefined || sameText(c.street, f.street))
}

/**
 * A claimed address matches when every part given agrees with the register's current
 * two-level form, or every part agrees with the former three-level form: a citizen
 * may well still write the address printed on an older card.
 */
export function matchAddress (claimed: ClaimedAddress, registered: Address | null): MatchResult {
  if (registered === null) return 'unavailable'
  const forms: Form[] = registered.former === undefined
    ? [registered]
    : [registered, registered.former]
  if (forms.some((f) => formAgrees(claimed, f))) return 'match'
  const hasProvince = claimed.province !== undefined || claimed.provinceCode !== undefined
  return hasProvince && forms.some((f) => provinceAgrees(claimed, f)) ? 'partial' : 'mismatch'
}

export function matchName (claimed: string, registered: string): MatchResult {
  if (normaliseName(claimed) === normaliseName(registered)) return 'match'
  return nameMatchKey(claimed) === nameMatchKey(registered) ? 'partial' : 'mismatch'
}
