import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { fromRoot } from '../../src/paths.js'
import { startStack } from '../helpers/gateway-stack.js'

const document = parse(readFileSync(fromRoot('openapi.yaml'), 'utf8'))
const METHODS = ['get', 'post', 'put', 'patch', 'delete']

function documented (): string[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) => Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`))
    .sort()
}

// Swagger UI serves its own pages and assets under /docs: they are the documentation,
// not part of the API it documents. HEAD routes are Fastify's automatic twins of GETs.
function served (table: string[]): string[] {
  return table
    .filter((r) => !r.startsWith('HEAD '))
    .filter((r) => !/^\w+ \/docs(\/|$)/.test(r))
    .sort()
}

t.test('every route is in openapi.yaml and every documented operation is a route', async (t) => {
  const stack = await startStack(t)
  t.same(served(stack.app.routeTable), documented())
})

t.test('/openapi.json is one self-contained document', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/openapi.json', { auth: false, purpose: false })
  t.equal(res.status, 200)
  t.equal(res.json.openapi, '3.1.0')
  const refs = [...res.text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1])
  t.ok(refs.length > 10)
  t.same(refs.filter((r) => !r.startsWith('#/')), [], 'no file references left')
  for (const ref of new Set(refs)) {
    const target = ref.slice(2).split('/').reduce((node: any, key) => node?.[key], res.json)
    t.ok(target, `${ref} resolves`)
  }
})

t.test('/docs serves Swagger UI', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/docs/', { auth: false, purpose: false })
  t.equal(res.status, 200)
  t.match(res.text, /swagger-ui/i)
})
