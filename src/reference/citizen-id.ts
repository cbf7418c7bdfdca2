// The 12-digit personal identification number (số định danh cá nhân, printed
// on the CCCD / căn cước card): PPP C YY NNNNNN, where PPP is "0" plus the
// two-digit code of the province where the birth was registered, C encodes
// century and sex, YY the last two digits of the birth year and NNNNNN a serial.
import type { Sex } from '../sources/types.js'
import { adminUnits } from './admin-units.js'

export type CitizenIdError = 'length' | 'format' | 'province' | 'century' | 'future-year'

export type CitizenIdResult =
  | {
    ok: true
    /** Three digits, as written in the id ("006"). */
    provinceCode: string
    sex: Sex
    birthYear: number
    serial: string
  }
  | { ok: false, reason: CitizenIdError }

export interface ParseOptions {
  /** The day to judge "future" against; defaults to now. */
  now?: Date
  /** Two-digit province codes to accept; defaults to every former or current code. */
  provinceCodes?: ReadonlySet<string>
}

// The scheme also defines digits 4-9 (2100s to 2300s) and the 1800s are not
// in it at all; no register holds such a birth, so those digits are refused.
const CENTURIES: Record<string, { century: number, sex: Sex }> = {
  0: { century: 1900, sex: 'male' },
  1: { century: 1900, sex: 'female' },
  2: { century: 2000, sex: 'male' },
  3: { century: 2000, sex: 'female' }
}

let knownCodes: ReadonlySet<string> | undefined

function defaultProvinceCodes (): ReadonlySet<string> {
  knownCodes ??= new Set(adminUnits().data.formerProvinces.map((p) => p.code))
  return knownCodes
}

function fail (reason: CitizenIdError): CitizenIdResult {
  return { ok: false, reason }
}

export function parseCitizenId (value: string, options: ParseOptions = {}): CitizenIdResult {
  if (value.length !== 12) return fail('length')
  if (!/^\d{12}$/.test(value)) return fail('format')
  const codes = options.provinceCodes ?? defaultProvinceCodes()
  if (value[0] !== '0' || !codes.has(value.slice(1, 3))) return fail('province')
  const digit = CENTURIES[value[3] as string]
  if (digit === undefined) return fail('century')
  const birthYear = digit.century + Number(value.slice(4, 6))
  const now = options.now ?? new Date()
  if (birthYear > now.getUTCFullYear()) return fail('future-year')
  return {
    ok: true,
    provinceCode: value.slice(0, 3),
    sex: digit.sex,
    birthYear,
    serial: value.slice(6)
  }
}

export function isCitizenId (value: string, options?: ParseOptions): boolean {
  return parseCitizenId(value, options).ok
}

export interface CitizenIdParts {
  /** Three digits ("006") or the two-digit province code ("06"). */
  provinceCode: string
  sex: Sex
  birthYear: number
  /** 0 to 999 999. */
  serial: number
}

export function encodeCitizenId (parts: CitizenIdParts): string {
  const { provinceCode, sex, birthYear, serial } = parts
  const province = provinceCode.padStart(3, '0')
  if (!/^0\d\d$/.test(province)) throw new RangeError('bad province code')
  if (birthYear < 1900 || birthYear > 2099) throw new RangeError('bad birth year')
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) {
    throw new RangeError('bad serial')
  }
  const century = (birthYear >= 2000 ? 2 : 0) + (sex === 'female' ? 1 : 0)
  const year = String(birthYear % 100).padStart(2, '0')
  return province + century + year + String(serial).padStart(6, '0')
}
