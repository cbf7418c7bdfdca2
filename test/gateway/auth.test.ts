import { readFileSync } from 'node:fs'
import t from 'tap'
import { ClientRegistry, hashKey } from '../../src/gateway/access/client-registry.js'
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
const registry = ClientRegistry.fromFile(fromRoot('fixtures', 'clients.json'))

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
