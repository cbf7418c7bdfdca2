import { FieldUnknown, FieldsInvalid } from './errors.js'
import {
  CIVIL_STATUS_PATHS,
  DOCUMENT_FIELDS,
  POPULATION_PATHS,
  VERIFY_CHECKS
} from './field-paths.js'

export type AnswerKind =
  'profile' | 'civil-status' | 'document-list' | 'document-detail' | 'verify'

const MAX_FIELDS = 64
const MAX_LENGTH_CHARS = 2048

function withSections (leaves: readonly string[]): Map<string, string[]> {
  const names = new Map<string, string[]>(leaves.map((l) => [l, [l]]))
  for (const leaf of leaves) {
    const dot = leaf.indexOf('.')
    if (dot < 0) continue
    const section = leaf.slice(0, dot)
    names.set(section, [...(names.get(section) ?? []), leaf])
  }
  return names
}

// What each answer's `fields` parameter may name: its leaves, and a section name
// (`identity`, `residence`, `events`) for all the leaves under it.
const VOCABULARY: Record<AnswerKind, Map<string, string[]>> = {
  profile: withSections(POPULATION_PATHS),
  'civil-status': withSections(CIVIL_STATUS_PATHS),
  'document-list': withSections([...DOCUMENT_FIELDS, 'account']),
  'document-detail': withSections(DOCUMENT_FIELDS),
  verify: withSections(Object.keys(VERIFY_CHECKS))
}

function entries (raw: string | readonly string[]): string[] {
  const text = typeof raw === 'string' ? raw : raw.join(',')
  if (text.length > MAX_LENGTH_CHARS) throw new FieldsInvalid(MAX_FIELDS)
  const list = text.split(',').map((e) => e.trim())
  if (list.length > MAX_FIELDS || list.some((e) => e === '')) {
    throw new FieldsInvalid(MAX_FIELDS)
  }
  return list
}

/**
 * The leaves a client asked for with `fields` (comma-separated, possibly repeated),
 * or undefined when it did not ask. A path the answer does not have is an error,
 * FIELD_UNKNOWN, so that a typo is not silently read as "nothing"; the error does
 * not repeat the path, since the client typed it.
 */
export function parseFields (kind: AnswerKind,
  raw: string | readonly string[] | undefined): Set<string> | undefined {
  if (raw === undefined) return undefined
  const wanted = new Set<string>()
  for (const name of entries(raw)) {
    const leaves = VOCABULARY[kind].get(name)
    if (leaves === undefined) throw new FieldUnknown(kind)
    for (const leaf of leaves) wanted.add(leaf)
  }
  return wanted
}
