import t from 'tap'
import { Catalogue, allowedFields } from '../../src/access/catalogue.js'
import * as minimise from '../../src/access/minimise.js'
import { fromRoot } from '../../src/paths.js'
import { personas } from '../helpers/personas.js'
import * as build from './answer-builder.js'

// The answers are plain JSON here; typed loosely so that assertions can reach in.
type Loose = (a: build.Answer, o: minimise.MinimiseOptions) => { answer: build.Answer, returned: string[] }
const minimiseProfile: Loose = minimise.minimiseProfile
const minimiseCivilStatus: Loose = minimise.minimiseCivilStatus
const minimiseDocumentList: Loose = minimise.minimiseDocumentList
const minimiseDocumentDetail: Loose = minimise.minimiseDocumentDetail
const minimiseVerifyResult: Loose = minimise.minimiseVerifyResult

const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const READER = ['population:read', 'civil-status:read', 'documents:read', 'verify']
const allowedFor = (code: string, scopes = READER) => allowedFields(catalogue.procedure(code)!, scopes)
const married = personas().person('001085000001')
const MARRIAGE = '1.000894'
const LICENCE = 'CDG-GPLX-01'

t.test('marriage registration reads identity, marital status and the id card, not the licence', async (t) => {
  const allowed = allowedFor(MARRIAGE)
  const profile = minimiseProfile(build.profile(married), { allowed }).answer
  t.equal(profile.identity.fullName, married.fullName)
  t.same(profile.maritalStatus, { source: 'population', status: 'married', spouseId: married.spouseId })
  t.notOk('household' in profile, 'household is not needed to marry')
  t.ok(profile.withheld.includes('household'))
  const docs = minimiseDocumentList(build.documentList(married), { allowed })
  t.ok(docs.answer.documents.length > 0, 'the dossier checks both parties\' id cards')
  t.ok(docs.answer.documents.every((d: any) => d.type === 'id-card'))
  t.ok(docs.answer.withheld.includes('driving-licence'))
  t.notOk(docs.returned.some((p) => p.startsWith('vneid:driving-licence')))
})

t.test('driving-licence renewal reads the licence, not the civil events', async (t) => {
  const allowed = allowedFor(LICENCE)
  const docs = minimiseDocumentList(build.documentList(married), { allowed })
  t.ok(docs.answer.documents.length > 0)
  t.ok(docs.answer.documents.every((d: any) => d.type === 'driving-licence'))
  t.ok(docs.returned.includes('vneid:driving-licence.number'))
  const civil = minimiseCivilStatus(build.civilStatus(married), { allowed })
  t.notOk('events' in civil.answer)
  t.notOk('maritalStatus' in civil.answer)
  t.same(civil.returned, [])
})

t.test('events are cut to the types the procedure lists', async (t) => {
  const divorced = personas().person('038179000004')
  const input = build.civilStatus(divorced)
  t.ok(input.events.some((e: any) => e.type === 'divorce'), 'the persona has a divorce')
  const out = minimiseCivilStatus(input, { allowed: allowedFor('1.001193') })
  t.same(out.answer.events.map((e: any) => e.type), ['marriage'])
  t.same(out.returned.sort(), ['civilStatus:events.marriage', 'civilStatus:maritalStatus'])
  t.ok(out.answer.withheld.includes('events.divorce'))
})

t.test('a conflict shows only with the field it is about', async (t) => {
  const split = personas().person('030080000021')
  const input = build.profile(split)
  t.ok(input.conflicts.some((c: any) => c.field === 'maritalStatus'), 'the registers disagree')
  const shown = minimiseProfile(input, { allowed: allowedFor(MARRIAGE) }).answer
  t.ok(shown.conflicts.some((c: any) => c.field === 'maritalStatus'))
  const hidden = minimiseProfile(input, { allowed: allowedFor(LICENCE) }).answer
  t.same(hidden.conflicts, [])
})

t.test('unavailable keeps only entries about kept fields', async (t) => {
  const dead = personas().person('040047000007')
  const input = build.profile(dead, true)
  t.ok(input.unavailable.includes('household') && input.unavailable.includes('conflicts'))
  const out = minimiseProfile(input, { allowed: allowedFor(LICENCE) }).answer
  t.same(out.unavailable, ['conflicts'], 'a name conflict could have been shown')
  const death = minimiseProfile(input, { allowed: allowedFor('1.003197'), fields: 'household,residence' })
  t.same(death.answer.unavailable, ['household'])
  const unasked = minimiseProfile(input, { allowed: allowedFor('1.003197'), fields: 'lifeStatus' })
  t.same(unasked.answer.unavailable, ['conflicts'], 'a life-status conflict could have been shown')
})

t.test('fields narrows the answer and unknown paths are refused', async (t) => {
  const allowed = allowedFor(MARRIAGE)
  const out = minimiseProfile(build.profile(married), { allowed, fields: 'identity.fullName,maritalStatus' })
  t.same(Object.keys(out.answer.identity), ['source', 'fullName'])
  t.same(out.returned, ['population:identity.fullName', 'population:maritalStatus'])
  const section = minimiseProfile(build.profile(married), { allowed, fields: ['identity'] })
  t.ok('dateOfBirth' in section.answer.identity)
  t.throws(() => minimiseProfile(build.profile(married), { allowed, fields: 'identity.salary' }),
    { code: 'FIELD_UNKNOWN', statusCode: 400 })
  t.throws(() => minimiseProfile(build.profile(married), { allowed, fields: 'events.birth' }),
    { code: 'FIELD_UNKNOWN' }, 'a civil-status path on the profile')
  for (const bad of ['', 'maritalStatus,,lifeStatus', 'x,'.repeat(70)]) {
    t.throws(() => minimiseProfile(build.profile(married), { allowed, fields: bad }),
      { code: 'FIELDS_INVALID', statusCode: 400 }, JSON.stringify(bad).slice(0, 20))
  }
})

t.test('the FIELD_UNKNOWN message does not repeat what the client sent', async (t) => {
  try {
    minimiseProfile(build.profile(married), { allowed: allowedFor(MARRIAGE), fields: 'NguyenVanAn' })
    t.fail('should throw')
  } catch (error) {
    t.notMatch((error as Error).message, 'NguyenVanAn')
  }
})

t.test('a document of a type the procedure may not see leaves no document', async (t) => {
  const [detail] = build.documentDetails(married).filter((d) => d.document.type === 'id-card')
  const out = minimiseDocumentDetail(detail, { allowed: allowedFor(LICENCE) })
  t.notOk('document' in out.answer)
  t.same(out.returned, [])
  const renew = minimiseDocumentDetail(detail, { allowed: allowedFor('CDG-CC-02') })
  t.equal(renew.answer.document.documentId, detail.document.documentId)
  t.notOk('data' in renew.answer.document, 'data is not listed for the id card renewal')
})

t.test('verify answers only the claims the procedure may check', async (t) => {
  const input = build.verifyResult(married)
  const out = minimiseVerifyResult(input, { allowed: allowedFor(LICENCE, ['verify']) })
  t.same(Object.keys(out.answer.results).sort(),
    ['dateOfBirth', 'fullName', 'nationality', 'permanentAddress', 'sex'])
  t.ok(out.answer.withheld.includes('householdId'))
  const none = minimiseVerifyResult(input, { allowed: allowedFor(LICENCE, ['population:read']) })
  t.same(none.answer.results, {}, 'population:read does not grant verify')
})
