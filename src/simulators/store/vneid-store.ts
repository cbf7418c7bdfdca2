import {
  createDocumentSigner,
  type DocumentSigner
} from '../../sources/document-signature.js'
import type {
  DocumentType,
  IdentifierLink,
  VneidDocument,
  VneidWallet
} from '../../sources/types.js'

type LinkedType = 'driving-licence' | 'health-insurance' | 'passport'

// Only documents whose number a citizen may quote instead of the citizen id
// resolve through GET /identifiers/{value}; an id card's number is the
// citizen id itself.
const LINKED_TYPES = new Set<DocumentType>([
  'driving-licence', 'health-insurance', 'passport'
])

/**
 * The VNeID wallets in memory, with indexes of document ids and numbers. Every
 * document it holds is signed: see putWallet.
 */
export class VneidStore {
  /** Signs the documents; its public key is what gateways verify with. */
  readonly signer: DocumentSigner
  readonly #wallets = new Map<string, VneidWallet>()
  readonly #identifiers = new Map<string, IdentifierLink>()
  readonly #documentIds = new Set<string>()
  readonly #consentIds = new Set<string>()

  constructor (signer: DocumentSigner = createDocumentSigner()) {
    this.signer = signer
  }

  wallet (citizenId: string): VneidWallet | undefined {
    return this.#wallets.get(citizenId)
  }

  identifier (value: string): IdentifierLink | undefined {
    return this.#identifiers.get(value)
  }

  /** Document ids are unique across wallets, not only within one. */
  hasDocument (documentId: string): boolean {
    return this.#documentIds.has(documentId)
  }

  /** So are consent ids. */
  hasConsent (consentId: string): boolean {
    return this.#consentIds.has(consentId)
  }

  /**
   * Stores the wallet, signing each document that carries no signature. A change
   * that alters a document therefore leaves its signature out (see `unsigned`) to
   * have it signed again; one that keeps the old signature, as a tamper does, leaves
   * a document that no longer verifies.
   */
  putWallet (wallet: VneidWallet): void {
    const previous = this.#wallets.get(wallet.citizenId)
    if (previous !== undefined) this.#unlink(previous)
    const documents = wallet.documents.map((document) =>
      document.signature === undefined
        ? { ...document, signature: this.signer.sign(wallet.citizenId, document) }
        : document)
    wallet = { ...wallet, documents }
    this.#wallets.set(wallet.citizenId, wallet)
    for (const { consentId } of wallet.consents) this.#consentIds.add(consentId)
    for (const { documentId, type, number } of wallet.documents) {
      this.#documentIds.add(documentId)
      if (!LINKED_TYPES.has(type)) continue
      const link = {
        identifier: number,
        type: type as LinkedType,
        citizenId: wallet.citizenId
      }
      this.#identifiers.set(number, link)
    }
  }

  #unlink (wallet: VneidWallet): void {
    for (const { consentId } of wallet.consents) this.#consentIds.delete(consentId)
    for (const { documentId, number } of wallet.documents) {
      this.#documentIds.delete(documentId)
      if (this.#identifiers.get(number)?.citizenId === wallet.citizenId) {
        this.#identifiers.delete(number)
      }
    }
  }
}

/** The document without its signature, for a change to have it signed anew. */
export function unsigned (document: VneidDocument): VneidDocument {
  const { signature, ...rest } = document
  return rest
}
