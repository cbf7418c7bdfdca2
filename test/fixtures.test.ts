import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type {
  Address, CivilEvent, CivilRecord, DocumentSignature, Household, IdentifierLink,
  PopulationRecord, PopulationSearch, Unit, VneidConsent, VneidDocument, VneidWallet
} from '../src/sources/types.js'
import { checkConsistency, type NamedDatasets } from '../src/fixtures/consistency.js'
import { FIXTURES_AS_OF } from '../src/fixtures/dataset.js'
import { readDatasetFolder } from '../src/fixtures/read.js'
import { createValidator, loadSchemas, SCHEMA_BASE } from '../src/fixtures/schemas.js'
import { adminUnits } from '../src/reference/admin-units.js'
import { nameMatchKey } from '../src/reference/names.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const PERSONAS = join(FIXTURES, 'personas')
const GENERATED = join(FIXTURES, 'generated')

const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'population.json')))
  .map((d) => join(FIXTURES, d.name))

// The personas hold one deliberate disagreement between the registers.
const DISAGREEMENT = { rule: 'divorced-still-married', ids: ['030080000021', '030183000022'] }

const rulesOf = (datasets: NamedDatasets[]) =>
  checkConsistency(datasets, FIXTURES_AS_OF).map(({ rule, ids }) => ({ rule, ids }))

t.test('admin-units.json has the 34 provinces and the 63 they replaced', async (t) => {
  const { provinces, formerProvinces, communes } = adminUnits().data
  t.equal(provinces.length, 34)
  t.equal(formerProvinces.length, 63)
  t.equal(new Set(provinces.map((p) => p.code)).size, 34)
  t.equal(new Set(formerProvinces.map((p) => p.code)).size, 63)
  for (const province of provinces) {
    const merged = formerProvinces.filter((f) => f.mergedInto === province.code)
    t.same(merged.map((f) => f.code).sort(), [...province.formerCodes].sort(), province.name)
    t.ok(province.formerCodes.includes(province.code), `${province.name} keeps a former code`)
  }
  t.same(adminUnits().province('25')?.formerCodes, ['17', '25', '26'])
  t.same(adminUnits().province('80')?.formerCodes, ['72', '80'])
  t.ok(communes.length >= 60 && communes.length <= 150, `${communes.length} communes`)
})

t.test('admin-units.json communes lie in the province their former units joined', async (t) => {
  const units = adminUnits()
  const { communes } = units.data
  t.equal(new Set(communes.map((c) => c.code)).size, communes.length, 'unique codes')
  const formerCodes = communes.flatMap((c) => c.former.map((f) => f.commune.code))
  t.equal(new Set(formerCodes).size, formerCodes.length, 'a former commune merges once')
  for (const commune of communes) {
    t.match(commune.code, /^\d{5}$/)
    t.match(commune.name, /^(Phường|Xã|Đặc khu) /)
    t.ok(units.province(commune.province), `${commune.name} has a province`)
    for (const { province, district } of commune.former) {
      t.equal(units.formerProvince(province.code)?.current.code, commune.province, commune.name)
      t.match(district.code, /^\d{3}$/)
    }
  }
})

for (const folder of folders) {
  t.test(`${folder.slice(FIXTURES.length)} validates against the source schemas`, async (t) => {
    const validate = createValidator()
    const data = readDatasetFolder(folder)
    t.same(validate('population-dataset.schema.json', data.population), [])
    t.same(validate('civil-status-dataset.schema.json', data.civilStatus), [])
    t.same(validate('vneid-dataset.schema.json', data.vneid), [])
  })
}

t.test('the schemas refuse records that break the contract', async (t) => {
  const validate = createValidator()
  const { population, vneid } = readDatasetFolder(PERSONAS)
  const person = population.persons[0] as PopulationRecord
  const wallet = vneid.wallets[0] as VneidWallet
  const broken = (change: object) => ({ ...person, ...change })
  t.same(validate('population-record.schema.json', person), [])
  t.not(validate('population-record.schema.json', broken({ nickname: 'x' })).length, 0)
  t.not(validate('population-record.schema.json', broken({ citizenId: '12345' })).length, 0)
  t.not(validate('population-record.schema.json', broken({ sex: 'other' })).length, 0)
  t.not(validate('population-record.schema.json', broken({ dateOfBirth: '14/03/1985' })).length, 0)
  const { updatedAt, ...noStamp } = person
  t.ok(updatedAt)
  t.not(validate('population-record.schema.json', noStamp).length, 0)
  const twelve = { type: 'cmnd9', value: '079175000090', issuedOn: null }
  const badCmnd = broken({ formerIdentifiers: [twelve] })
  t.not(validate('population-record.schema.json', badCmnd).length, 0)
  const badDoc = { ...wallet, documents: [{ ...wallet.documents[0], status: 'lost' }] }
  t.not(validate('vneid-wallet.schema.json', badDoc).length, 0)
})

// keysOf<T>()(...) compiles only when it lists every field of T and nothing
// else: types.ts changing breaks the build, a schema not following fails.
type Missing<T, K extends PropertyKey> = Exclude<keyof T, K> extends never ? unknown : never
function keysOf<T> () {
  return <const K extends ReadonlyArray<keyof T>>(...keys: K & Missing<T, K[number]>) =>
    keys as readonly string[]
}

const FIELDS: Array<[string, readonly string[], string[]]> = [
  ['unit.schema.json', keysOf<Unit>()('code', 'name'), []],
  ['address.schema.json',
    keysOf<Address>()('street', 'commune', 'province', 'former'), ['former']],
  ['population-record.schema.json', keysOf<PopulationRecord>()(
    'citizenId', 'fullName', 'formerNames', 'dateOfBirth', 'sex', 'nationality',
    'ethnicity', 'religion', 'placeOfBirth', 'placeOfOrigin', 'permanentResidence',
    'currentResidence', 'householdId', 'maritalStatus', 'spouseId', 'fatherId',
    'motherId', 'lifeStatus', 'dateOfDeath', 'formerIdentifiers', 'updatedAt'), []],
  ['household.schema.json', keysOf<Household>()(
    'householdId', 'headId', 'address', 'members', 'updatedAt'), []],
  ['civil-event.schema.json', keysOf<CivilEvent>()(
    'eventId', 'type', 'date', 'parties', 'registrationNumber', 'registeredOn',
    'registeredAt', 'details', 'updatedAt'), []],
  ['civil-record.schema.json',
    keysOf<CivilRecord>()('citizenId', 'events', 'updatedAt'), []],
  ['vneid-document.schema.json', keysOf<VneidDocument>()(
    'documentId', 'type', 'number', 'issuedOn', 'expiresOn', 'issuer', 'status',
    'data', 'updatedAt', 'signature'), ['signature']],
  ['vneid-wallet.schema.json',
    keysOf<VneidWallet>()('citizenId', 'account', 'documents', 'consents', 'updatedAt'), []],
  ['vneid-consent.schema.json', keysOf<VneidConsent>()(
    'consentId', 'grantee', 'documentTypes', 'grantedOn', 'validUntil'), []],
  ['identifier-link.schema.json',
    keysOf<IdentifierLink>()('identifier', 'type', 'citizenId'), []]
]

const SEARCH_FIELDS = keysOf<PopulationSearch>()(
  'fullName', 'dateOfBirth', 'birthYear', 'sex', 'placeOfOriginProvince', 'limit')

t.test('each record schema has exactly the fields of types.ts', async (t) => {
  const schemas = new Map(loadSchemas().map((s) => [s.$id, s]))
  const search = ['population-search.schema.json', SEARCH_FIELDS, [...SEARCH_FIELDS]] as const
  const all = [...FIELDS, search]
  for (const [name, fields, optional] of all) {
    const schema = schemas.get(SCHEMA_BASE + name) as {
      properties: object, required?: string[], additionalProperties: boolean
    }
    const keys = [...fields].sort()
    t.same(Object.keys(schema.properties).sort(), keys, name)
    t.same([...(schema.required ?? [])].sort(), keys.filter((k) => !optional.includes(k)), name)
    t.equal(schema.additionalProperties, false, name)
  }
  const document = schemas.get(SCHEMA_BASE + 'vneid-document.schema.json') as {
    properties: { signature: { properties: object, required: string[] } }
  }
  const signature = [...keysOf<DocumentSignature>()('alg', 'keyId', 'value')].sort()
  t.same(Object.keys(document.properties.signature.properties).sort(), signature, 'signature')
  t.same([...document.properties.signature.required].sort(), signature, 'signature')
})

t.test('personas agree across registers except the one deliberate disagreement', async (t) => {
  t.same(rulesOf([readDatasetFolder(PERSONAS)]), [DISAGREEMENT])
})

t.test('generated data agrees across registers', async (t) => {
  t.same(rulesOf([readDatasetFolder(GENERATED)]), [])
})

t.test('all dataset folders together share no id', async (t) => {
  t.same(rulesOf(folders.map(readDatasetFolder)), [DISAGREEMENT])
})

t.test('sandbox.json lists each persona once with its scenario', async (t) => {
  const sandbox = JSON.parse(readFileSync(join(PERSONAS, '..', 'sandbox.json'), 'utf8'))
  const index = sandbox.personas as Array<{ citizenId: string, fullName: string, scenario: string }>
  const { persons: list } = readDatasetFolder(PERSONAS).population
  const persons = new Map(list.map((p) => [p.citizenId, p]))
  t.ok(index.length >= 22, `${index.length} personas`)
  t.equal(new Set(index.map((e) => e.citizenId)).size, index.length, 'no persona twice')
  t.equal(index.length, persons.size, 'every persona citizen is listed')
  for (const entry of index) {
    t.equal(persons.get(entry.citizenId)?.fullName, entry.fullName, entry.citizenId)
    t.ok(entry.scenario.length > 20, `${entry.citizenId} has a scenario`)
  }
})

t.test('the consistency check catches broken links', async (t) => {
  const cases: Array<[string, (d: NamedDatasets) => void]> = [
    ['missing-spouse', (d) => { person(d, '001085000001').spouseId = '001085000099' }],
    ['spouse-mutual', (d) => { person(d, '036188000002').spouseId = '038076000005' }],
    ['missing-parent', (d) => { person(d, '001215000003').motherId = '001188000098' }],
    ['death-event', (d) => { d.civilStatus.events = d.civilStatus.events.filter(notDeath) }],
    ['birth-record', (d) => { person(d, '001215000003').fatherId = null }],
    ['household-member', (d) => { person(d, '001215000003').householdId = 'HK-P-0002' }],
    ['wallet-id-card', (d) => { (d.vneid.wallets[0] as VneidWallet).documents.shift() }],
    ['document-status', (d) => { expire(d, 'DOC-P-0002') }],
    ['citizen-id', (d) => { person(d, '001085000023').sex = 'female' }],
    ['marriage-age', (d) => { person(d, '002300000028').dateOfBirth = '2001-09-02' }],
    ['confirmation', (d) => { person(d, '038076000005').maritalStatus = 'widowed' }],
    ['parent-sex', (d) => { person(d, '001215000003').fatherId = '036188000002' }],
    ['death-record', (d) => { person(d, '040047000007').dateOfDeath = '2021-12-04' }],
    ['widow-still-married', (d) => { person(d, '040151000006').spouseId = '040047000007' }],
    ['deceased-household', (d) => { person(d, '040047000007').householdId = 'HK-P-0004' }],
    ['name-change', (d) => { person(d, '037195000017').formerNames = [] }],
    ['former-identifier', (d) => {
      person(d, '001085000023').formerIdentifiers = person(d, '001085000001').formerIdentifiers
    }],
    ['household-head', (d) => { household(d, 'HK-P-0001').headId = '036188000002' }],
    ['certificate-event', (d) => { doc(d, '001085000001', 'marriage-certificate').number = 'KH-1' }],
    ['deceased-documents', (d) => { doc(d, '079062000008', 'id-card').status = 'active' }],
    ['missing-party', (d) => { (d.civilStatus.events[0] as CivilEvent).parties[0]!.citizenId = '001085000098' }],
    ['event-parties', (d) => { (d.civilStatus.events[0] as CivilEvent).parties.pop() }]
  ]
  for (const [rule, breakIt] of cases) {
    const data = structuredClone(readDatasetFolder(PERSONAS))
    breakIt(data)
    t.ok(rulesOf([data]).some((p) => p.rule === rule), rule)
  }
  const copy = readDatasetFolder(PERSONAS)
  const dup = rulesOf([copy, { ...copy, name: 'copy' }]).map((p) => p.rule)
  t.ok(dup.includes('duplicate-citizen') && dup.includes('duplicate-event'))
})

const notDeath = (event: CivilEvent) => event.type !== 'death'

function person (data: NamedDatasets, id: string): PopulationRecord {
  const found = data.population.persons.find((p) => p.citizenId === id)
  if (!found) throw new Error(`no persona ${id}`)
  return found
}

function household (data: NamedDatasets, id: string): Household {
  const found = data.population.households.find((h) => h.householdId === id)
  if (!found) throw new Error(`no household ${id}`)
  return found
}

function doc (data: NamedDatasets, citizenId: string, type: string): VneidDocument {
  const wallet = data.vneid.wallets.find((w) => w.citizenId === citizenId)
  const found = wallet?.documents.find((d) => d.type === type)
  if (!found) throw new Error(`no ${type} for ${citizenId}`)
  return found
}

function expire (data: NamedDatasets, documentId: string): void {
  const docs = data.vneid.wallets.flatMap((w) => w.documents)
  const doc = docs.find((d) => d.documentId === documentId)
  if (doc) doc.expiresOn = '2026-01-01'
}

t.test('personas cover the scenarios procedure systems must handle', async (t) => {
  const data = readDatasetFolder(PERSONAS)
  const wallet = (id: string) => data.vneid.wallets.find((w) => w.citizenId === id)
  const eventsOf = (id: string) =>
    data.civilStatus.events.filter((e) => e.parties.some((p) => p.citizenId === id))
  const docs = data.vneid.wallets.flatMap((w) => w.documents)

  const marriage = eventsOf('001085000001').find((e) => e.type === 'marriage')
  t.same(marriage?.parties.map((p) => p.citizenId).sort(), ['001085000001', '036188000002'])
  t.equal(person(data, '040047000007').lifeStatus, 'deceased')
  t.equal(person(data, '040151000006').maritalStatus, 'widowed')
  const newborn = person(data, '031326000024')
  t.equal(wallet(newborn.citizenId), undefined, 'newborn has no VNeID account')
  t.same(eventsOf(newborn.citizenId).map((e) => e.type), ['birth'])
  t.equal(wallet('020072000012'), undefined, 'no VNeID account')
  const [twinA, twinB] = [person(data, '048319000013'), person(data, '048319000014')]
  t.equal(twinA.dateOfBirth, twinB.dateOfBirth)
  t.equal(Number(twinB.citizenId) - Number(twinA.citizenId), 1)
  t.equal(twinA.motherId, twinB.motherId)
  const moved = person(data, '040098000018')
  t.not(moved.currentResidence?.province.code, moved.permanentResidence?.province.code)
  t.equal(person(data, '037195000017').formerNames.length, 1)
  t.same(person(data, '079175000019').formerIdentifiers.map((f) => f.type), ['cmnd9', 'cmnd12'])
  const bacKan = person(data, '006093000020')
  t.equal(adminUnits().birthProvince(bacKan.citizenId)?.former.name, 'Tỉnh Bắc Kạn')
  t.equal(bacKan.permanentResidence?.province.code, '19')
  t.ok(Number(person(data, '034144000011').dateOfBirth.slice(0, 4)) < 1950)
  const [an, an2] = ['001085000001', '001085000023'].map((id) => person(data, id).fullName)
  t.equal(nameMatchKey(an as string), nameMatchKey(an2 as string))
  t.ok(eventsOf('038076000005').some((e) => e.type === 'marital-status-confirmation'))
  for (const status of ['expired', 'revoked', 'pending'] as const) {
    t.ok(docs.some((d) => d.status === status), `a ${status} document`)
  }
  const unchanged = person(data, '001066000032').permanentResidence
  t.equal(unchanged?.former, undefined, 'an unchanged address')
  t.ok(person(data, '002300000028').permanentResidence?.former, 'a changed address')
})
