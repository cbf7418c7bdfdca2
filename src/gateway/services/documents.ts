import type { Registers } from '../../sources/registers.js'
import type { TrustedWallet } from '../../sources/trusted-wallet.js'
import type { DocumentType, VneidDocument } from '../../sources/types.js'
import { releaseBasis, type ReleaseBasis } from '../../access/consent.js'
import {
  CitizenNotFound, ConsentRequired, DocumentNotFound, DocumentSignatureInvalid
} from '../errors.js'
import { SourceReport, settle } from './source-report.js'
import {
  documentTypeAllowed, minimiseDocumentDetail, minimiseDocumentList
} from '../../access/minimise.js'
import type { View } from '../routes/view.js'
import { todayInVietnam } from '../../reference/calendar.js'

/**
 * Whether a document can serve today: active, and not past its expiry date. A wallet
 * may still say `active` the day after a document expired.
 */
export function usableOn (d: VneidDocument, today: string): boolean {
  return d.status === 'active' && (d.expiresOn === null || d.expiresOn >= today)
}

/**
 * A document as the gateway reports it. Only documents of a trusted wallet
 * (Registers.trustedWallet) come here, so each says `verified`.
 */
export function toApiDocument (d: VneidDocument, basis: ReleaseBasis, today = todayInVietnam()) {
  return {
    documentId: d.documentId,
    type: d.type,
    number: d.number,
    issuedOn: d.issuedOn,
    expiresOn: d.expiresOn,
    issuer: d.issuer,
    status: d.status,
    valid: usableOn(d, today),
    data: d.data,
    updatedAt: d.updatedAt,
    signature: 'verified' as const,
    basis
  }
}

/**
 * The wallet's documents as this view may have them: each with the ground it is
 * released on, those that need a consent nobody gave left out, their types named.
 */
function released (wallet: TrustedWallet | undefined, view: View, today: string) {
  const documents: Array<ReturnType<typeof toApiDocument>> = []
  const withoutConsent = new Set<DocumentType>()
  for (const d of wallet?.documents ?? []) {
    const basis = releaseBasis(d.type, view.byConsent, wallet!.consents, view.recipient, today)
    if (basis === null) withoutConsent.add(d.type)
    else documents.push(toApiDocument(d, basis, today))
  }
  return { documents, consentRequired: [...withoutConsent] }
}

// A wallet without the citizen being known to the population register is still served:
// the population register only proves existence here, and VNeID is the source.
async function walletAndPerson (registers: Registers, citizenId: string,
  report: SourceReport) {
  const [walletCall, personCall] = await Promise.all([
    registers.trustedWallet(citizenId),
    settle(registers.person(citizenId))
  ])
  const wallet = report.answered(walletCall)
  if (!personCall.ok) report.failed('population')
  const person = personCall.ok ? report.answered(personCall.value) : undefined
  if (wallet === undefined && !personCall.ok) throw personCall.error
  if (wallet === undefined && person === undefined) throw new CitizenNotFound()
  return wallet
}

export async function listDocuments (registers: Registers, citizenId: string,
  type: DocumentType | undefined, view: View) {
  const report = new SourceReport()
  const wallet = await walletAndPerson(registers, citizenId, report)
  const today = todayInVietnam()
  const ofType = <T extends { type: DocumentType }>(d: T) => type === undefined || d.type === type
  // Validity and consents depend on the day, so the day is part of what the answer
  // depends on.
  return report.answer(`documents|${type ?? 'all'}|${today}|${view.key}`, () => {
    const { documents, consentRequired } = released(wallet, view, today)
    return minimiseDocumentList({
      citizenId,
      account: wallet === undefined
        ? { status: 'none' as const, level: null, activatedOn: null }
        : { status: 'active' as const, ...wallet.account },
      documents: documents.filter(ofType),
      rejected: (wallet?.rejected ?? []).filter(ofType),
      consentRequired: consentRequired.filter((t) => type === undefined || t === type),
      sources: report.sources
    }, view)
  })
}

export async function readDocument (registers: Registers, citizenId: string,
  documentId: string, view: View) {
  const report = new SourceReport()
  const wallet = await walletAndPerson(registers, citizenId, report)
  const document = wallet?.documents.find((d) => d.documentId === documentId)
  if (document === undefined) {
    const rejected = wallet?.rejected.find((d) => d.documentId === documentId)
    // Of a type the view may not see, it does not exist for the client either.
    if (rejected !== undefined && documentTypeAllowed(rejected.type, view)) {
      throw new DocumentSignatureInvalid()
    }
    throw new DocumentNotFound()
  }
  // A document of a type this view may not see does not exist for it.
  if (!documentTypeAllowed(document.type, view)) throw new DocumentNotFound()
  const today = todayInVietnam()
  const basis = releaseBasis(document.type, view.byConsent, wallet!.consents, view.recipient, today)
  if (basis === null) throw new ConsentRequired()
  const minimised = minimiseDocumentDetail(
    { citizenId, document: toApiDocument(document, basis, today), sources: report.sources }, view)
  return report.finish(minimised)
}
