import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import * as errors from './errors.js'

export const PROBLEM_TYPE_BASE = 'urn:citizen-data-gateway:problem:'
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

export interface Problem {
  type: string
  title: string
  status: number
  code: string
  detail: string
  requestId: string
  errors?: Array<{ in: string, pointer: string, message: string }>
}

// Fastify's own client errors, renamed to codes of ours so a procedure system never has
// to know which framework answers. Anything 4xx not listed keeps a generic code.
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY'
}

const CATALOGUE = new Set<string>(Object.values(errors)
  .filter((e) => typeof e === 'function')
  .map((E) => (new (E as new () => Error & { code: string })()).code))

function codeOf (err: FastifyError, status: number): string {
  if (CATALOGUE.has(err.code)) return err.code
  if (err.validation !== undefined) return 'VALIDATION_FAILED'
  const mapped = FRAMEWORK_CODES[err.code]
  if (mapped !== undefined) return mapped
  // The JSON parser throws a bare SyntaxError with status 400, __proto__ included.
  if (status === 400 && err instanceof SyntaxError) return 'MALFORMED_BODY'
  if (status === 408) return 'REQUEST_TIMEOUT'
  return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'
}

const SAFE_DETAIL: Record<string, string> = {
  VALIDATION_FAILED: 'The request does not match the contract',
  MALFORMED_BODY: 'The request body is not valid JSON',
  BODY_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json',
  REQUEST_TIMEOUT: 'The request took too long to arrive',
  INTERNAL_ERROR: 'The gateway failed to process the request',
  BAD_REQUEST: 'The request cannot be processed'
}

export function toProblem (err: FastifyError, requestId: string): Problem {
  const raw = err.statusCode ?? 500
  const status = raw >= 400 && raw <= 599 ? raw : 500
  const code = codeOf(err, status)
  const problem: Problem = {
    type: PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-'),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    // Only catalogue messages are ours and known to be free of request data.
    detail: CATALOGUE.has(err.code) ? err.message : SAFE_DETAIL[code] ?? SAFE_DETAIL.BAD_REQUEST,
    requestId
  }
  if (err.validation !== undefined) {
    problem.errors = err.validation.map((v) => ({
      in: err.validationContext ?? 'request',
      pointer: v.instancePath + pointerOf(v.params),
      message: v.message ?? 'is invalid'
    }))
  }
  return problem
}

function pointerOf (params: Record<string, unknown>): string {
  const name = params.missingProperty ?? params.additionalProperty
  return typeof name === 'string' ? `/${name}` : ''
}

const sentCodes = new WeakMap<FastifyReply, string>()

/** The problem code a reply carries, for the audit record; undefined for an answer. */
export function problemCodeOf (reply: FastifyReply): string | undefined {
  return sentCodes.get(reply)
}

export function sendProblem (reply: FastifyReply, problem: Problem): FastifyReply {
  sentCodes.set(reply, problem.code)
  const retry = errors.retryAfterSeconds[problem.code]
  if (retry !== undefined) reply.header('retry-after', String(retry))
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem))
}

function logFailure (req: FastifyRequest, err: FastifyError, problem: Problem): void {
  if (problem.status >= 500) {
    req.log.error({ err, code: problem.code }, 'request failed')
  } else {
    req.log.info({ code: problem.code }, 'request refused')
  }
}

async function problems (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const problem = toProblem(err, req.id)
    logFailure(req, err, problem)
    return sendProblem(reply, problem)
  })
  app.setNotFoundHandler((req, reply) => {
    return sendProblem(reply, toProblem(new errors.RouteNotFound(), req.id))
  })
}

export default fp(problems, { name: 'problems' })
