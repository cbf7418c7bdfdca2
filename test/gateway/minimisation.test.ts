import t, { type Test } from 'tap'
import { hashKey } from '../../src/access/client-registry.js'
import { startStack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const P = personas()
const married = P.find('a married citizen with a household and documents', (p) =>
  p.maritalStatus === 'married' && p.householdId !== null &&
  (P.walletOf(p.citizenId)?.documents.some((d) => d.type === 'driving-licence') ?? false))
const MARRIAGE = '1.000894'
const LICENCE = 'CDG-GPLX-01'

function counterClient () {
  const key = `test_counter_${'c'.repeat(24)}`
  return {
    key,
    record: {
      id: 'counter',
      name: 'counter',
      demo: false,
      keys: [{ id: 'k1', sha256: hashKey(key).toString('hex'), createdAt: '2026-12-01T00:00:00Z' }],
      scopes: ['population:read', 'civil-status:read', 'documents:read', 'verify'],
      procedures: ['*']
    }
  }
}

async function counterStack (t: Test) {
  const client = counterClient()
  const stack = await startStack(t, { clients: [client.record] })
  const as = (procedure: string, query = '') => (path: string, body?: unknown) =>
    stack.call(path + query, {
      auth: false,
      headers: { authorization: `Bearer ${client.key}`, 'x-procedure-code': procedure },
      ...(body === undefined ? {} : { method: 'POST' as const, body })
    })
  return { stack, as }
}

t.test('a marriage registration reads identity and marital status, not the household', async (t) => {
  const { as } = await counterStack(t)
  const res = await as(MARRIAGE)(`/v1/citizens/${married.citizenId}`)
  t.equal(res.status, 200)
  t.equal(res.json.identity.fullName, married.fullName)
  t.equal(res.json.maritalStatus.status, 'married')
  t.equal(res.json.household, undefined)
  t.equal(res.json.lifeStatus, undefined)
  t.equal(res.json.identity.religion, undefined)
  t.ok(res.json.withheld.includes('household'))
  t.ok(res.json.withheld.includes('identity.religion'))
  t.notMatch(res.text, married.householdId!, 'no household id anywhere')
})

t.test('a licence renewal sees the licence and nothing of the civil register', async (t) => {
  const { as } = await counterStack(t)
  const docs = await as(LICENCE)(`/v1/citizens/${married.citizenId}/documents`)
  t.ok(docs.json.documents.length > 0)
  t.ok(docs.json.documents.every((d: { type: string }) => d.type === 'driving-licence'))
  const other = P.walletOf(married.citizenId)!.documents.find((d) => d.type !== 'driving-licence')
  if (other !== undefined) {
    const hidden = await as(LICENCE)(`/v1/citizens/${married.citizenId}/documents/${other.documentId}`)
    t.equal(hidden.status, 404, 'a document of another type does not exist for this view')
    t.equal(hidden.json.code, 'DOCUMENT_NOT_FOUND')
  }
  const civil = await as(LICENCE)(`/v1/citizens/${married.citizenId}/civil-status`)
  t.same(civil.json.events ?? [], [])
  t.equal(civil.json.maritalStatus, undefined)
})

t.test('fields narrows an answer further; an unknown path is refused', async (t) => {
  const { as } = await counterStack(t)
  const res = await as(MARRIAGE, '?fields=identity.fullName')(`/v1/citizens/${married.citizenId}`)
  t.same(Object.keys(res.json.identity).sort(), ['fullName', 'source'])
  t.equal(res.json.maritalStatus, undefined)
  const unknown = await as(MARRIAGE, '?fields=identity.shoeSize')(`/v1/citizens/${married.citizenId}`)
  t.equal(unknown.status, 400)
  t.equal(unknown.json.code, 'FIELD_UNKNOWN')
  t.notMatch(unknown.text, 'shoeSize', 'the path is not echoed')
})

t.test('a remembered answer never serves another view of the same records', async (t) => {
  const { as } = await counterStack(t)
  const path = `/v1/citizens/${married.citizenId}`
  const wide = await as(MARRIAGE)(path)
  const narrow = await as(LICENCE)(path)
  const wideAgain = await as(MARRIAGE)(path)
  t.equal(narrow.headers['x-cache'], 'hit', 'both views read the same cached records')
  t.equal(narrow.json.maritalStatus, undefined, 'the licence view has no marital status')
  t.equal(wideAgain.json.maritalStatus.status, 'married')
  t.same(wideAgain.json, wide.json)
  t.not(narrow.headers.etag, wide.headers.etag)
})

t.test('verification answers only the claims the procedure may check', async (t) => {
  const { as } = await counterStack(t)
  const res = await as(LICENCE)(`/v1/citizens/${married.citizenId}/verify`,
    { attributes: { sex: married.sex, ethnicity: 'Kinh' } })
  t.equal(res.status, 200)
  t.same(res.json.results, { sex: 'match' }, 'ethnicity is not the licence office\'s business')
  t.ok(res.json.withheld.length > 0)
})
