import t, { type Test } from 'tap'
import { startStack, type Reply } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const someone = personas().any()

function isProblem (t: Test, res: Reply, status: number, code: string): void {
  t.equal(res.status, status, code)
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${code} content type`)
  t.equal(res.json.status, status, 'the body says the same status')
  t.equal(res.json.code, code)
  t.type(res.json.requestId, 'string')
  t.equal(res.json.requestId, res.headers['x-request-id'])
  t.notMatch(res.text, /at .*\.(ts|js):\d+/, 'no stack trace')
}

t.test('malformed citizen ids get 400 INVALID_CITIZEN_ID before any register is asked', async (t) => {
  const stack = await startStack(t)
  const bad = {
    12345: 'length',
    '0010900000111': 'length',
    abcdefghijkl: 'format',
    '003090000011': 'province', // 003 is no province code
    '001490000011': 'century', // 4 would mean born in the 2100s
    '001299000011': 'future-year'
  }
  for (const [id, reason] of Object.entries(bad)) {
    const res = await stack.call(`/v1/citizens/${id}`)
    isProblem(t, res, 400, 'INVALID_CITIZEN_ID')
    t.match(res.json.detail, reason, id)
    t.notMatch(res.text, id, 'the id is not echoed')
  }
  for (const path of ['/civil-status', '/documents', '/documents/X1']) {
    const res = await stack.call(`/v1/citizens/003090000011${path}`)
    isProblem(t, res, 400, 'INVALID_CITIZEN_ID')
  }
  const verify = await stack.call('/v1/citizens/12/verify', { method: 'POST', body: { attributes: { sex: 'male' } } })
  isProblem(t, verify, 400, 'INVALID_CITIZEN_ID')
  for (const source of ['population', 'civilStatus', 'vneid'] as const) {
    t.equal(await stack.calls(source), 0, `${source} was never asked`)
  }
})

t.test('a well-formed id no register holds gets 404 CITIZEN_NOT_FOUND', async (t) => {
  const stack = await startStack(t)
  const unknown = '001090999999'
  t.notOk(personas().population.persons.some((p) => p.citizenId === unknown))
  for (const path of ['', '/civil-status', '/documents']) {
    isProblem(t, await stack.call(`/v1/citizens/${unknown}${path}`), 404, 'CITIZEN_NOT_FOUND')
  }
  const verify = await stack.call(`/v1/citizens/${unknown}/verify`, { method: 'POST', body: { attributes: { sex: 'male' } } })
  isProblem(t, verify, 404, 'CITIZEN_NOT_FOUND')
})

t.test('bodies are checked: unknown properties, size, type, JSON, prototype keys', async (t) => {
  const stack = await startStack(t)
  const verify = `/v1/citizens/${someone.citizenId}/verify`
  const post = (o: { body?: unknown, rawBody?: string, headers?: Record<string, string> }) =>
    stack.call(verify, { method: 'POST', ...o })

  const unknown = await post({ body: { attributes: { sex: 'male', eyeColour: 'brown' } } })
  isProblem(t, unknown, 400, 'VALIDATION_FAILED')
  t.equal(unknown.json.errors[0].pointer, '/attributes/eyeColour')

  const extraTop = await post({ body: { attributes: { sex: 'male' }, debug: true } })
  isProblem(t, extraTop, 400, 'VALIDATION_FAILED')

  isProblem(t, await post({ body: { attributes: {} } }), 400, 'VALIDATION_FAILED')
  isProblem(t, await post({ rawBody: '{"attributes": {' }), 400, 'MALFORMED_BODY')
  isProblem(t, await post({ rawBody: 'x'.repeat(20 * 1024) }), 413, 'BODY_TOO_LARGE')
  isProblem(t, await post({ rawBody: 'sex=male', headers: { 'content-type': 'text/plain' } }),
    415, 'UNSUPPORTED_MEDIA_TYPE')

  const proto = await post({ rawBody: '{"attributes":{"sex":"male"},"__proto__":{"admin":true}}' })
  isProblem(t, proto, 400, 'MALFORMED_BODY')
  const ctor = await post({ rawBody: '{"attributes":{"sex":"male","constructor":{"prototype":{"x":1}}}}' })
  t.equal(ctor.status, 400)
  t.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype untouched')

  const good = await post({ body: { attributes: { sex: someone.sex } } })
  t.equal(good.status, 200, 'the gateway still answers after all that')
  t.same(good.json.results, { sex: 'match' })
})

t.test('an unknown route gets 404 ROUTE_NOT_FOUND as a problem', async (t) => {
  const stack = await startStack(t)
  isProblem(t, await stack.call('/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND')
  isProblem(t, await stack.call('/v2/citizens', { auth: false }), 404, 'ROUTE_NOT_FOUND')
})

t.test('the documents filter accepts only known types', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call(`/v1/citizens/${someone.citizenId}/documents?type=library-card`)
  isProblem(t, res, 400, 'VALIDATION_FAILED')
  const extra = await stack.call(`/v1/citizens/${someone.citizenId}/documents?debug=1`)
  isProblem(t, extra, 400, 'VALIDATION_FAILED')
})

t.test('identifiers of no known shape get 400 INVALID_IDENTIFIER, unknown ones 404', async (t) => {
  const stack = await startStack(t)
  for (const id of ['12', 'hello', '12345678901', 'AB12']) {
    isProblem(t, await stack.call(`/v1/identifiers/${id}`), 400, 'INVALID_IDENTIFIER')
  }
  isProblem(t, await stack.call('/v1/identifiers/999999998'), 404, 'IDENTIFIER_NOT_FOUND')
})

t.test('the match body needs a name and refuses unknown criteria', async (t) => {
  const stack = await startStack(t)
  const post = (body: unknown) => stack.call('/v1/citizens/match', { method: 'POST', body })
  isProblem(t, await post({ sex: 'male' }), 400, 'VALIDATION_FAILED')
  isProblem(t, await post({ fullName: 'An', address: 'x' }), 400, 'VALIDATION_FAILED')
  isProblem(t, await post({ fullName: 'Nguyễn An', limit: 500 }), 400, 'VALIDATION_FAILED')
})
