import { adminUnits } from '../../reference/admin-units.js'

/**
 * The province-of-birth code at the head of a citizen id, with the province it lies in
 * today: ids keep the code of the province as it was, so 006 (Bắc Kạn) is now part of
 * Thái Nguyên (19).
 */
export function birthProvince (citizenId: string) {
  const resolved = adminUnits().birthProvince(citizenId)
  if (resolved === undefined) return null
  return {
    code: citizenId.slice(0, 3),
    name: resolved.former.name,
    current: { code: resolved.current.code, name: resolved.current.name }
  }
}

function currentCode (code: string): string | undefined {
  return adminUnits().province(code)?.code ?? adminUnits().formerProvince(code)?.current.code
}

/**
 * True when two province codes name the same province today: a form may give the code
 * of a province merged in 2025 while the register already holds the new one.
 */
export function provinceCodesMatch (claimed: string, registered: string): boolean {
  if (claimed === registered) return true
  const now = currentCode(registered)
  return now !== undefined && now === currentCode(claimed)
}
