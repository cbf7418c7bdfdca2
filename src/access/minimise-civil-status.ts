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
import { CIVIL_STATUS_PATHS, EVENT_TYPES, qualified } from './field-paths.js'

// In the civil-status answer a life-status conflict is the death event seen from the
// population register, and a name conflict is the name-change event.
const CIVIL_CONFLICTS = {
  maritalStatus: 'maritalStatus',
  spouseId: 'maritalStatus',
  lifeStatus: 'events.death',
  fullName: 'events.name-change'
}

interface TypedEvent { type: string }

/**
 * The civil-status answer with only the allowed parts: `maritalStatus` kept or
 * withheld whole, `events` cut to the allowed event types (and gone when no type
 * is allowed). `returned` names an event type only when an event of it went out.
 */
export function minimiseCivilStatus (answer: AnswerBody,
  opts: MinimiseOptions): Minimised {
  const cut = new Cut('civil-status', 'civilStatus', opts)
  const kept: string[] = []
  const out: AnswerBody = { citizenId: answer.citizenId }
  if ('maritalStatus' in answer && cut.keeps('maritalStatus')) {
    out.maritalStatus = answer.maritalStatus
    kept.push('maritalStatus')
  }
  const types = EVENT_TYPES.filter((t) => cut.keeps(`events.${t}`))
  if (types.length > 0) {
    const events = ((answer.events ?? []) as TypedEvent[])
      .filter((e) => (types as readonly string[]).includes(e.type))
    out.events = events
    for (const t of new Set(events.map((e) => e.type))) kept.push(`events.${t}`)
  }
  const leaves = [...(out.maritalStatus === undefined ? [] : ['maritalStatus']),
    ...types.map((t) => `events.${t}`)]
  out.conflicts = keptConflicts(answer.conflicts as Conflict[], CIVIL_CONFLICTS, cut)
  out.unavailable = keptUnavailable(answer.unavailable as string[], leaves,
    conflictsShown(CIVIL_CONFLICTS, cut))
  const withheld = CIVIL_STATUS_PATHS.filter((p) => !cut.allows(p))
  return {
    answer: { ...out, withheld, sources: answer.sources },
    returned: kept.map((p) => qualified('civilStatus', p))
  }
}
