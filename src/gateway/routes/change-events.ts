import type { FastifyInstance, FastifyRequest } from 'fastify'
import { problems, ref } from '../api-schemas.js'
import { CacheUnavailable, SignatureInvalid } from '../errors.js'
import { SIGNATURE_HEADER, type ChangeEvent } from '../../sources/change-events.js'
import { verifyChangeSignature } from '../../sources/change-signature.js'

export interface ChangeEventsOptions {
  /** Shared with the registers that publish events. */
  secret: string
  /** How far a signature's timestamp may be from now, in seconds. */
  toleranceSeconds: number
}

// The registers' webhook. It answers only after every cached copy of the changed
// records is gone, so a register that acknowledges a death to its caller after our
// 204 can be sure no counter will be told the citizen is alive. An event delivered
// twice does the same work twice, which is harmless.
export default async function changeEvents (app: FastifyInstance, opts: ChangeEventsOptions) {
  // The signature covers the bytes as sent, so they are kept beside the parsed body.
  const raw = new WeakMap<FastifyRequest, string>()
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    raw.set(req, body as string)
    parseJson(req, body as string, done)
  })

  app.post<{ Body: ChangeEvent }>('/events/changes', {
    config: { operation: 'change-events.receive' },
    schema: {
      body: ref('change-event'),
      response: { 204: { type: 'null' }, ...problems(400, 401, 413, 415, 503) }
    },
    // Before validation: an unsigned caller learns nothing about the event's schema.
    preValidation: async (req) => {
      const header = req.headers[SIGNATURE_HEADER]
      const signature = Array.isArray(header) ? header[0] : header
      const ok = verifyChangeSignature(opts.secret, signature, raw.get(req) ?? '', {
        toleranceSeconds: opts.toleranceSeconds
      })
      if (!ok) throw new SignatureInvalid()
    }
  }, async (req, reply) => {
    const event = req.body
    try {
      await app.registers.cache?.invalidate(event.records)
    } catch (err) {
      throw new CacheUnavailable({ cause: err })
    }
    req.log.info({ eventId: event.eventId, type: event.type, records: event.records.length },
      'change event applied')
    return reply.code(204).send()
  })
}
