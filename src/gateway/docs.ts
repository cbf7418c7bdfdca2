import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import swagger, { type StaticDocumentSpec } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { bundleOpenApi } from './openapi-document.js'

async function docs (app: FastifyInstance) {
  const document = bundleOpenApi()
  const body = JSON.stringify(document)
  // The document is checked by the redocly lint and the route test, not by its type.
  const specification = { document } as unknown as StaticDocumentSpec
  await app.register(swagger, { mode: 'static', specification })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { config: { operation: 'openapi.get' } }, async (_req, reply) => {
    return reply.type('application/json; charset=utf-8').send(body)
  })
}

export default fp(docs, { name: 'docs' })
