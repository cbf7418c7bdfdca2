import type { FastifyRequest } from 'fastify'
import type { AuditCheck, AuditSource } from '../../audit/index.js'

/**
 * What an answer disclosed, for its audit record: the citizens it is about (beyond
 * the one named in the path), the field paths it carries and how each register's
 * part was obtained. Carried beside the body under a symbol, so it is never sent.
 */
export interface AnswerFacts {
  citizenIds?: string[]
  fields: string[]
  sources: AuditSource[]
  /** A requirement check's findings, for the reuse statistics. */
  check?: AuditCheck
}

export const ANSWER_FACTS = Symbol('answer-facts')

export function withFacts<T extends object> (body: T, facts: AnswerFacts): T {
  return Object.assign(body, { [ANSWER_FACTS]: facts })
}

const noted = new WeakMap<FastifyRequest, AnswerFacts>()

/** Takes the facts off an answer on its way out, for the audit hook to read. */
export function noteFacts (req: FastifyRequest, answer: unknown): void {
  const facts = (answer as { [ANSWER_FACTS]?: AnswerFacts } | null)?.[ANSWER_FACTS]
  if (facts !== undefined) noted.set(req, facts)
}

export function factsOf (req: FastifyRequest): AnswerFacts | undefined {
  return noted.get(req)
}
