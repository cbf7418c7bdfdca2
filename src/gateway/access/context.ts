import type { ClientRecord } from '../../access/client-registry.js'

/** Why the data is read: the purpose headers every personal-data request carries. */
export interface Purpose {
  procedureCode: string
  dossierId: string
  officerId: string | null
  /** The one-stop counter the dossier was filed at, when the system says. */
  counterCode: string | null
}

/**
 * Who asks and why, attached to the request once authenticated. Scope checks,
 * minimisation and the audit record all read from here, never from raw headers.
 */
export interface AccessContext {
  client: Pick<ClientRecord, 'id' | 'name' | 'scopes'>
  /** Set once the purpose headers are read; null on routes without personal data. */
  purpose: Purpose | null
}

declare module 'fastify' {
  interface FastifyRequest {
    access: AccessContext | null
  }
  interface FastifyContextConfig {
    /** A stable operation name for logs and metrics, e.g. `citizens.get`. */
    operation?: string
    /** The route returns personal data, so the purpose headers are required. */
    personalData?: boolean
    /** The scope a client needs for this route. */
    scope?: string
  }
}
