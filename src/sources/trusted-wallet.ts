import { verifyDocument, type DocumentKeys } from './document-signature.js'
import type { DocumentType, VneidDocument, VneidWallet } from './types.js'

/** A document the gateway refuses to use, and why. */
export interface RejectedDocument {
  documentId: string
  type: DocumentType
  reason: 'signature-invalid'
}

/**
 * A wallet as the gateway trusts it: `documents` holds only those whose signature
 * verified; the others are named in `rejected` and must not be served or relied on.
 */
export interface TrustedWallet extends VneidWallet {
  rejected: RejectedDocument[]
}

export type RejectionObserver = (rejected: RejectedDocument) => void

/**
 * Sorts a wallet's documents into trusted and rejected. The record cache hands out
 * the same objects until a record changes, so each wallet (and each document) is
 * verified once per object; a refreshed or changed record is a new object and is
 * verified again. The memo also keeps the trusted wallet the same object for as long
 * as its record is, which is what the answer memo (answer-memo.ts) keys on.
 */
export class DocumentVerifier {
  readonly #keys: DocumentKeys
  readonly #observe: RejectionObserver
  readonly #wallets = new WeakMap<VneidWallet, TrustedWallet>()
  readonly #documents = new WeakMap<VneidDocument, boolean>()

  constructor (keys: DocumentKeys, observe: RejectionObserver = () => {}) {
    this.#keys = keys
    this.#observe = observe
  }

  trust (wallet: VneidWallet): TrustedWallet {
    const known = this.#wallets.get(wallet)
    if (known !== undefined) return known
    const documents: VneidDocument[] = []
    const rejected: RejectedDocument[] = []
    for (const document of wallet.documents) {
      if (this.#verified(wallet.citizenId, document)) documents.push(document)
      else rejected.push(rejection(document))
    }
    const trusted = { ...wallet, documents, rejected }
    this.#wallets.set(wallet, trusted)
    for (const r of rejected) this.#observe(r)
    return trusted
  }

  #verified (citizenId: string, document: VneidDocument): boolean {
    let ok = this.#documents.get(document)
    if (ok === undefined) {
      ok = verifyDocument(citizenId, document, this.#keys)
      this.#documents.set(document, ok)
    }
    return ok
  }
}

function rejection ({ documentId, type }: VneidDocument): RejectedDocument {
  return { documentId, type, reason: 'signature-invalid' }
}
