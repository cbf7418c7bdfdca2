import { rmSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DatasetError, loadDatasets } from '../../src/simulators/dataset.js'
import {
  AN, BINH, DUC, HOA, events, households, persons, wallets, writeDataset
} from '../helpers/simulator-dataset.js'

t.test('builds the indexes of every register', async (t) => {
  const store = await loadDatasets([writeDataset(t.testdir())])

  t.equal(store.population.person(AN)?.fullName, 'Nguyễn Văn An')
  t.equal(store.population.household('HH-001')?.headId, AN)
  t.same(store.population.identifier('123456789'),
    { identifier: '123456789', type: 'cmnd9', citizenId: AN })
  t.same(store.civilStatus.eventsOf(DUC).map((e) => e.eventId),
    ['EV-BIRTH-DUC'])
  t.same(store.civilStatus.eventsOf(HOA), [])
  t.equal(store.vneid.wallet(BINH)?.documents.length, 1)
  t.equal(store.vneid.identifier('C1234567')?.citizenId, BINH)
  t.equal(store.vneid.wallet(DUC), undefined)
})

t.test('serves the union of several folders', async (t) => {
  const dir = t.testdir()
  const first = writeDataset(join(dir, 'a'), {
    population: { persons: persons.slice(0, 2), households },
    civilStatus: { events: events.slice(1) },
    vneid: { wallets: wallets.slice(0, 1) }
  })
  const second = writeDataset(join(dir, 'b'), {
    population: { persons: persons.slice(2), households: [] },
    civilStatus: { events: events.slice(0, 1) },
    vneid: { wallets: wallets.slice(1) }
  })

  const store = await loadDatasets([first, second])

  t.equal(store.population.person(HOA)?.fullName, 'Đặng Thị Hoà')
  t.equal(store.population.person(AN)?.fullName, 'Nguyễn Văn An')
  t.same(store.civilStatus.eventsOf(AN).map((e) => e.eventId),
    ['EV-MARRIAGE', 'EV-BIRTH-DUC'])
  t.ok(store.vneid.wallet(AN))
  t.ok(store.vneid.wallet(BINH))
})

t.test('a missing file is named in the error', async (t) => {
  const folder = writeDataset(t.testdir())
  rmSync(join(folder, 'vneid.json'))

  const err = await loadDatasets([folder]).catch((err) => err)

  t.ok(err instanceof DatasetError)
  t.equal(err.code, 'SIM_DATASET_INVALID')
  t.equal(err.file, join(folder, 'vneid.json'))
  t.match(err.message, `${join(folder, 'vneid.json')}: is missing`)
})

t.test('a file that is not JSON is named, with where it breaks', async (t) => {
  const folder = writeDataset(t.testdir(), {
    population: '{\n  "persons": [{"fullName": "Nguyễn Văn An",}]\n}'
  })

  const err = await loadDatasets([folder]).catch((err) => err)

  t.ok(err instanceof DatasetError)
  t.equal(err.file, join(folder, 'population.json'))
  t.match(err.message, /population\.json: is not valid JSON \(line 2, column \d+\)/)
  t.notMatch(err.message, /Nguy/, 'the file\'s content is not quoted')
})

t.test('a file of the wrong shape is named', async (t) => {
  const cases = [
    [{ civilStatus: { event: [] } }, 'civil-status.json', /no "events" list/],
    [{ civilStatus: 'null' }, 'civil-status.json', /no "events" list/],
    [{ vneid: { wallets: [{ citizenId: AN }] } }, 'vneid.json',
      /wallets\[0\] has no documents list/],
    [{ population: { persons: [{}], households: [] } }, 'population.json',
      /persons\[0\] has no person id/],
    [{ civilStatus: { events: [{ eventId: 'E1' }] } }, 'civil-status.json',
      /events\[0\] has no parties list/]
  ] as const

  for (const [files, name, message] of cases) {
    const folder = writeDataset(t.testdir(), files)
    const err = await loadDatasets([folder]).catch((err) => err)
    t.equal(err.file, join(folder, name))
    t.match(err.message, message)
  }
})

t.test('an id used twice is refused, naming both places', async (t) => {
  const dir = t.testdir()
  const first = writeDataset(join(dir, 'a'))
  const second = writeDataset(join(dir, 'b'), {
    population: { persons: [persons[3]], households: [] },
    civilStatus: { events: [] },
    vneid: { wallets: [] }
  })

  const err = await loadDatasets([first, second]).catch((err) => err)

  t.ok(err instanceof DatasetError)
  t.equal(err.file, join(second, 'population.json'))
  t.match(err.message, 'persons[0] repeats the person id of')
  t.match(err.message, `${join(first, 'population.json')} persons[3]`)
  t.notMatch(err.message, HOA)
})

t.test('replacing a person re-links their former identifiers', async (t) => {
  const store = await loadDatasets([writeDataset(t.testdir())])
  const an = store.population.person(AN)!

  store.population.putPerson({
    ...an,
    formerIdentifiers: [{ type: 'cmnd9', value: '987654321', issuedOn: null }]
  })

  t.equal(store.population.identifier('123456789'), undefined)
  t.equal(store.population.identifier('987654321')?.citizenId, AN)
})
