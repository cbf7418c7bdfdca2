import { documentSigningText } from '../../sources/document-signature.js'
import type {
  DocumentStatus,
  VneidDocument
} from '../../sources/types.js'
import { unsigned } from '../store/vneid-store.js'
import {
  badRequest,
  conflict,
  type AppliedChange,
  type ChangeContext
} from './change.js'
import { walletRef } from './records.js'
import { documentOf, replaceDocument, walletOf } from './wallet.js'

export interface StatusBody {
  citizenId: string
  documentId: string
  status: DocumentStatus
}

/**
 * Moves a document to another state (active, expired, revoked, pending), as
 * the register does when a card lapses or an integration completes. The
 * register signs the document again: its new state is genuine.
 */
export function moveDocument (
  ctx: ChangeContext, { citizenId, documentId, status }: StatusBody
): AppliedChange {
  const wallet = walletOf(ctx, citizenId)
  const document = documentOf(wallet, documentId)
  if (document.status === status) {
    conflict('The document is in this state already.')
  }
  if (status === 'active') checkActivation(ctx, citizenId, document)
  const moved = { ...unsigned(document), status, updatedAt: ctx.at.iso }
  replaceDocument(ctx, wallet, moved, ctx.at.iso)
  return { type: 'document-status-changed', records: [walletRef(citizenId)] }
}

function checkActivation (
  { store, at }: ChangeContext, citizenId: string, document: VneidDocument
): void {
  if (store.population.person(citizenId)?.lifeStatus === 'deceased') {
    conflict('The register holds no active documents of the deceased.')
  }
  if (document.expiresOn !== null && document.expiresOn < at.today) {
    conflict('The document is past its expiry date, so it cannot be active.')
  }
}

/** The fields a tamper may alter; `documentId` and `type` stay. */
export type TamperedFields = Partial<Pick<VneidDocument,
  'number' | 'issuedOn' | 'expiresOn' | 'issuer' | 'status' | 'data'>>

export interface TamperBody {
  citizenId: string
  documentId: string
  changes: TamperedFields
}

/**
 * Alters a document without signing it again, as a forger with write access
 * to the wallet would: the old signature stays, so the document no longer
 * verifies. Its `updatedAt` stays too. The change event still names the
 * wallet, so that a gateway's cache sees the altered copy at once.
 */
export function tamperDocument (
  ctx: ChangeContext, { citizenId, documentId, changes }: TamperBody
): AppliedChange {
  const wallet = walletOf(ctx, citizenId)
  const document = documentOf(wallet, documentId)
  const altered = { ...document, ...changes }
  if (documentSigningText(citizenId, altered) ===
    documentSigningText(citizenId, document)) {
    badRequest('The changes leave the document as it was signed.')
  }
  const holder = changes.number === undefined
    ? undefined
    : ctx.store.vneid.identifier(changes.number)?.citizenId ??
      ctx.store.population.identifier(changes.number)?.citizenId
  if (holder !== undefined && holder !== citizenId) {
    conflict('This document number identifies another citizen.')
  }
  replaceDocument(ctx, wallet, altered)
  return { type: 'document-tampered', records: [walletRef(citizenId)] }
}
