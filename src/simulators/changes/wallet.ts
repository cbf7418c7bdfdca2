import type { VneidDocument, VneidWallet } from '../../sources/types.js'
import { ProblemError } from '../problems.js'
import { personOf, type ChangeContext } from './change.js'

/** The wallet of a registered citizen: 404 for an unknown one or no account. */
export function walletOf (
  { store }: ChangeContext, citizenId: string
): VneidWallet {
  personOf(store, citizenId)
  const wallet = store.vneid.wallet(citizenId)
  if (wallet === undefined) throw new ProblemError('ACCOUNT_NOT_FOUND')
  return wallet
}

export function documentOf (
  wallet: VneidWallet, documentId: string
): VneidDocument {
  const document = wallet.documents.find((d) => d.documentId === documentId)
  if (document === undefined) throw new ProblemError('DOCUMENT_NOT_FOUND')
  return document
}

/** Stores the wallet with one document replaced by `next`. */
export function replaceDocument (
  { store }: ChangeContext, wallet: VneidWallet, next: VneidDocument,
  updatedAt = wallet.updatedAt
): void {
  const documents = wallet.documents.map((d) =>
    d.documentId === next.documentId ? next : d)
  store.vneid.putWallet({ ...wallet, documents, updatedAt })
}
