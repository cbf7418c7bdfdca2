import type { Registers } from '../../sources/registers.js'
import type { DocumentType, VneidDocument } from '../../sources/types.js'
import { CitizenNotFound, DocumentNotFound } from '../errors.js'
import { SourceReport, settle } from './source-report.js'
import { minimiseDocumentDetail, minimiseDocumentList } from '../../access/minimise.js'
import type { View } from '../routes/view.js'

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** Today's date in Vietnam, where every expiry date in the registers is meant. */
export function todayInVietnam (now = Date.now()): string {
  return new Date(now + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)
}

/**
 * A document as the gateway reports it. `valid` is computed here because a wallet
 * may still say `active` the day after a document expired.
 */
export function toApiDocument (d: VneidDocument, today = todayInVietnam()) {
  return {
    documentId: d.documentId,
    type: d.type,
    number: d.number,
    issuedOn: d.issuedOn,
    expiresOn: d.expiresOn,
    issuer: d.issuer,
    status: d.status,
    valid: d.status === 'active' && (d.expiresOn === null || d.expiresOn >= today),
    data: d.data,
    updatedAt: d.updatedAt
  }
}

// A wallet without the citizen being known to the population register is still served:
// the population register only proves existence here, and VNeID is the source.
async function walletAndPerson (registers: Registers, citizenId: string,
  report: SourceReport) {
  const [walletCall, personCall] = await Promise.all([
    registers.wallet(citizenId),
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
  // Validity depends on the day, so the day is part of what the answer depends on.
  return report.answer(`documents|${type ?? 'all'}|${today}|${view.key}`, () => minimiseDocumentList({
    citizenId,
    account: wallet === undefined
      ? { status: 'none' as const, level: null, activatedOn: null }
      : { status: 'active' as const, ...wallet.account },
    documents: (wallet?.documents ?? [])
      .filter((d) => type === undefined || d.type === type)
      .map((d) => toApiDocument(d, today)),
    sources: report.sources
  }, view))
}

export async function readDocument (registers: Registers, citizenId: string,
  documentId: string, view: View) {
  const report = new SourceReport()
  const wallet = await walletAndPerson(registers, citizenId, report)
  const document = wallet?.documents.find((d) => d.documentId === documentId)
  if (document === undefined) throw new DocumentNotFound()
  const minimised = minimiseDocumentDetail(
    { citizenId, document: toApiDocument(document), sources: report.sources }, view)
  // A document of a type this view may not see does not exist for it.
  if (minimised.answer.document === undefined) throw new DocumentNotFound()
  return report.finish(minimised)
}
