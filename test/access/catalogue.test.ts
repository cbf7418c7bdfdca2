import { readFileSync } from 'node:fs'
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { Catalogue, allowedFields, parseCatalogue } from '../../src/access/catalogue.js'
import { SCOPE_NAMES } from '../../src/access/scopes.js'
import { fromRoot } from '../../src/paths.js'

const text = readFileSync(fromRoot('fixtures', 'procedures.json'), 'utf8')
const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))

t.test('fixtures/procedures.json is valid against its schema', async (t) => {
  const schema = JSON.parse(readFileSync(fromRoot('schemas', 'catalogue', 'procedures.schema.json'), 'utf8'))
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema)
  t.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors))
  t.ok(catalogue.all().length >= 25, `${catalogue.all().length} procedures`)
  t.equal(new Set(catalogue.all().map((p) => p.code)).size, catalogue.all().length, 'codes are unique')
})

t.test('covert procedures are illustrative and say how long they stay hidden', async (t) => {
  const covert = catalogue.all().filter((p) => p.covert)
  t.ok(covert.length >= 1 && covert.length <= 2)
  for (const p of covert) {
    t.equal(p.illustrative, true, p.code)
    t.ok(p.covertDays !== undefined && p.covertDays > 0, p.code)
  }
  t.ok(catalogue.all().filter((p) => !p.covert).every((p) => p.covertDays === undefined))
})

t.test('national codes look national and illustrative ones cannot be mistaken for them', async (t) => {
  for (const p of catalogue.all()) {
    if (p.illustrative === true) t.match(p.code, /^CDG-/, p.code)
    else t.match(p.code, /^[12]\.[0-9]{6}$/, p.code)
  }
})

t.test('a bad catalogue is refused with the reason', async (t) => {
  const doc = JSON.parse(text)
  const twice = { ...doc, procedures: [...doc.procedures, doc.procedures[0]] }
  t.throws(() => parseCatalogue(JSON.stringify(twice)), { code: 'ACCESS_FILE_INVALID', message: /twice/ })
  const bad = structuredClone(doc)
  bad.procedures[0].data.population.push('identity.salary')
  t.throws(() => parseCatalogue(JSON.stringify(bad)), { code: 'ACCESS_FILE_INVALID', message: /population/ })
  const hidden = structuredClone(doc)
  hidden.procedures[0].covert = true
  t.throws(() => parseCatalogue(JSON.stringify(hidden)), { code: 'ACCESS_FILE_INVALID' },
    'covert without covertDays')
})

t.test('a procedure is found by its code or its long national form', async (t) => {
  t.equal(catalogue.procedure('1.001193')?.name, 'Thủ tục đăng ký khai sinh')
  t.equal(catalogue.procedure('1.001193.000.00.00.H12')?.code, '1.001193')
  t.equal(catalogue.procedure('CDG-GPLX-01')?.code, 'CDG-GPLX-01')
  t.equal(catalogue.procedure('1.999999'), undefined)
  t.equal(catalogue.procedure('CDG-GPLX-01.000'), undefined, 'only national codes have a long form')
})

t.test('allowedFields opens only the registers the scopes name', async (t) => {
  const marriage = catalogue.procedure('1.000894')!
  const population = allowedFields(marriage, ['population:read'])
  t.ok(population.has('population:maritalStatus'))
  t.notOk([...population].some((p) => !p.startsWith('population:')))
  const civil = allowedFields(marriage, ['civil-status:read'])
  t.ok(civil.has('civilStatus:events.divorce'))
  t.notOk(civil.has('civilStatus:events.birth'), 'a birth is not needed to marry')
  const verify = allowedFields(marriage, ['verify'])
  t.same([...verify].sort(), ['verify:currentAddress', 'verify:dateOfBirth', 'verify:ethnicity',
    'verify:fullName', 'verify:nationality', 'verify:permanentAddress', 'verify:sex'])
  t.equal(allowedFields(marriage, ['audit', 'match', 'no-such-scope']).size, 0)
})

t.test('documents:read opens the listed types, their listed fields and the account', async (t) => {
  const licence = allowedFields(catalogue.procedure('CDG-GPLX-01')!, ['documents:read'])
  t.ok(licence.has('vneid:driving-licence'))
  t.ok(licence.has('vneid:driving-licence.expiresOn'))
  t.ok(licence.has('vneid:account'))
  t.notOk(licence.has('vneid:id-card'))
  const temporary = allowedFields(catalogue.procedure('1.004194')!, ['documents:read'])
  t.equal(temporary.size, 0, 'no document type, so not even the account')
})

t.test('citizen-portal reads all three registers for the portal procedure', async (t) => {
  const portal = catalogue.procedure('CDG-CD-01')!
  const allowed = allowedFields(portal, ['citizen-portal'])
  for (const path of ['population:identity.fullName', 'civilStatus:events.death', 'vneid:passport.number']) {
    t.ok(allowed.has(path), path)
  }
  t.notOk([...allowed].some((p) => p.startsWith('verify:')))
  t.same(SCOPE_NAMES.sort(), ['audit', 'citizen-portal', 'civil-status:read', 'documents:read',
    'match', 'population:read', 'requirements:check', 'verify'])
})
