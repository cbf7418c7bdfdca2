import type { FastifyInstance, FastifyRequest } from 'fastify'
import { answers } from '../schemas/common.js'
import {
  addressBody,
  changeAnswer,
  deathBody,
  divorceBody,
  documentStatusBody,
  grantConsentBody,
  issueBody,
  marriageBody,
  revokeBody,
  revokeConsentBody,
  revokeParams,
  tamperBody
} from '../schemas/changes.js'
import { changeAddress } from './address.js'
import { announce, type ChangeSetting } from './announce.js'
import {
  changeTime,
  type AppliedChange,
  type ChangeContext
} from './change.js'
import { grantConsent, revokeConsent } from './consents.js'
import { registerDeath } from './death.js'
import { moveDocument, tamperDocument } from './document-states.js'
import { issueDocument, revokeDocument } from './documents.js'
import { registerDivorce, registerMarriage } from './unions.js'

/** The changes one simulator takes, under /_sandbox/changes. */
export interface ChangeEndpoints {
  /** One line per endpoint, for GET /_sandbox. */
  summary: string[]
  routes: (app: FastifyInstance, setting: ChangeSetting) => void
}

type Apply = (ctx: ChangeContext, request: FastifyRequest) => AppliedChange

interface ChangeRoute {
  url: string
  schema: { body: unknown, params?: unknown }
  apply: Apply
}

// The change is made synchronously, checks first, so no other request can
// slip in between; the answer then waits for the webhooks.
function post (app: FastifyInstance, setting: ChangeSetting, route: ChangeRoute) {
  const schema = { ...route.schema, response: answers(changeAnswer) }
  app.post(route.url, { schema }, async (request) => {
    const at = changeTime()
    const change = route.apply({ store: setting.store, at }, request)
    return await announce(setting, { change, at, log: request.log })
  })
}

function bodyOf<T> (apply: (ctx: ChangeContext, body: T) => AppliedChange) {
  return (ctx: ChangeContext, request: FastifyRequest) =>
    apply(ctx, request.body as T)
}

export const civilStatusChanges: ChangeEndpoints = {
  summary: [
    'POST /_sandbox/changes/death {citizenId, date?, place?}',
    'POST /_sandbox/changes/marriage {citizenIds: [a, b], date?}',
    'POST /_sandbox/changes/divorce {citizenIds: [a, b], date?, court?}'
  ],
  routes (app, setting) {
    post(app, setting, {
      url: '/death', schema: { body: deathBody }, apply: bodyOf(registerDeath)
    })
    post(app, setting, {
      url: '/marriage',
      schema: { body: marriageBody },
      apply: bodyOf(registerMarriage)
    })
    post(app, setting, {
      url: '/divorce',
      schema: { body: divorceBody },
      apply: bodyOf(registerDivorce)
    })
  }
}

export const populationChanges: ChangeEndpoints = {
  summary: [
    'POST /_sandbox/changes/address {citizenId, permanentResidence?, ' +
      'currentResidence?}'
  ],
  routes (app, setting) {
    post(app, setting, {
      url: '/address',
      schema: { body: addressBody },
      apply: bodyOf(changeAddress)
    })
  }
}

export const vneidChanges: ChangeEndpoints = {
  summary: [
    'POST /_sandbox/changes/documents {citizenId, document: {documentId?, ' +
      'type, number, issuedOn, expiresOn, issuer, status?, data?}}',
    'POST /_sandbox/changes/documents/:documentId/revoke {citizenId}',
    'POST /_sandbox/changes/documents/status {citizenId, documentId, status}',
    'POST /_sandbox/changes/documents/tamper {citizenId, documentId, ' +
      'changes: {number?, issuedOn?, expiresOn?, issuer?, status?, data?}}',
    'POST /_sandbox/changes/consents {citizenId, consentId?, grantee: ' +
      '{clientId?, procedureCode?}, documentTypes, grantedOn?, validUntil}',
    'POST /_sandbox/changes/consents/revoke {citizenId, consentId}'
  ],
  routes (app, setting) {
    post(app, setting, {
      url: '/documents',
      schema: { body: issueBody },
      apply: bodyOf(issueDocument)
    })
    post(app, setting, {
      url: '/documents/status',
      schema: { body: documentStatusBody },
      apply: bodyOf(moveDocument)
    })
    post(app, setting, {
      url: '/documents/tamper',
      schema: { body: tamperBody },
      apply: bodyOf(tamperDocument)
    })
    post(app, setting, {
      url: '/consents',
      schema: { body: grantConsentBody },
      apply: bodyOf(grantConsent)
    })
    post(app, setting, {
      url: '/consents/revoke',
      schema: { body: revokeConsentBody },
      apply: bodyOf(revokeConsent)
    })
    post(app, setting, {
      url: '/documents/:documentId/revoke',
      schema: { body: revokeBody, params: revokeParams },
      apply: (ctx, request) => revokeDocument(ctx, {
        ...(request.body as { citizenId: string }),
        ...(request.params as { documentId: string })
      })
    })
  }
}
