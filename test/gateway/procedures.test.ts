import { readFileSync } from 'node:fs'
import t from 'tap'
import { fromRoot } from '../../src/paths.js'
import { READ_ALL, startStack } from '../helpers/gateway-stack.js'

const catalogue = JSON.parse(readFileSync(fromRoot('fixtures', 'procedures.json'), 'utf8'))

t.test('GET /v1/procedures serves the whole catalogue without purpose headers', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/v1/procedures', { purpose: false })
  t.equal(res.status, 200)
  t.ok(res.json.procedures.length >= 25)
  // The test stack adds one procedure of its own to the fixture catalogue.
  t.same(res.json.procedures.map((p: { code: string }) => p.code),
    [...catalogue.procedures.map((p: { code: string }) => p.code), READ_ALL.code])
})

t.test('GET /v1/procedures/:code serves one procedure, long national codes included', async (t) => {
  const stack = await startStack(t)
  const marriage = catalogue.procedures.find((p: { code: string }) => p.code === '1.000894')
  const res = await stack.call('/v1/procedures/1.000894', { purpose: false })
  t.same(res.json, marriage)
  const long = await stack.call('/v1/procedures/1.000894.000.00.00.H12', { purpose: false })
  t.equal(long.json.code, '1.000894')
  const missing = await stack.call('/v1/procedures/9.999999', { purpose: false })
  t.equal(missing.status, 404)
  t.equal(missing.json.code, 'PROCEDURE_NOT_FOUND')
  const bad = await stack.call('/v1/procedures/%3Cscript%3E', { purpose: false })
  t.equal(bad.status, 400)
})

t.test('the catalogue needs a client key', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/v1/procedures', { auth: false, purpose: false })
  t.equal(res.json.code, 'CREDENTIALS_MISSING')
})
