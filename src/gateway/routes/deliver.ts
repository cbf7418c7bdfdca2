import type { FastifyReply } from 'fastify'
import { RAW_ANSWER, type RawAnswer } from '../services/answer-memo.js'
import { CACHE_STATE } from '../services/source-report.js'
import { noteFacts } from '../services/answer-facts.js'

/**
 * Sends a remembered answer as the bytes it was serialised to, with its ETag (the
 * ETag plugin then skips hashing but still answers If-None-Match with 304); any other
 * answer goes through the route's serialiser as usual.
 */
export function deliver<T extends object> (reply: FastifyReply, answer: T): T | FastifyReply {
  const raw = (answer as { [RAW_ANSWER]?: RawAnswer })[RAW_ANSWER]
  if (raw === undefined) return answer
  noteFacts(reply.request, answer)
  const state = (answer as { [CACHE_STATE]?: string })[CACHE_STATE]
  if (state !== undefined) reply.header('x-cache', state)
  if (raw.etag !== undefined) reply.header('etag', raw.etag)
  return reply.type('application/json; charset=utf-8').send(raw.bytes)
}
