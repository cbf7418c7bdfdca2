// An independent reading of a minimised answer: every path it carries, qualified
// by source, worked out without the code under test, so a test can say "nothing
// outside the allowed set" in terms of the answer itself.
import type { Answer } from './answer-builder.js'

type Kind = 'profile' | 'civil-status' | 'document-list' | 'document-detail' | 'verify'

const TOP: Record<Kind, string[]> = {
  profile: ['citizenId', 'identity', 'residence', 'household', 'lifeStatus', 'maritalStatus',
    'conflicts', 'unavailable', 'withheld', 'sources'],
  'civil-status': ['citizenId', 'maritalStatus', 'events', 'conflicts', 'unavailable',
    'withheld', 'sources'],
  'document-list': ['citizenId', 'account', 'documents', 'rejected', 'consentRequired', 'withheld', 'sources'],
  'document-detail': ['citizenId', 'document', 'withheld', 'sources'],
  verify: ['citizenId', 'results', 'withheld', 'sources']
}

const CONFLICT_PATHS: Record<string, Record<string, string>> = {
  profile: {
    fullName: 'population:identity.fullName',
    maritalStatus: 'population:maritalStatus',
    spouseId: 'population:maritalStatus',
    lifeStatus: 'population:lifeStatus'
  },
  'civil-status': {
    maritalStatus: 'civilStatus:maritalStatus',
    spouseId: 'civilStatus:maritalStatus',
    lifeStatus: 'civilStatus:events.death',
    fullName: 'civilStatus:events.name-change'
  }
}

// `signature` only says the gateway verified the document and `basis` on which
// ground it was released: neither tells anything of the document itself.
const DOCUMENT_MARKS = ['documentId', 'type', 'signature', 'basis']

function documentPaths (doc: Answer): string[] {
  const fields = Object.keys(doc).filter((k) => !DOCUMENT_MARKS.includes(k))
  return [`vneid:${doc.type}`, ...fields.map((f) => `vneid:${doc.type}.${f}`)]
}

function sectionPaths (answer: Answer, name: string): string[] {
  const part = answer[name]
  if (part === undefined) return []
  return Object.keys(part).filter((k) => k !== 'source').map((k) => `population:${name}.${k}`)
}

function profilePaths (a: Answer): string[] {
  const wholes = ['household', 'lifeStatus', 'maritalStatus'].filter((k) => k in a)
  return [...sectionPaths(a, 'identity'), ...sectionPaths(a, 'residence'),
    ...wholes.map((k) => `population:${k}`)]
}

/** The source-qualified paths whose data `answer` carries, and anything unexpected. */
export function carriedPaths (kind: Kind, a: Answer): string[] {
  const odd = Object.keys(a).filter((k) => !TOP[kind].includes(k)).map((k) => `unexpected:${k}`)
  const conflicts = (a.conflicts ?? []).map((c: Answer) =>
    CONFLICT_PATHS[kind][c.field] ?? `unexpected:conflict.${c.field}`)
  switch (kind) {
    case 'profile':
      return [...odd, ...profilePaths(a), ...conflicts]
    case 'civil-status':
      return [...odd, ...('maritalStatus' in a ? ['civilStatus:maritalStatus'] : []),
        ...(a.events ?? []).map((e: Answer) => `civilStatus:events.${e.type}`), ...conflicts]
    case 'document-list':
      return [...odd, ...('account' in a ? ['vneid:account'] : []),
        ...(a.documents ?? []).flatMap(documentPaths),
        // A rejected document, or one held back for want of consent, still tells that
        // the citizen holds one of its type.
        ...(a.rejected ?? []).map((r: Answer) => `vneid:${r.type}`),
        ...(a.consentRequired ?? []).map((type: string) => `vneid:${type}`)]
    case 'document-detail':
      return [...odd, ...(a.document === undefined ? [] : documentPaths(a.document))]
    case 'verify':
      return [...odd, ...Object.keys(a.results).map((k) => `verify:${k}`)]
  }
}
