import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { loadDatasets } from '../../src/simulators/dataset.js'
import { buildPopulationSimulator } from '../../src/simulators/population.js'
import {
  AN, BINH, DUC, HOA, UNKNOWN, households, persons, writeDataset
} from '../helpers/simulator-dataset.js'
import { call, startSimulator } from '../helpers/simulator-server.js'

t.test('GET /persons/:citizenId returns the record', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/persons/${AN}`)

  t.equal(res.status, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json, persons[0])
})

t.test('GET /persons/:citizenId leaves out fields the contract lacks',
  async (t) => {
    const { url, store } = await startSimulator(t, buildPopulationSimulator)
    const record = store.population.person(DUC)!
    store.population.putPerson({ ...record, secretNote: 'x' } as any)

    const res = await call(`${url}/persons/${DUC}`)

    t.equal(res.status, 200)
    t.notOk('secretNote' in res.json)
    t.equal(res.json.fullName, 'Nguyễn Trần Đức')
  })

t.test('a record that cannot be written answers a bare 500, logged',
  async (t) => {
    const lines: Array<Record<string, any>> = []
    const logger = pino(new Writable({
      write (chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()))
        done()
      }
    }))
    const store = await loadDatasets([writeDataset(t.testdir())])
    const app = buildPopulationSimulator({ store, logger })
    t.teardown(() => app.close())
    const record = store.population.person(DUC)!
    store.population.putPerson({ ...record, formerNames: 'none' } as any)

    const url = await app.listen({ host: '127.0.0.1', port: 0 })

    const res = await call(`${url}/persons/${DUC}`)
    const failure = lines.find((line) => line.level === 50)

    t.equal(res.status, 500)
    t.same(res.json, {
      type: 'urn:citizen-data-gateway:simulator:internal-error',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: 'The register failed to answer.'
    })
    t.match(failure, { msg: 'simulator failed to answer', err: Object })
  })

t.test('GET /persons/:citizenId answers 404 PERSON_NOT_FOUND', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/persons/${UNKNOWN}`)

  t.equal(res.status, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json, { status: 404, code: 'PERSON_NOT_FOUND', title: String })
  t.match(res.json.type, /person-not-found$/)
  t.notMatch(res.text, UNKNOWN, 'the body does not echo the id')
})

t.test('GET /persons/:citizenId answers 400 for a malformed id', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/persons/12AB`)

  t.equal(res.status, 400)
  t.match(res.json, { status: 400, code: 'BAD_REQUEST' })
  t.match(res.json.detail, /citizenId/)
})

t.test('GET /households/:householdId', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const found = await call(`${url}/households/HH-001`)
  const missing = await call(`${url}/households/HH-404`)

  t.same(found.json, households[0])
  t.equal(missing.status, 404)
  t.equal(missing.json.code, 'HOUSEHOLD_NOT_FOUND')
})

t.test('GET /identifiers/:value resolves former id cards', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const cmnd9 = await call(`${url}/identifiers/123456789`)
  const cmnd12 = await call(`${url}/identifiers/001192004321`)
  const passport = await call(`${url}/identifiers/C1234567`)

  t.same(cmnd9.json, { identifier: '123456789', type: 'cmnd9', citizenId: AN })
  t.same(cmnd12.json,
    { identifier: '001192004321', type: 'cmnd12', citizenId: BINH })
  t.equal(passport.status, 404, 'VNeID documents are not this register\'s')
  t.equal(passport.json.code, 'NOT_FOUND')
})

t.test('unknown routes answer 404 ROUTE_NOT_FOUND', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/people`)

  t.equal(res.status, 404)
  t.equal(res.json.code, 'ROUTE_NOT_FOUND')
})

t.test('GET /healthz', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/healthz`)

  t.same(res.json, { status: 'ok', register: 'population' })
})

t.test('POST /search', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)
  const search = async (body: unknown) => {
    const res = await call(`${url}/search`, { method: 'POST', body })
    t.equal(res.status, 200)
    return res.json.candidates.map((p: { citizenId: string }) => p.citizenId)
  }

  t.test('ignores diacritics, case and spacing', async (t) => {
    t.same(await search({ fullName: '  nguyen   VAN an ' }), [AN])
    t.same(await search({ fullName: 'DANG THI HOA' }), [HOA])
  })

  t.test('matches when every query token appears', async (t) => {
    t.same(await search({ fullName: 'Nguyễn' }), [AN, DUC])
    t.same(await search({ fullName: 'duc nguyen' }), [DUC])
    t.same(await search({ fullName: 'Nguyễn Văn Bình' }), [])
  })

  t.test('matches a former name', async (t) => {
    t.same(await search({ fullName: 'Tran Thi Binh' }), [BINH])
    t.same(await search({ fullName: 'Trần Thị Bính' }), [BINH])
  })

  t.test('matches birth date or year with the sex', async (t) => {
    t.same(await search({ dateOfBirth: '1990-05-12' }), [AN, HOA])
    t.same(await search({ dateOfBirth: '1990-05-12', sex: 'female' }), [HOA])
    t.same(await search({ birthYear: 2015, sex: 'male' }), [DUC])
    t.same(await search({ birthYear: 2015, sex: 'female' }), [])
  })

  t.test('puts name matches before date matches', async (t) => {
    const found = await search({ fullName: 'Hoà', dateOfBirth: '1990-05-12' })
    t.same(found, [HOA, AN])
  })

  t.test('narrows by place of origin, code or name', async (t) => {
    const born = { dateOfBirth: '1990-05-12' }
    t.same(await search({ ...born, placeOfOriginProvince: '79' }), [HOA])
    t.same(await search({ ...born, placeOfOriginProvince: 'tinh nam dinh' }),
      [AN])
  })

  t.test('caps the list at limit', async (t) => {
    t.same(await search({ fullName: 'Nguyễn', limit: 1 }), [AN])
  })
})

t.test('POST /search returns at most 20 candidates by default',
  async (t) => {
    const { url, store } = await startSimulator(t, buildPopulationSimulator)
    const template = store.population.person(HOA)!
    for (let i = 0; i < 25; i++) {
      const citizenId = `0790880001${String(i).padStart(2, '0')}`
      store.population.putPerson({ ...template, citizenId })
    }

    const res = await call(`${url}/search`,
      { method: 'POST', body: { birthYear: 1990, sex: 'female' } })

    t.equal(res.json.candidates.length, 20)
  })

t.test('POST /search refuses bad queries with 400', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)
  const bad = [
    { sex: 'male' },
    { fullName: 'An', limit: 51 },
    { fullName: 'An', nickname: 'Út' },
    { dateOfBirth: '12/05/1990' },
    'not json'
  ]

  for (const body of bad) {
    const res = await call(`${url}/search`, { method: 'POST', body })
    t.equal(res.status, 400, JSON.stringify(body))
    t.equal(res.json.code, 'BAD_REQUEST')
  }
})

t.test('POST /search does not echo an unparsable body', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/search`, {
    method: 'POST',
    body: undefined,
    headers: { 'content-type': 'application/json' }
  })
  const broken = await fetch(`${url}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"fullName": "Nguyễn Văn An" oops}'
  })
  const text = await broken.text()

  t.equal(res.status, 400)
  t.equal(broken.status, 400)
  t.equal(JSON.parse(text).code, 'BAD_REQUEST')
  t.notMatch(text, /Nguy|oops/)
})
