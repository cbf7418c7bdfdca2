// The fixed vocabulary of a procedure's dossier (issue 5's shared spec): who a
// document concerns, when it is needed, what paper it is and where its data can come
// from. The check's answers and the audit record use the same strings, so a name
// here is never changed or reused for another meaning.
import { DOCUMENT_TYPES } from './field-paths.js'

/** The parties a procedure can name. */
export const ROLES = ['applicant', 'spouse', 'child', 'father', 'mother', 'deceased'] as const

/**
 * What a condition can ask of a party, told from the population register:
 * `unmarried` is single, divorced or widowed; `previously-married` divorced or
 * widowed; `divorced` and `widowed` tell those two apart, since the proof differs (a
 * judgment, a death certificate); `minor` under 18 on the check date, Vietnam time.
 */
export const CONDITION_STATES = [
  'married', 'unmarried', 'previously-married', 'divorced', 'widowed', 'minor', 'adult'
] as const

/** The paper a dossier needs: the VNeID document types, then kinds no wallet holds. */
export const REQUIREMENT_DOCUMENT_TYPES = [
  ...DOCUMENT_TYPES,
  'residence-confirmation', 'marital-status-confirmation', 'divorce-judgment',
  'death-certificate', 'birth-medical-certificate', 'death-notice', 'photo',
  'application-form', 'medical-certificate', 'land-use-certificate', 'other'
] as const

export const POPULATION_RECORDS = ['identity', 'residence', 'household'] as const

export const CIVIL_STATUS_SOURCE_EVENTS = [
  'birth', 'marriage', 'divorce', 'death', 'marital-status-confirmation'
] as const

export const RELEASES = ['law', 'consent'] as const
