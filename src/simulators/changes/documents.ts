import type {
  DocumentStatus,
  DocumentType,
  VneidDocument,
  VneidWallet
} from '../../sources/types.js'
import { ProblemError } from '../problems.js'
import { unsigned } from '../store/vneid-store.js'
import {
  badRequest,
  conflict,
  personOf,
  type AppliedChange,
  type ChangeContext,
  type ChangeTime
} from './change.js'
import { walletRef } from './records.js'

export interface NewDocument {
  documentId?: string
  type: DocumentType
  number: string
  issuedOn: string
  expiresOn: string | null
  issuer: string
  /** Follows from expiresOn when left out: active, or expired once lapsed. */
  status?: DocumentStatus
  data?: VneidDocument['data']
}

export interface IssueBody {
  citizenId: string
  document: NewDocument
}

/** Adds a document to the wallet, opening the account if there is none. */
export function issueDocument (
  ctx: ChangeContext, { citizenId, document }: IssueBody
): AppliedChange {
  const { store, at } = ctx
  const status = checkDocument(citizenId, document, at)
  const person = personOf(store, citizenId)
  if (person.lifeStatus === 'deceased') {
    conflict('The register issues no documents to the deceased.')
  }
  checkUnclaimed(ctx, citizenId, document)
  const documentId = document.documentId ??
    store.ids.next('DOC', (id) => store.vneid.hasDocument(id))
  const { type, number, issuedOn, expiresOn, issuer, data = {} } = document
  const issued: Omit<VneidDocument, 'updatedAt'> = {
    documentId, type, number, issuedOn, expiresOn, issuer, status, data
  }
  const wallet = store.vneid.wallet(citizenId) ?? openWallet(citizenId, at)
  store.vneid.putWallet({
    ...wallet,
    documents: [...wallet.documents, { ...issued, updatedAt: at.iso }],
    updatedAt: at.iso
  })
  return { type: 'document-issued', records: [walletRef(citizenId)] }
}

export interface RevokeRequest {
  citizenId: string
  documentId: string
}

export function revokeDocument (
  ctx: ChangeContext, { citizenId, documentId }: RevokeRequest
): AppliedChange {
  personOf(ctx.store, citizenId)
  const wallet = ctx.store.vneid.wallet(citizenId)
  if (wallet === undefined) throw new ProblemError('ACCOUNT_NOT_FOUND')
  const document = wallet.documents.find((d) => d.documentId === documentId)
  if (document === undefined) throw new ProblemError('DOCUMENT_NOT_FOUND')
  if (document.status === 'revoked') {
    conflict('The document is revoked already.')
  }
  revoke(ctx, wallet, (d) => d === document)
  return { type: 'document-revoked', records: [walletRef(citizenId)] }
}

/** On a death: true if the wallet held active documents, now revoked. */
export function revokeActiveDocuments (
  ctx: ChangeContext, citizenId: string
): boolean {
  const wallet = ctx.store.vneid.wallet(citizenId)
  const active = (d: VneidDocument) => d.status === 'active'
  if (wallet === undefined || !wallet.documents.some(active)) return false
  revoke(ctx, wallet, active)
  return true
}

function revoke (
  { store, at }: ChangeContext, wallet: VneidWallet,
  which: (document: VneidDocument) => boolean
): void {
  const documents = wallet.documents.map((d) => which(d)
    ? { ...unsigned(d), status: 'revoked' as const, updatedAt: at.iso }
    : d)
  store.vneid.putWallet({ ...wallet, documents, updatedAt: at.iso })
}

// What the body alone can get wrong, as 400s; the status it settles on.
function checkDocument (
  citizenId: string, document: NewDocument, at: ChangeTime
): DocumentStatus {
  const { type, number, issuedOn, expiresOn, status } = document
  if (type === 'id-card' && number !== citizenId) {
    badRequest('An id-card is numbered with the citizen id.')
  }
  if (issuedOn > at.today) badRequest('issuedOn cannot be later than today.')
  if (expiresOn !== null && expiresOn <= issuedOn) {
    badRequest('expiresOn must be later than issuedOn.')
  }
  const lapsed = expiresOn !== null && expiresOn < at.today
  if (status === undefined) return lapsed ? 'expired' : 'active'
  if (status !== 'revoked' && (status === 'expired') !== lapsed) {
    badRequest('status disagrees with expiresOn: expired exactly once lapsed.')
  }
  return status
}

function checkUnclaimed (
  { store }: ChangeContext, citizenId: string, document: NewDocument
): void {
  const { documentId, number } = document
  if (documentId !== undefined && store.vneid.hasDocument(documentId)) {
    conflict('A document with this documentId exists already.')
  }
  const holder = store.vneid.identifier(number)?.citizenId ??
    store.population.identifier(number)?.citizenId
  if (holder !== undefined && holder !== citizenId) {
    conflict('This document number identifies another citizen.')
  }
}

// Documents are only integrated into identified (level 2) accounts.
function openWallet (citizenId: string, at: ChangeTime): VneidWallet {
  return {
    citizenId,
    account: { level: 2, activatedOn: at.today },
    documents: [],
    consents: [],
    updatedAt: at.iso
  }
}
