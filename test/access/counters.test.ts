import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Counters, parseCounters } from '../../src/access/counters.js'
import { loadEnv } from '../../src/config/env.js'
import { fromRoot } from '../../src/paths.js'
import { personas } from '../helpers/personas.js'

const FILE = fromRoot('fixtures', 'counters.json')
const text = readFileSync(FILE, 'utf8')
const units = JSON.parse(readFileSync(fromRoot('fixtures', 'admin-units.json'), 'utf8')) as
  { communes: Array<{ code: string, province: string }> }

t.test('the sandbox counters sit in communes of the reference data, across provinces', async (t) => {
  const counters = Counters.fromFile(FILE).all()
  t.ok(counters.length >= 8 && counters.length <= 12, `${counters.length} counters`)
  const communes = new Map(units.communes.map((c) => [c.code, c.province]))
  for (const c of counters) {
    t.equal(communes.get(c.communeCode), c.provinceCode, `${c.code} is in commune ${c.communeCode} of ${c.provinceCode}`)
  }
  t.ok(new Set(counters.map((c) => c.provinceCode)).size >= 4, 'several provinces')
})

t.test('some counters are where personas live, some where none do', async (t) => {
  const homes = new Set(personas().population.persons
    .map((p) => p.permanentResidence?.commune.code))
  const counters = Counters.fromFile(FILE).all()
  t.ok(counters.filter((c) => homes.has(c.communeCode)).length >= 3, 'filed at home')
  t.ok(counters.filter((c) => !homes.has(c.communeCode)).length >= 3, 'filed away from home')
})

t.test('a counter is found by the code sent in X-Counter-Code', async (t) => {
  const counters = Counters.fromFile(FILE)
  const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8'))
  const code = sandbox.purposeHeaders['X-Counter-Code']
  t.type(code, 'string', 'the sandbox purpose headers name a counter')
  t.ok(counters.counter(code), `${code} is a known counter`)
  t.match(counters.counter('MC-HN-01'), { communeCode: '00061', provinceCode: '01' })
  t.equal(counters.counter('MC-XX-99'), undefined, 'an unknown code is not an error')
  t.equal(counters.counter('mc-hn-01'), undefined, 'codes are exact')
})

t.test('a bad counters file is refused with the reason', async (t) => {
  const doc = JSON.parse(text)
  const twice = { ...doc, counters: [...doc.counters, doc.counters[0]] }
  t.throws(() => parseCounters(JSON.stringify(twice)),
    { code: 'ACCESS_FILE_INVALID', message: `counters: code ${doc.counters[0].code} twice` })
  const commune = structuredClone(doc)
  commune.counters[1].communeCode = '178'
  t.throws(() => parseCounters(JSON.stringify(commune)),
    { code: 'ACCESS_FILE_INVALID', message: /\/counters\/1\/communeCode/ })
  const nameless = structuredClone(doc)
  delete nameless.counters[0].name
  t.throws(() => parseCounters(JSON.stringify(nameless)), { message: /name/ })
  t.throws(() => parseCounters('{"counters": '), { message: 'counters: not valid JSON' })
})

t.test('COUNTERS_FILE names the file, fixtures/counters.json by default', async (t) => {
  t.equal(loadEnv({}).COUNTERS_FILE, 'fixtures/counters.json')
  const dir = mkdtempSync(join(tmpdir(), 'counters-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'counters.json')
  writeFileSync(path, JSON.stringify({
    counters: [{ code: 'MC-TEST-01', name: 'Quầy thử', communeCode: '00004', provinceCode: '01' }]
  }))
  const env = loadEnv({ COUNTERS_FILE: path })
  t.same(Counters.fromFile(env.COUNTERS_FILE).all().map((c) => c.code), ['MC-TEST-01'])
})
