// Calendar days as ISO strings (YYYY-MM-DD). The registers date everything in
// Vietnam, so "today" is Vietnam's day, whatever the server's zone.

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** Today's date in Vietnam, where every date in the registers is meant. */
export function todayInVietnam (now = Date.now()): string {
  return new Date(now + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)
}

export function yearOf (iso: string): number {
  return Number(iso.slice(0, 4))
}

/** Full years between a date of birth and a day, both ISO dates. */
export function ageOn (dateOfBirth: string, on: string): number {
  const years = yearOf(on) - yearOf(dateOfBirth)
  return on.slice(5, 10) < dateOfBirth.slice(5, 10) ? years - 1 : years
}
