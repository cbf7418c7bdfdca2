import t from 'tap'
import { startStack, type Reply, type Stack } from '../helpers/gateway-stack.js'
import { extraClient } from '../helpers/extra-clients.js'

// A procedure whose catalogue entry releases a VNeID type only with consent gets a
// document of that type from the document routes only when a consent in force names
// the client or the procedure: the same rule the requirement check applies, so a
// `satisfied` reference never points at a document the client cannot read.

const HEALTH = 'CDG-BHYT-01' // health insurance cards by consent only
const BY_PROCEDURE = '001085000001' // CONS-P-0001 names CDG-BHYT-01
const BY_CLIENT = '038306000025' // CONS-P-0002 names the client demo-counter
const LAPSED = '040098000018' // CONS-P-0003 lapsed on 2026-03-02
const NONE = '036188000002' // no consent; card DOC-P-0006
const NONE_CARD = 'DOC-P-0006'

// The id CONS-P-0002 names.
const demoCounter = extraClient('demo-counter', 'System demo-counter', ['documents:read'], ['*'])

interface ApiDocument { documentId: string, type: string, basis: string }

function list (stack: Stack, citizenId: string, procedure = HEALTH, key?: string): Promise<Reply> {
  return stack.call(`/v1/citizens/${citizenId}/documents`, {
    headers: { 'x-procedure-code': procedure, ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) }
  })
}

const cards = (res: Reply) => (res.json.documents as ApiDocument[]).filter((d) => d.type === 'health-insurance')

t.test('consent decides which health insurance cards a consent-only procedure gets', async (t) => {
  const stack = await startStack(t, { clients: [demoCounter.record] })

  const byProcedure = await list(stack, BY_PROCEDURE)
  const none = await list(stack, NONE)
  const lapsed = await list(stack, LAPSED)
  const otherClient = await list(stack, BY_CLIENT)
  const namedClient = await list(stack, BY_CLIENT, HEALTH, demoCounter.key)

  t.same(cards(byProcedure).map((d) => d.basis), ['consent'])
  t.same(byProcedure.json.consentRequired, [])
  for (const [name, res] of [['no consent', none], ['a lapsed consent', lapsed], ['a consent to another client', otherClient]] as const) {
    t.equal(res.status, 200, name)
    t.same(cards(res), [], `${name}: the card is held back`)
    t.same(res.json.consentRequired, ['health-insurance'], `${name}: and its type named`)
  }
  t.same(cards(namedClient).map((d) => d.basis), ['consent'], 'a consent to the client itself')

  const [record] = (await stack.audit.query({ citizenId: NONE })).records
  t.notOk(record.fields.some((f) => f.startsWith('vneid:health-insurance.')), 'no card field is recorded as sent')
})

t.test('a procedure whose legal basis covers the type gets it by law', async (t) => {
  const stack = await startStack(t)
  // The test procedure reads every type and releases none by consent.
  const res = await stack.call(`/v1/citizens/${NONE}/documents`)
  t.same(cards(res).map((d) => [d.documentId, d.basis]), [[NONE_CARD, 'law']])
  t.ok((res.json.documents as ApiDocument[]).every((d) => d.basis === 'law'))
  t.same(res.json.consentRequired, [])
})

t.test('one document without consent is 403 CONSENT_REQUIRED; with it, served', async (t) => {
  const stack = await startStack(t)
  const one = () => stack.call(`/v1/citizens/${NONE}/documents/${NONE_CARD}`, { headers: { 'x-procedure-code': HEALTH } })

  const refused = await one()
  const grant = await stack.change('vneid', '/consents', {
    citizenId: NONE,
    consentId: 'CONS-TEST-DOC',
    grantee: { procedureCode: HEALTH },
    documentTypes: ['health-insurance'],
    validUntil: '2031-01-01'
  })
  const served = await one()
  const listed = await list(stack, NONE)
  await stack.change('vneid', '/consents/revoke', { citizenId: NONE, consentId: 'CONS-TEST-DOC' })
  const again = await one()

  t.equal(refused.status, 403)
  t.match(refused.headers['content-type'], /^application\/problem\+json/)
  t.equal(refused.json.code, 'CONSENT_REQUIRED')
  t.notMatch(refused.text, NONE)
  t.equal(grant.json.delivered, 1)
  t.equal(served.status, 200)
  t.equal(served.json.document.basis, 'consent')
  t.same(cards(listed).map((d) => d.basis), ['consent'])
  t.equal(again.json.code, 'CONSENT_REQUIRED', 'revoked: refused again at once')
  const [record] = (await stack.audit.query({ citizenId: NONE, outcome: 'denied' })).records
  t.match(record, { status: 403, reason: 'CONSENT_REQUIRED' }, 'the refusal is audited')
})
