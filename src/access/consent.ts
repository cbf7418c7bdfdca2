import type { Procedure } from './catalogue.js'
import type { DocumentType, VneidConsent } from '../sources/types.js'

// VNeID releases a document to an agency on one of two grounds: the procedure's legal
// basis covers it, or the citizen consented in the app. The catalogue says which
// document types a procedure may have only with consent; every route that serves or
// relies on a document asks here, so the check and the document routes cannot differ.

export type ReleaseBasis = 'law' | 'consent'

const known = new WeakMap<Procedure, ReadonlySet<DocumentType>>()

/** The document types `procedure` may receive only with the citizen's consent. */
export function consentTypes (procedure: Procedure): ReadonlySet<DocumentType> {
  let types = known.get(procedure)
  if (types === undefined) {
    const found = new Set<DocumentType>()
    for (const r of procedure.requirements) {
      if (r.source?.register === 'vneid' && r.source.release === 'consent') found.add(r.source.documentType)
    }
    types = found
    known.set(procedure, types)
  }
  return types
}

/** Who receives a document: the client's system, under the procedure it cites. */
export interface Recipient {
  clientId: string
  procedureCode: string
}

/**
 * On which ground a document of `type` may go to `to`, or null when it may not: it
 * needs consent and no consent in force names the client or the procedure for that
 * type. `today` is the date in Vietnam; a consent holds through its `validUntil`.
 */
export function releaseBasis (type: DocumentType, byConsent: ReadonlySet<DocumentType>,
  consents: readonly VneidConsent[], to: Recipient, today: string): ReleaseBasis | null {
  if (!byConsent.has(type)) return 'law'
  const granted = consents.some((c) =>
    (c.grantee.clientId === to.clientId || c.grantee.procedureCode === to.procedureCode) &&
    c.documentTypes.includes(type) && c.validUntil >= today)
  return granted ? 'consent' : null
}
