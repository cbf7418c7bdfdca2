import {
  Cut,
  conflictsShown,
  keptConflicts,
  keptUnavailable,
  type AnswerBody,
  type Conflict,
  type MinimiseOptions,
  type Minimised
} from './minimise-common.js'
import { POPULATION_PATHS, qualified } from './field-paths.js'

// A conflict is shown when the field it is about is shown: it carries the other
// register's value of that same field, which the client needs before relying on it.
const PROFILE_CONFLICTS = {
  fullName: 'identity.fullName',
  maritalStatus: 'maritalStatus',
  spouseId: 'maritalStatus',
  lifeStatus: 'lifeStatus'
}

const WHOLE = ['household', 'lifeStatus', 'maritalStatus'] as const

function section (value: unknown, name: string, cut: Cut,
  kept: string[]): AnswerBody | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const out: AnswerBody = { source: (value as AnswerBody).source }
  for (const [key, inner] of Object.entries(value)) {
    const path = `${name}.${key}`
    if (key === 'source' || !cut.keeps(path)) continue
    out[key] = inner
    kept.push(path)
  }
  return Object.keys(out).length > 1 ? out : undefined
}

/**
 * The profile with only the allowed parts. `identity` and `residence` keep their
 * `source` and the allowed fields, and go when none is allowed; `household`,
 * `lifeStatus` and `maritalStatus` are kept or withheld whole.
 */
export function minimiseProfile (answer: AnswerBody, opts: MinimiseOptions): Minimised {
  const cut = new Cut('profile', 'population', opts)
  const kept: string[] = []
  const out: AnswerBody = { citizenId: answer.citizenId }
  for (const name of ['identity', 'residence']) {
    const part = section(answer[name], name, cut, kept)
    if (part !== undefined) out[name] = part
  }
  for (const name of WHOLE) {
    if (!(name in answer) || !cut.keeps(name)) continue
    out[name] = answer[name]
    kept.push(name)
  }
  out.conflicts = keptConflicts(answer.conflicts as Conflict[], PROFILE_CONFLICTS, cut)
  out.unavailable = keptUnavailable(answer.unavailable as string[], kept,
    conflictsShown(PROFILE_CONFLICTS, cut))
  const withheld = POPULATION_PATHS.filter((p) => !cut.allows(p))
  return {
    answer: { ...out, withheld, sources: answer.sources },
    returned: kept.map((p) => qualified('population', p))
  }
}
