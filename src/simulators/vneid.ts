import type { FastifyInstance } from 'fastify'
import type { DocumentType, VneidWallet } from '../sources/types.js'
import { createSimulator, type SimulatorOptions } from './app.js'
import { vneidChanges as changes } from './changes/endpoints.js'
import { ProblemError } from './problems.js'
import {
  answers,
  citizenIdParam,
  identifierLink,
  objectOf,
  opaqueIdParam
} from './schemas/common.js'
import {
  signingKey,
  vneidDocument,
  vneidWallet,
  walletQuery
} from './schemas/vneid.js'
import type { SimulatorStore, VneidStore } from './store.js'

/** The VNeID document wallets, not listening yet. */
export function buildVneidSimulator (opts: SimulatorOptions) {
  return createSimulator({
    ...opts, register: 'vneid', routes, changes
  })
}

interface WalletRequest {
  Params: { citizenId: string }
  Querystring: { type?: DocumentType }
}

interface DocumentRequest {
  Params: { citizenId: string, documentId: string }
}

function routes (app: FastifyInstance, { vneid }: SimulatorStore) {
  app.get<WalletRequest>('/citizens/:citizenId/documents', {
    schema: {
      params: objectOf({ citizenId: citizenIdParam }),
      querystring: walletQuery,
      response: answers(vneidWallet)
    }
  }, (request) => {
    const wallet = walletOf(vneid, request.params.citizenId)
    const { type } = request.query
    if (type === undefined) return wallet
    const documents = wallet.documents.filter((doc) => doc.type === type)
    return { ...wallet, documents }
  })

  app.get<DocumentRequest>('/citizens/:citizenId/documents/:documentId', {
    schema: {
      params: objectOf({
        citizenId: citizenIdParam, documentId: opaqueIdParam
      }),
      response: answers(vneidDocument)
    }
  }, (request) => {
    const { citizenId, documentId } = request.params
    const { documents } = walletOf(vneid, citizenId)
    return documents.find((doc) => doc.documentId === documentId) ??
      notFound('DOCUMENT_NOT_FOUND')
  })

  app.get<{ Params: { value: string } }>('/identifiers/:value', {
    schema: {
      params: objectOf({ value: opaqueIdParam }),
      response: answers(identifierLink)
    }
  }, (request) => vneid.identifier(request.params.value) ??
    notFound('NOT_FOUND'))

  // What a gateway configures to verify the documents (VNEID_PUBLIC_KEYS).
  app.get('/keys/document-signing', {
    schema: { response: answers(signingKey) }
  }, () => ({
    keyId: vneid.signer.keyId, publicKeyPem: vneid.signer.publicKeyPem
  }))
}

function walletOf (vneid: VneidStore, citizenId: string): VneidWallet {
  return vneid.wallet(citizenId) ?? notFound('ACCOUNT_NOT_FOUND')
}

function notFound (code: 'ACCOUNT_NOT_FOUND' | 'DOCUMENT_NOT_FOUND' |
  'NOT_FOUND'): never {
  throw new ProblemError(code)
}
