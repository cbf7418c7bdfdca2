import { parseFields } from './fields-param.js'
import {
  DOCUMENT_FIELDS,
  DOCUMENT_TYPES,
  documentPath,
  qualified
} from './field-paths.js'
import type { AnswerBody, MinimiseOptions, Minimised } from './minimise-common.js'

// Every document that goes out keeps these: without the first two it cannot be
// asked for again or told apart from another, the third says the gateway verified
// it and the fourth on which ground it was released. None says anything about its
// holder.
const ALWAYS_KEPT = ['documentId', 'type', 'signature', 'basis']

class DocumentCut {
  readonly #allowed: ReadonlySet<string>
  readonly #wanted: Set<string> | undefined

  constructor (allowed: ReadonlySet<string>, wanted: Set<string> | undefined) {
    this.#allowed = allowed
    this.#wanted = wanted
  }

  allows (path: string): boolean {
    return this.#allowed.has(qualified('vneid', path))
  }

  keeps (type: string, field: string): boolean {
    const wanted = this.#wanted === undefined || this.#wanted.has(field)
    return wanted && this.allows(documentPath(type, field))
  }

  keepsAccount (): boolean {
    const wanted = this.#wanted === undefined || this.#wanted.has('account')
    return wanted && this.allows('account')
  }

  /** Refused by policy, whatever the data: whole types, then fields of the others. */
  withheld (withAccount: boolean): string[] {
    const types = DOCUMENT_TYPES.filter((t) => !this.allows(t))
    const fields = DOCUMENT_TYPES.filter((t) => this.allows(t)).flatMap((t) =>
      DOCUMENT_FIELDS.filter((f) => !this.allows(documentPath(t, f)))
        .map((f) => documentPath(t, f)))
    const account = withAccount && !this.allows('account') ? ['account'] : []
    return [...account, ...types, ...fields]
  }
}

function cutDocument (doc: AnswerBody, cut: DocumentCut,
  returned: Set<string>): AnswerBody {
  const type = String(doc.type)
  const out: AnswerBody = {}
  for (const [field, value] of Object.entries(doc)) {
    if (ALWAYS_KEPT.includes(field)) out[field] = value
    else if (cut.keeps(type, field)) {
      out[field] = value
      returned.add(qualified('vneid', documentPath(type, field)))
    }
  }
  returned.add(qualified('vneid', type))
  return out
}

// A rejected document tells that the citizen holds one of its type, as a
// served one would: only those of allowed types are named.
function rejectedOf (answer: AnswerBody, cut: DocumentCut,
  returned: Set<string>): AnswerBody[] {
  const rejected = (answer.rejected ?? []) as AnswerBody[]
  return rejected.filter((r) => cut.allows(String(r.type))).map((r) => {
    returned.add(qualified('vneid', String(r.type)))
    return r
  })
}

/** Whether a document of this type may be named to the client at all. */
export function documentTypeAllowed (type: string, opts: MinimiseOptions): boolean {
  return opts.allowed.has(qualified('vneid', type))
}

/**
 * The document list with only documents of allowed types, each with only the
 * allowed fields (plus `documentId`, `type`, `signature` and `basis`); `account`
 * only when allowed. `rejected` names the documents whose signature failed and
 * `consentRequired` the types held back for want of consent, of allowed types.
 * `documents`, `rejected` and `consentRequired` go when no type is allowed.
 */
export function minimiseDocumentList (answer: AnswerBody,
  opts: MinimiseOptions): Minimised {
  const cut = new DocumentCut(opts.allowed, parseFields('document-list', opts.fields))
  const returned = new Set<string>()
  const out: AnswerBody = { citizenId: answer.citizenId }
  if (cut.keepsAccount() && 'account' in answer) {
    out.account = answer.account
    returned.add(qualified('vneid', 'account'))
  }
  if (DOCUMENT_TYPES.some((t) => cut.allows(t))) {
    out.documents = (answer.documents as AnswerBody[])
      .filter((d) => cut.allows(String(d.type)))
      .map((d) => cutDocument(d, cut, returned))
    out.rejected = rejectedOf(answer, cut, returned)
    // Like a rejected document, a type held back for want of consent tells that the
    // citizen holds one: named only where the type is allowed.
    out.consentRequired = ((answer.consentRequired ?? []) as string[]).filter((t) => {
      if (!cut.allows(t)) return false
      returned.add(qualified('vneid', t))
      return true
    })
  }
  const answerOut = { ...out, withheld: cut.withheld(true), sources: answer.sources }
  return { answer: answerOut, returned: [...returned] }
}

/**
 * One document with only the allowed fields. A document of a type the client may
 * not see leaves no `document` at all: the route should then answer as for a
 * document that does not exist (404 DOCUMENT_NOT_FOUND), so that an id learnt
 * elsewhere does not confirm what the citizen holds.
 */
export function minimiseDocumentDetail (answer: AnswerBody,
  opts: MinimiseOptions): Minimised {
  const cut = new DocumentCut(opts.allowed, parseFields('document-detail', opts.fields))
  const returned = new Set<string>()
  const out: AnswerBody = { citizenId: answer.citizenId }
  const doc = answer.document as AnswerBody | undefined
  if (doc !== undefined && cut.allows(String(doc.type))) {
    out.document = cutDocument(doc, cut, returned)
  }
  const answerOut = { ...out, withheld: cut.withheld(false), sources: answer.sources }
  return { answer: answerOut, returned: [...returned] }
}
