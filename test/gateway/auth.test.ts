import { readFileSync } from 'node:fs'
import t from 'tap'
import { ClientRegistry, hashKey } from '../../src/access/client-registry.js'
import { Catalogue } from '../../src/access/catalogue.js'
import { fromRoot } from '../../src/paths.js'
import { PURPOSE, startStack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const someone = personas().any().citizenId

t.test('a /v1 request without a key gets 401 CREDENTIALS_MISSING', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call(`/v1/citizens/${someone}`, { auth: false })
  t.equal(res.status, 401)
  t.equal(res.json.code, 'CREDENTIALS_MISSING')
  t.match(res.headers['content-type'], /^application\/problem\+json/)
})

t.test('an unknown or malformed key gets 401 CREDENTIALS_INVALID', async (t) => {
  const stack = await startStack(t)
  for (const authorization of ['Bearer not-a-real-key-at-all', 'Basic dXNlcjpwYXNz', 'Bearer short']) {
    const res = await stack.call(`/v1/citizens/${someone}`, { auth: false, headers: { authorization } })
    t.equal(res.status, 401, authorization)
    t.equal(res.json.code, 'CREDENTIALS_INVALID', authorization)
  }
})

t.test('personal data needs X-Procedure-Code and X-Dossier-Id', async (t) => {
  const stack = await startStack(t)
  for (const header of ['x-procedure-code', 'x-dossier-id']) {
    const headers: Record<string, string> = { ...PURPOSE }
    delete headers[header]
    const res = await stack.call(`/v1/citizens/${someone}`, { purpose: false, headers })
    t.equal(res.status, 400, header)
    t.equal(res.json.code, 'PURPOSE_MISSING', header)
    t.match(res.json.detail, header)
  }
  t.equal(await stack.calls('population'), 0, 'no register was asked')
})

t.test('a malformed purpose header gets 400 PURPOSE_INVALID', async (t) => {
  const stack = await startStack(t)
  const bad = {
    'x-procedure-code': 'code with spaces',
    'x-dossier-id': '<script>',
    'x-officer-id': 'x'.repeat(200)
  }
  for (const [header, value] of Object.entries(bad)) {
    const res = await stack.call(`/v1/citizens/${someone}`, { headers: { [header]: value } })
    t.equal(res.status, 400, header)
    t.equal(res.json.code, 'PURPOSE_INVALID', header)
    t.notMatch(res.text, value, 'the bad value is not echoed')
  }
})

t.test('the officer id is optional', async (t) => {
  const stack = await startStack(t)
  const purpose: Record<string, string> = { ...PURPOSE }
  delete purpose['x-officer-id']
  const res = await stack.call(`/v1/citizens/${someone}`, { purpose: false, headers: purpose })
  t.equal(res.status, 200)
})

t.test('credentials are checked before the purpose and the citizen id', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/v1/citizens/123', { auth: false, purpose: false })
  t.equal(res.json.code, 'CREDENTIALS_MISSING')
})

const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8'))
const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const registry = new ClientRegistry({
  path: fromRoot('fixtures', 'clients.json'),
  catalogue,
  logger: { info: () => {}, error: () => {} },
  watch: false
})

t.test('every sandbox key in fixtures/sandbox.json opens its demo client', async (t) => {
  t.ok(sandbox.clients.length >= 2)
  for (const demo of sandbox.clients) {
    const client = registry.authenticate(demo.apiKey)
    t.equal(client?.id, demo.clientId)
    t.equal(client?.demo, true)
  }
})

t.test('clients.json stores hashes, never the sandbox keys themselves', async (t) => {
  const stored = readFileSync(fromRoot('fixtures', 'clients.json'), 'utf8')
  for (const demo of sandbox.clients) {
    t.notMatch(stored, demo.apiKey)
    t.match(stored, hashKey(demo.apiKey).toString('hex'))
  }
})

t.test('demo keys are refused in production with 403 DEMO_KEY_REFUSED', async (t) => {
  const demo = sandbox.clients[0]
  const clients = JSON.parse(readFileSync(fromRoot('fixtures', 'clients.json'), 'utf8')).clients
  const production = await startStack(t, { refuseDemoClients: true, clients })
  const refused = await production.call(`/v1/citizens/${someone}`, { auth: false, headers: { authorization: `Bearer ${demo.apiKey}` } })
  t.equal(refused.status, 403)
  t.equal(refused.json.code, 'DEMO_KEY_REFUSED')
  const sandboxed = await startStack(t, { refuseDemoClients: false, clients })
  const allowed = await sandboxed.call(`/v1/citizens/${someone}`, { auth: false, headers: { authorization: `Bearer ${demo.apiKey}` } })
  t.equal(allowed.status, 200)
})

t.test('health and docs need no key', async (t) => {
  const stack = await startStack(t)
  for (const path of ['/healthz', '/readyz', '/openapi.json']) {
    const res = await stack.call(path, { auth: false, purpose: false })
    t.equal(res.status, 200, path)
  }
})

function testClient (id: string, scopes: string[], procedures: string[]) {
  const key = `test_${id}_${'k'.repeat(24)}`
  return {
    key,
    record: {
      id,
      name: id,
      demo: false,
      keys: [{ id: 'k1', sha256: hashKey(key).toString('hex'), createdAt: '2026-12-01T00:00:00Z' }],
      scopes,
      procedures
    }
  }
}

t.test('a route outside the client\'s scopes gets 403 SCOPE_MISSING', async (t) => {
  const verifier = testClient('verifier', ['verify'], ['*'])
  const stack = await startStack(t, { clients: [verifier.record] })
  const as = { auth: false, headers: { authorization: `Bearer ${verifier.key}` } }
  const profile = await stack.call(`/v1/citizens/${someone}`, as)
  t.equal(profile.status, 403)
  t.equal(profile.json.code, 'SCOPE_MISSING')
  t.match(profile.json.detail, 'population:read')
  const verify = await stack.call(`/v1/citizens/${someone}/verify`, {
    ...as, method: 'POST', body: { attributes: { sex: 'male' } }
  })
  t.equal(verify.status, 200, 'its own scope works')
  t.equal(await stack.routeCalls('population', 'GET /persons/:citizenId'), 1, 'only the allowed read reached a register')
})

t.test('a procedure the catalogue does not know gets 403 PROCEDURE_UNKNOWN', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call(`/v1/citizens/${someone}`, { headers: { 'x-procedure-code': '9.999999' } })
  t.equal(res.status, 403)
  t.equal(res.json.code, 'PROCEDURE_UNKNOWN')
})

t.test('a procedure the client is not registered for gets 403 PROCEDURE_NOT_PERMITTED', async (t) => {
  const narrow = testClient('narrow', ['population:read'], ['1.000894'])
  const stack = await startStack(t, { clients: [narrow.record] })
  const as = (code: string) => ({ auth: false, headers: { authorization: `Bearer ${narrow.key}`, 'x-procedure-code': code } })
  t.equal((await stack.call(`/v1/citizens/${someone}`, as('1.000894'))).status, 200)
  t.equal((await stack.call(`/v1/citizens/${someone}`, as('1.000894.000.00.00.H12'))).status, 200, 'long national form')
  const other = await stack.call(`/v1/citizens/${someone}`, as('1.001193'))
  t.equal(other.status, 403)
  t.equal(other.json.code, 'PROCEDURE_NOT_PERMITTED')
})

t.test('a covert procedure must be named: a wildcard does not grant it', async (t) => {
  const covert = catalogue.all().find((p) => p.covert)!
  const stack = await startStack(t)
  const res = await stack.call(`/v1/citizens/${someone}`, { headers: { 'x-procedure-code': covert.code } })
  t.equal(res.json.code, 'PROCEDURE_NOT_PERMITTED')
})
