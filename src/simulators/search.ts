import type {
  PopulationRecord,
  PopulationSearch,
  Sex
} from '../sources/types.js'
import { foldName, nameTokens } from './fold.js'
import type { PopulationStore } from './store.js'

const DEFAULT_LIMIT = 20

/**
 * Coarse candidates, as the register offers them: the gateway scores them.
 * A person qualifies by name (the folded full name or a former name equals
 * the query's, or holds every query token) or by birth date or year with the
 * same sex when one is given. The place of origin only narrows. Name matches
 * come first, then date matches, each by citizen id.
 */
export function searchPersons (
  store: PopulationStore, query: PopulationSearch
): PopulationRecord[] {
  const byName = nameMatcher(query.fullName)
  const byBirth = birthMatcher(query)
  const inProvince = provinceFilter(query.placeOfOriginProvince)
  const named: PopulationRecord[] = []
  const born: PopulationRecord[] = []
  for (const person of store.persons()) {
    if (!inProvince(person)) continue
    if (byName(person)) named.push(person)
    else if (byBirth(person)) born.push(person)
  }
  const ranked = [...named.sort(byCitizenId), ...born.sort(byCitizenId)]
  return ranked.slice(0, query.limit ?? DEFAULT_LIMIT)
}

/** True when the query gives something a register can search by. */
export function hasCriterion (query: PopulationSearch): boolean {
  return query.fullName !== undefined || query.dateOfBirth !== undefined ||
    query.birthYear !== undefined
}

type Matcher = (person: PopulationRecord) => boolean

function nameMatcher (fullName: string | undefined): Matcher {
  const tokens = nameTokens(fullName ?? '')
  if (tokens.length === 0) return () => false
  // Equal folded names hold every token too, so one test covers both.
  const matches = (name: string) => {
    const own = nameTokens(name)
    return tokens.every((token) => own.includes(token))
  }
  return (person) => matches(person.fullName) ||
    person.formerNames.some((former) => matches(former.fullName))
}

function birthMatcher (query: PopulationSearch): Matcher {
  const { dateOfBirth, birthYear, sex } = query
  if (dateOfBirth === undefined && birthYear === undefined) return () => false
  return (person) => sameSex(person.sex, sex) &&
    (dateOfBirth === undefined || person.dateOfBirth === dateOfBirth) &&
    (birthYear === undefined || person.dateOfBirth.startsWith(`${birthYear}-`))
}

function sameSex (own: Sex, wanted: Sex | undefined): boolean {
  return wanted === undefined || own === wanted
}

// The province is matched by code or by folded name, as clerks give either.
function provinceFilter (province: string | undefined): Matcher {
  if (province === undefined) return () => true
  const folded = foldName(province)
  return (person) => {
    const origin = person.placeOfOrigin?.province
    return origin !== undefined &&
      (origin.code === province || foldName(origin.name) === folded)
  }
}

function byCitizenId (a: PopulationRecord, b: PopulationRecord): number {
  return a.citizenId < b.citizenId ? -1 : a.citizenId > b.citizenId ? 1 : 0
}
