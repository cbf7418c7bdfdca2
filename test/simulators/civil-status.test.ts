import t from 'tap'
import { buildCivilStatusSimulator } from '../../src/simulators/civil-status.js'
import { AN, BINH, HOA, UNKNOWN } from '../helpers/simulator-dataset.js'
import { call, startSimulator } from '../helpers/simulator-server.js'

const ids = (record: { events: Array<{ eventId: string }> }) =>
  record.events.map((event) => event.eventId)

t.test('GET /persons/:citizenId/events lists the person\'s events by date',
  async (t) => {
    const { url } = await startSimulator(t, buildCivilStatusSimulator)

    const res = await call(`${url}/persons/${BINH}/events`)

    t.equal(res.status, 200)
    t.equal(res.json.citizenId, BINH)
    t.same(ids(res.json), ['EV-NAME-BINH', 'EV-MARRIAGE', 'EV-BIRTH-DUC'])
    t.same(res.json.events[0].details,
      { previousName: 'Trần Thị Bính', newName: 'Trần Thị Bình' })
  })

t.test('updatedAt is the latest change among the events', async (t) => {
  const { url } = await startSimulator(t, buildCivilStatusSimulator)

  const res = await call(`${url}/persons/${AN}/events`)

  t.same(ids(res.json), ['EV-MARRIAGE', 'EV-BIRTH-DUC'])
  t.equal(res.json.updatedAt, '2020-01-02T03:04:05.000Z',
    'the marriage was corrected after the birth was registered')
})

t.test('a known person without events gets an empty record', async (t) => {
  const { url } = await startSimulator(t, buildCivilStatusSimulator)

  const res = await call(`${url}/persons/${HOA}/events`)

  t.equal(res.status, 200)
  t.same(res.json, {
    citizenId: HOA, events: [], updatedAt: '2023-06-30T08:00:00.000Z'
  })
})

t.test('an unknown person gets 404 PERSON_NOT_FOUND', async (t) => {
  const { url } = await startSimulator(t, buildCivilStatusSimulator)

  const res = await call(`${url}/persons/${UNKNOWN}/events`)

  t.equal(res.status, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.json.code, 'PERSON_NOT_FOUND')
})

t.test('a malformed citizen id gets 400 BAD_REQUEST', async (t) => {
  const { url } = await startSimulator(t, buildCivilStatusSimulator)

  const res = await call(`${url}/persons/not-an-id/events`)

  t.equal(res.status, 400)
  t.equal(res.json.code, 'BAD_REQUEST')
})

t.test('an event replaced in the store moves between parties', async (t) => {
  const { url, store } = await startSimulator(t, buildCivilStatusSimulator)
  const marriage = store.civilStatus.event('EV-MARRIAGE')!
  store.civilStatus.putEvent({
    ...marriage,
    parties: [{ citizenId: AN, role: 'spouse' }, { citizenId: HOA, role: 'spouse' }]
  })

  const binh = await call(`${url}/persons/${BINH}/events`)
  const hoa = await call(`${url}/persons/${HOA}/events`)

  t.same(ids(binh.json), ['EV-NAME-BINH', 'EV-BIRTH-DUC'])
  t.same(ids(hoa.json), ['EV-MARRIAGE'])
})
