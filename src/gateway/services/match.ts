import { withFacts } from './answer-facts.js'
import type { Registers } from '../../sources/registers.js'
import type { PopulationRecord, Sex } from '../../sources/types.js'
import { nameMatchKey, normaliseName } from '../../reference/names.js'
import { provinceCodesMatch } from './birth-province.js'

export interface MatchQuery {
  fullName: string
  dateOfBirth?: string
  birthYear?: number
  sex?: Sex
  placeOfOriginProvinceCode?: string
  limit?: number
}

type Matched = 'fullName' | 'fullNameWithoutDiacritics' | 'dateOfBirth' | 'birthYear' |
  'sex' | 'placeOfOrigin'

// Weights of each criterion when the counter supplies it. The name and the date of
// birth carry most of the identity; sex and origin mostly break ties among namesakes.
const WEIGHT = { name: 0.45, birth: 0.3, sex: 0.1, origin: 0.15 }
const FLOOR = 0.5
const PROBABLE = 0.75
const CERTAIN = 0.95
/** How many coarse candidates to ask the register for before scoring. */
const SEARCH_WIDTH = 50

interface Scored { citizenId: string, score: number, matched: Matched[], exactBirth: boolean }

function tokens (s: string): Set<string> {
  return new Set(nameMatchKey(s).split(' '))
}

function nameScore (query: string, name: string): [number, Matched | null] {
  if (normaliseName(query) === normaliseName(name)) return [1, 'fullName']
  const q = tokens(query)
  const n = tokens(name)
  const shared = [...q].filter((t) => n.has(t)).length
  if (shared === q.size && q.size === n.size) return [0.95, 'fullNameWithoutDiacritics']
  // Partial names (a missing middle name) earn a share of the weight, never a match.
  return [0.6 * shared / Math.max(q.size, n.size), null]
}

function birthScore (q: MatchQuery, p: PopulationRecord): [number, Matched | null] {
  if (q.dateOfBirth !== undefined) {
    if (q.dateOfBirth === p.dateOfBirth) return [1, 'dateOfBirth']
    return [p.dateOfBirth.slice(0, 4) === q.dateOfBirth.slice(0, 4) ? 0.3 : 0, null]
  }
  return [Number(p.dateOfBirth.slice(0, 4)) === q.birthYear ? 1 : 0, 'birthYear']
}

function score (q: MatchQuery, p: PopulationRecord): Scored {
  const matched: Matched[] = []
  let total = 0
  let got = 0
  const add = (weight: number, [share, label]: [number, Matched | null]) => {
    total += weight
    got += weight * share
    if (label !== null && share > 0) matched.push(label)
  }
  add(WEIGHT.name, nameScore(q.fullName, p.fullName))
  if (q.dateOfBirth !== undefined || q.birthYear !== undefined) add(WEIGHT.birth, birthScore(q, p))
  if (q.sex !== undefined) add(WEIGHT.sex, [q.sex === p.sex ? 1 : 0, 'sex'])
  if (q.placeOfOriginProvinceCode !== undefined) {
    const code = p.placeOfOrigin?.province.code
    const hit = code !== undefined && provinceCodesMatch(q.placeOfOriginProvinceCode, code)
    add(WEIGHT.origin, [hit ? 1 : 0, 'placeOfOrigin'])
  }
  const rounded = Math.round((got / total) * 1000) / 1000
  return { citizenId: p.citizenId, score: rounded, matched, exactBirth: matched.includes('dateOfBirth') }
}

// `certain` needs more than a high score: the name and the full date of birth must both
// agree, so two namesakes born the same year can never both be certain.
function grade (s: Scored): 'certain' | 'probable' | 'possible' {
  const named = s.matched.includes('fullName') || s.matched.includes('fullNameWithoutDiacritics')
  if (s.score >= CERTAIN && named && s.exactBirth) return 'certain'
  return s.score >= PROBABLE ? 'probable' : 'possible'
}

/**
 * Demographic search for a counter without an id number: the register returns coarse
 * candidates, the gateway scores and grades them, and only ids, scores and which
 * criteria agreed go back. Names, addresses and dates stay in the gateway.
 */
export async function matchCitizens (registers: Registers, q: MatchQuery) {
  const limit = q.limit ?? 5
  const { candidates } = await registers.search({
    fullName: q.fullName,
    ...(q.dateOfBirth === undefined ? {} : { dateOfBirth: q.dateOfBirth }),
    ...(q.birthYear === undefined ? {} : { birthYear: q.birthYear }),
    ...(q.sex === undefined ? {} : { sex: q.sex }),
    limit: SEARCH_WIDTH
  })
  const scored = candidates.map((p) => score(q, p))
    .filter((s) => s.score >= FLOOR)
    .sort((a, b) => b.score - a.score || a.citizenId.localeCompare(b.citizenId))
  const graded = scored.slice(0, limit).map((s) => ({
    citizenId: s.citizenId, score: s.score, grade: grade(s), matched: s.matched
  }))
  // Two people who are each a certain match make neither certain: the counter must
  // tell them apart by other means.
  if (graded.filter((c) => c.grade === 'certain').length > 1) {
    for (const c of graded) if (c.grade === 'certain') c.grade = 'probable'
  }
  // Searches are not cached. The audit record names each candidate returned: what
  // went out is about them, even if it is only an id and a grade.
  return withFacts({
    candidates: graded,
    truncated: scored.length > limit,
    sources: {
      population: {
        status: candidates.length > 0 ? 'ok' as const : 'not-held' as const,
        updatedAt: null,
        retrievedAt: new Date().toISOString()
      }
    }
  }, {
    citizenIds: graded.map((c) => c.citizenId),
    fields: graded.length === 0 ? [] : ['candidates.citizenId', 'candidates.score', 'candidates.grade', 'candidates.matched'],
    sources: [{ register: 'population', cache: 'none' }]
  })
}
