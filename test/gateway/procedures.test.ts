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

t.test('GET /v1/procedures/:code shows the dossier: parties and required documents', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/v1/procedures/1.000894', { purpose: false })
  t.equal(res.status, 200)
  t.same(res.json.parties, [{ role: 'applicant', required: true }, { role: 'spouse', required: true }])
  const byId = new Map(res.json.requirements.map((r: { id: string }) => [r.id, r]))
  t.same(byId.get('party-id-card'), {
    id: 'party-id-card',
    name: 'Căn cước của hai bên nam, nữ',
    documentType: 'id-card',
    parties: ['applicant', 'spouse'],
    condition: null,
    source: { register: 'vneid', documentType: 'id-card', release: 'law' }
  })
  t.same(byId.get('spouse-divorce-judgment'), {
    id: 'spouse-divorce-judgment',
    name: 'Bản án, quyết định ly hôn đã có hiệu lực pháp luật của bên kia (nếu đã ly hôn)',
    documentType: 'divorce-judgment',
    parties: ['spouse'],
    condition: { party: 'spouse', is: 'divorced' },
    source: { register: 'civilStatus', event: 'divorce' }
  })
  t.match(byId.get('marital-status'), { source: { register: 'civilStatus', record: 'marital-status' } })
  t.match(byId.get('party-residence'), { source: { register: 'population', record: 'residence' } })
  const form = res.json.requirements.find((r: { id: string }) => r.id === 'application-form')
  t.ok('source' in form && form.source === null, 'a paper no register holds says so with null')
})

t.test('GET /v1/procedures lists every dossier as the catalogue file has it', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/v1/procedures', { purpose: false })
  const served = res.json.procedures.filter((p: { code: string }) => p.code !== READ_ALL.code)
  t.same(served, catalogue.procedures, 'nothing dropped or added by serialisation')
  const birth = served.find((p: { code: string }) => p.code === '1.001193')
  t.same(birth.parties.find((p: { role: string }) => p.role === 'father'), { role: 'father', required: false })
})

t.test('the catalogue needs a client key', async (t) => {
  const stack = await startStack(t)
  const res = await stack.call('/v1/procedures', { auth: false, purpose: false })
  t.equal(res.json.code, 'CREDENTIALS_MISSING')
})
