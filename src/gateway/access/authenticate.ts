import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { ClientRegistry } from '../../access/client-registry.js'
import type { Catalogue } from '../../access/catalogue.js'
import type { Purpose } from './context.js'
import {
  CredentialsInvalid,
  CredentialsMissing,
  DemoKeyRefused,
  ProcedureNotPermitted,
  ProcedureUnknown,
  PurposeInvalid,
  PurposeMissing,
  ScopeMissing
} from '../errors.js'

export interface AuthenticateOptions {
  registry: ClientRegistry
  catalogue: Catalogue
  /** Refuse sandbox demo clients: set when NODE_ENV is production. */
  refuseDemoClients: boolean
}

// Procedure codes look like 1.001193.000.00.00.H12 or 2.000986; dossier and officer
// ids are whatever the procedure system uses, so only their alphabet and length are
// bounded: they end up in audit records and must stay printable and short.
const PROCEDURE_CODE = /^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$/
const REFERENCE = /^[0-9A-Za-z][0-9A-Za-z._/:-]{0,127}$/
const BEARER = /^Bearer ([\x21-\x7e]{16,256})$/

function readHeader (req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function requireHeader (req: FastifyRequest, name: string, pattern: RegExp): string {
  const value = readHeader(req, name)
  if (value === undefined || value === '') throw new PurposeMissing(name)
  if (!pattern.test(value)) throw new PurposeInvalid(name)
  return value
}

export function readPurpose (req: FastifyRequest): Purpose {
  const procedureCode = requireHeader(req, 'x-procedure-code', PROCEDURE_CODE)
  const dossierId = requireHeader(req, 'x-dossier-id', REFERENCE)
  return {
    procedureCode,
    dossierId,
    officerId: optionalHeader(req, 'x-officer-id'),
    counterCode: optionalHeader(req, 'x-counter-code')
  }
}

function optionalHeader (req: FastifyRequest, name: string): string | null {
  const value = readHeader(req, name)
  if (value === undefined) return null
  if (!REFERENCE.test(value)) throw new PurposeInvalid(name)
  return value
}

// Who may ask, then why: a missing key is 401 before anything else, a scope the
// client lacks is 403 before the purpose is read, and a purpose is only accepted
// for a procedure the catalogue knows and the client is registered for.
async function authenticate (app: FastifyInstance, opts: AuthenticateOptions) {
  app.addHook('onRequest', async (req) => {
    const header = readHeader(req, 'authorization')
    if (header === undefined || header === '') throw new CredentialsMissing()
    const key = BEARER.exec(header)?.[1]
    const client = key === undefined ? undefined : opts.registry.authenticate(key)
    if (client === undefined) throw new CredentialsInvalid()
    if (client.demo && opts.refuseDemoClients) throw new DemoKeyRefused()
    // Known from here on, so that a refusal below is audited under the client's name.
    const { id, name, scopes } = client
    req.access = { client: { id, name, scopes }, purpose: null }
    const scope = req.routeOptions.config.scope
    if (scope !== undefined && !client.scopes.includes(scope)) throw new ScopeMissing(scope)
    if (req.routeOptions.config.personalData === true) {
      const purpose = readPurpose(req)
      req.access.purpose = purpose
      if (opts.catalogue.procedure(purpose.procedureCode) === undefined) throw new ProcedureUnknown()
      if (!opts.registry.mayCite(client, purpose.procedureCode)) throw new ProcedureNotPermitted()
    }
  })
}

export default fp(authenticate, { name: 'authenticate' })
