import type { DocumentType, VneidConsent } from '../../sources/types.js'
import { ProblemError } from '../problems.js'
import {
  badRequest,
  conflict,
  pastDate,
  type AppliedChange,
  type ChangeContext
} from './change.js'
import { walletRef } from './records.js'
import { walletOf } from './wallet.js'

export interface GrantBody {
  citizenId: string
  consentId?: string
  grantee: VneidConsent['grantee']
  documentTypes: DocumentType[]
  /** Today when left out; never later. */
  grantedOn?: string
  validUntil: string
}

/**
 * Adds a consent to the wallet, as the citizen would in the VNeID app. A
 * validUntil already past is allowed: it makes a lapsed consent to test with.
 */
export function grantConsent (
  ctx: ChangeContext, body: GrantBody
): AppliedChange {
  const { store, at } = ctx
  const wallet = walletOf(ctx, body.citizenId)
  if (store.population.person(body.citizenId)?.lifeStatus === 'deceased') {
    conflict('The deceased give no consent.')
  }
  const grantedOn = pastDate(body.grantedOn, at)
  if (body.validUntil < grantedOn) {
    badRequest('validUntil cannot be earlier than grantedOn.')
  }
  if (body.consentId !== undefined && store.vneid.hasConsent(body.consentId)) {
    conflict('A consent with this consentId exists already.')
  }
  const consent: VneidConsent = {
    consentId: body.consentId ??
      store.ids.next('CONS', (id) => store.vneid.hasConsent(id)),
    grantee: body.grantee,
    documentTypes: body.documentTypes,
    grantedOn,
    validUntil: body.validUntil
  }
  store.vneid.putWallet({
    ...wallet, consents: [...wallet.consents, consent], updatedAt: at.iso
  })
  return { type: 'consent-granted', records: [walletRef(body.citizenId)] }
}

export interface RevokeConsentBody {
  citizenId: string
  consentId: string
}

/** Withdraws a consent: it leaves the wallet, as it does in the VNeID app. */
export function revokeConsent (
  ctx: ChangeContext, { citizenId, consentId }: RevokeConsentBody
): AppliedChange {
  const wallet = walletOf(ctx, citizenId)
  const consents = wallet.consents.filter((c) => c.consentId !== consentId)
  if (consents.length === wallet.consents.length) {
    throw new ProblemError('CONSENT_NOT_FOUND')
  }
  ctx.store.vneid.putWallet({ ...wallet, consents, updatedAt: ctx.at.iso })
  return { type: 'consent-revoked', records: [walletRef(citizenId)] }
}
