import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  buildProblem,
  type Problem
} from './problems.js'

/** Every error leaves as problem+json; only 5xx are logged, as errors. */
export function handleError (
  error: FastifyError, request: FastifyRequest, reply: FastifyReply
) {
  const problem = toProblem(error)
  if (problem.status >= 500) {
    request.log.error({ err: error }, 'simulator failed to answer')
  }
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem)
}

export function handleNotFound (_request: FastifyRequest, reply: FastifyReply) {
  const problem = buildProblem('ROUTE_NOT_FOUND')
  return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem)
}

// Fastify's own 4xx messages may quote the request body (a JSON parse error
// does), so only schema validation messages, which name fields but never
// their values, are passed on.
function toProblem (error: FastifyError): Problem {
  if (error instanceof ProblemError) return error.problem
  if (error.validation !== undefined) {
    return buildProblem('BAD_REQUEST', { detail: `${error.message}.` })
  }
  const status = error.statusCode ?? 500
  if (status === 413) return buildProblem('PAYLOAD_TOO_LARGE')
  if (status === 415) return buildProblem('UNSUPPORTED_MEDIA_TYPE')
  if (status >= 400 && status < 500) {
    return buildProblem('BAD_REQUEST', { status })
  }
  return buildProblem('INTERNAL_ERROR')
}
