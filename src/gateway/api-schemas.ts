import { readdirSync, readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { fromRoot } from '../paths.js'

const BASE = 'https://citizen-data-gateway.example/schemas/api/'
const dir = fromRoot('schemas', 'api')

/** A reference to one of the contract's schemas, for route definitions. */
export function ref (name: string): { $ref: string } {
  return { $ref: `${BASE}${name}.schema.json` }
}

/** Problem responses for the given statuses, for a route's response schemas. */
export function problems (...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries(statuses.map((s) => [s, ref('problem')]))
}

// fast-json-stringify does not resolve a relative $ref against the schema's $id the
// way ajv does, so file references are made absolute once, here.
function absolute (node: unknown): any {
  if (Array.isArray(node)) return node.map(absolute)
  if (node === null || typeof node !== 'object') return node
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    key === '$ref' && typeof value === 'string' && !value.startsWith('#')
      ? [key, BASE + value]
      : [key, absolute(value)]))
}

export function loadApiSchemas (): Array<Record<string, unknown>> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => ({ $id: `${BASE}${f}`, ...absolute(JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'))) }))
}

// The same files openapi.yaml refers to, so the contract and the validation that
// enforces it cannot drift apart. The files carry no $id: OpenAPI tools resolve their
// relative $refs by file path, and ajv resolves the same refs against the id given here.
async function apiSchemas (app: FastifyInstance) {
  for (const schema of loadApiSchemas()) app.addSchema(schema)
}

export default fp(apiSchemas, { name: 'api-schemas' })
