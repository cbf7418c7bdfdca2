import type {
  DocumentType,
  IdentifierLink,
  VneidWallet
} from '../../sources/types.js'

type LinkedType = 'driving-licence' | 'health-insurance' | 'passport'

// Only documents whose number a citizen may quote instead of the citizen id
// resolve through GET /identifiers/{value}; an id card's number is the
// citizen id itself.
const LINKED_TYPES = new Set<DocumentType>([
  'driving-licence', 'health-insurance', 'passport'
])

/** The VNeID wallets in memory, with indexes of document ids and numbers. */
export class VneidStore {
  readonly #wallets = new Map<string, VneidWallet>()
  readonly #identifiers = new Map<string, IdentifierLink>()
  readonly #documentIds = new Set<string>()

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

  putWallet (wallet: VneidWallet): void {
    const previous = this.#wallets.get(wallet.citizenId)
    if (previous !== undefined) this.#unlinkDocuments(previous)
    this.#wallets.set(wallet.citizenId, wallet)
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

  #unlinkDocuments (wallet: VneidWallet): void {
    for (const { documentId, number } of wallet.documents) {
      this.#documentIds.delete(documentId)
      if (this.#identifiers.get(number)?.citizenId === wallet.citizenId) {
        this.#identifiers.delete(number)
      }
    }
  }
}
