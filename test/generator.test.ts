import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkConsistency } from '../src/fixtures/consistency.js'
import { FIXTURES_AS_OF } from '../src/fixtures/dataset.js'
import { main, UsageError } from '../src/fixtures/generate.js'
import { idCardExpiry } from '../src/fixtures/id-card.js'
import { PERSONA_SERIAL_LIMIT } from '../src/fixtures/identifiers.js'
import { createRng } from '../src/fixtures/prng.js'
import { DATASET_FILES, readDatasetFolder } from '../src/fixtures/read.js'
import { createValidator } from '../src/fixtures/schemas.js'
import { nameMatchKey } from '../src/reference/names.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
const FILES = Object.values(DATASET_FILES)
const quiet = (): void => {}

function generate (dir: string, ...args: string[]) {
  return main(['--out', dir, ...args], quiet)
}

// t.testdir() is one folder per test, so two outputs need two subfolders.
function twoDirs (t: Test): [string, string] {
  const root = t.testdir()
  return [join(root, 'a'), join(root, 'b')]
}

function bytes (dir: string): Buffer[] {
  return FILES.map((file) => readFileSync(join(dir, file)))
}

t.test('the same seed gives byte-identical files', async (t) => {
  const [a, b] = twoDirs(t)
  generate(a, '--count', '300', '--seed', '42')
  generate(b, '--count', '300', '--seed', '42')
  t.same(bytes(a), bytes(b))
})

t.test('another seed gives other data', async (t) => {
  const [a, b] = twoDirs(t)
  generate(a, '--count', '300', '--seed', '42')
  generate(b, '--count', '300', '--seed', '43')
  const other = bytes(b)
  bytes(a).forEach((content, i) => t.notOk(content.equals(other[i] as Buffer), FILES[i]))
})

t.test('generated files validate and agree across registers', async (t) => {
  const dir = t.testdir()
  const summary = generate(dir, '--count', '1500', '--seed', 'check')
  t.equal(summary.persons, 1500, 'exactly --count citizens')
  const data = readDatasetFolder(dir)
  const validate = createValidator()
  t.same(validate('population-dataset.schema.json', data.population), [])
  t.same(validate('civil-status-dataset.schema.json', data.civilStatus), [])
  t.same(validate('vneid-dataset.schema.json', data.vneid), [])
  const personas = readDatasetFolder(join(FIXTURES, 'personas'))
  const problems = checkConsistency([data, personas], FIXTURES_AS_OF)
  t.same(problems.filter((p) => p.rule !== 'divorced-still-married'), [])
})

t.test('generated citizen ids stay out of the block reserved for personas', async (t) => {
  const dir = t.testdir()
  generate(dir, '--count', '1000', '--seed', '7')
  const { persons } = readDatasetFolder(dir).population
  t.ok(persons.every((p) => Number(p.citizenId.slice(6)) >= PERSONA_SERIAL_LIMIT))
})

t.test('generated data looks like the population', async (t) => {
  const dir = t.testdir()
  generate(dir, '--count', '4000', '--seed', 'shares')
  const { population, civilStatus, vneid } = readDatasetFolder(dir)
  const share = (test: (name: string) => boolean) =>
    population.persons.filter((p) => test(p.fullName)).length / population.persons.length
  const surname = (name: string) => (full: string) => full.startsWith(name + ' ')
  t.ok(Math.abs(share(surname('Nguyễn')) - 0.38) < 0.04, 'Nguyễn near 38 %')
  t.ok(Math.abs(share(surname('Trần')) - 0.11) < 0.025, 'Trần near 11 %')
  const hoang = share((n) => surname('Hoàng')(n) || surname('Huỳnh')(n))
  t.ok(Math.abs(hoang - 0.05) < 0.02, 'Hoàng/Huỳnh near 5 %')
  const types = new Set(civilStatus.events.map((e) => e.type))
  t.same([...types].sort(), [
    'birth', 'death', 'divorce', 'marital-status-confirmation', 'marriage', 'name-change'
  ])
  const statuses = new Set(vneid.wallets.flatMap((w) => w.documents.map((d) => d.status)))
  t.same([...statuses].sort(), ['active', 'expired', 'pending', 'revoked'])
  const oldCards = population.persons.filter((p) =>
    p.formerIdentifiers.some((f) => f.type === 'cmnd9'))
  t.ok(oldCards.length > population.persons.length / 4, 'many hold a 9-digit CMND')
  t.ok(oldCards.every((p) => p.dateOfBirth < '2002-01-01'), 'only those of age before 2016')
  const keys = new Set(population.persons.map((p) => nameMatchKey(p.fullName)))
  t.ok(keys.size < population.persons.length, 'some names collide, as in life')
})

t.test('the committed generated set is what --count 200 --seed 2026 writes', async (t) => {
  const dir = t.testdir()
  generate(dir, '--count', '200', '--seed', '2026')
  t.same(bytes(dir), bytes(join(FIXTURES, 'generated')))
})

t.test('large runs report progress every 10 %', async (t) => {
  const lines: string[] = []
  main(['--out', t.testdir(), '--count', '10000', '--seed', '1'], (line) => lines.push(line))
  const progress = lines.filter((l) => l.startsWith('generated'))
  t.equal(progress.length, 10)
  t.match(progress.at(-1), /10000 of 10000 citizens \(100%\)/)
  t.match(lines.at(-1), /^wrote 10000 citizens/)
  t.notMatch(lines.join('\n'), /Nguyễn|\d{12}/, 'no personal data in the log')
})

t.test('bad arguments are refused before anything is written', async (t) => {
  const dir = t.testdir()
  t.throws(() => generate(dir, '--count', '0'), UsageError)
  t.throws(() => generate(dir, '--count', 'ten'), UsageError)
  t.throws(() => generate(dir, '--count', '500001'), UsageError)
  t.throws(() => generate(dir, '--seed', '../x'), UsageError)
  t.throws(() => generate(dir, '--as-of', 'tomorrow'), UsageError)
  t.throws(() => generate(dir, '--colour', 'red'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' })
})

t.test('identity cards expire at 25, 40 and 60, or later if renewed near them', async (t) => {
  t.equal(idCardExpiry('2006-05-18', '2021-06-10'), '2031-05-18')
  t.equal(idCardExpiry('1998-07-19', '2021-06-01'), '2023-07-19')
  t.equal(idCardExpiry('1998-07-19', '2021-07-19'), '2038-07-19', 'two years before 25')
  t.equal(idCardExpiry('1982-08-08', '2016-05-10'), '2022-08-08')
  t.equal(idCardExpiry('1985-03-14', '2025-02-20'), '2045-03-14')
  t.equal(idCardExpiry('1962-04-30', '2021-07-09'), null, 'from 58 the card never expires')
  t.equal(idCardExpiry('2000-02-29', '2016-03-01'), '2025-02-28', 'a 29 February birthday')
})

t.test('the seeded generator repeats itself and spreads evenly', async (t) => {
  const a = createRng('seed')
  const b = createRng('seed')
  const first = Array.from({ length: 5 }, () => a.next())
  t.same(first, Array.from({ length: 5 }, () => b.next()))
  t.not(createRng('other').next(), first[0])
  const rng = createRng(1)
  const counts = [0, 0, 0, 0]
  for (let i = 0; i < 40_000; i++) (counts[rng.int(0, 3)] as number)++
  t.ok(counts.every((c) => Math.abs(c - 10_000) < 400), counts.join(' '))
})
