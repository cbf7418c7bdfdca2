import type { FastifyRequest } from 'fastify'
import { allowedFields, type Catalogue } from '../../access/catalogue.js'
import { consentTypes, type Recipient } from '../../access/consent.js'
import type { MinimiseOptions } from '../../access/minimise.js'
import type { DocumentType } from '../../sources/types.js'

/** How one request may see an answer: the allowed paths and the `fields` asked for. */
export interface View extends MinimiseOptions {
  /** Tells differently cut answers apart, so a remembered answer serves only its view. */
  key: string
  /** Who receives the answer, as a VNeID consent names it. */
  recipient: Recipient
  /** Document types the procedure may have only with the citizen's consent. */
  byConsent: ReadonlySet<DocumentType>
}

/**
 * The view of the authenticated client under the procedure it cited. Allowed sets
 * are computed once per procedure and set of scopes: there are few of each.
 */
export function viewer (catalogue: Catalogue) {
  const allowedSets = new Map<string, ReadonlySet<string>>()
  return (req: FastifyRequest, fields: string | undefined): View => {
    const access = req.access!
    // The authenticate hook has refused a request whose procedure is not in the catalogue.
    const procedure = catalogue.procedure(access.purpose!.procedureCode)!
    const policy = `${procedure.code}|${access.client.scopes.join(',')}`
    let allowed = allowedSets.get(policy)
    if (allowed === undefined) {
      allowed = allowedFields(procedure, access.client.scopes)
      allowedSets.set(policy, allowed)
    }
    const byConsent = consentTypes(procedure)
    const recipient = { clientId: access.client.id, procedureCode: procedure.code }
    // A consent may name the client, so then the answer is the client's alone.
    const who = byConsent.size === 0 ? '' : `|${recipient.clientId}`
    return { key: `${policy}|${fields ?? ''}${who}`, allowed, fields, recipient, byConsent }
  }
}
