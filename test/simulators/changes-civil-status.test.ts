import t from 'tap'
import { AN, BINH, DUC, HOA, UNKNOWN } from '../helpers/simulator-dataset.js'
import {
  KHANH, LAN, startChangeSimulators
} from '../helpers/simulator-changes.js'

interface CivilEventLike { eventId: string, type: string }

const ofType = (record: { events: CivilEventLike[] }, type: string) =>
  record.events.filter((event) => event.type === type)

t.test('POST /_sandbox/changes/death records the death in every register',
  async (t) => {
    const sims = await startChangeSimulators(t)
    const place = { code: '25001', name: 'Phường Một' }

    const res = await sims.change('civilStatus', 'death',
      { citizenId: AN, date: '2025-11-20', place })
    const an = await sims.get('population', `/persons/${AN}`)
    const binh = await sims.get('population', `/persons/${BINH}`)
    const household = await sims.get('population', '/households/HH-001')
    const anEvents = await sims.get('civilStatus', `/persons/${AN}/events`)
    const binhEvents = await sims.get('civilStatus', `/persons/${BINH}/events`)
    const wallet = await sims.get('vneid', `/citizens/${AN}/documents`)

    const now = res.json.event.occurredAt
    t.equal(res.status, 200)
    t.match(an.json, {
      lifeStatus: 'deceased',
      dateOfDeath: '2025-11-20',
      householdId: null,
      maritalStatus: 'married',
      updatedAt: now
    })
    t.match(binh.json,
      { maritalStatus: 'widowed', spouseId: null, updatedAt: now })
    t.match(household.json, {
      headId: BINH,
      members: [
        { citizenId: BINH, relationship: 'head' },
        { citizenId: DUC, relationship: 'child' }
      ],
      updatedAt: now
    })
    t.equal(household.json.members.length, 2)
    const [death] = ofType(anEvents.json, 'death')
    t.match(death, {
      eventId: /^EV-S-\d{6}$/,
      date: '2025-11-20',
      parties: [
        { citizenId: AN, role: 'deceased' },
        { citizenId: BINH, role: 'spouse' }
      ],
      registrationNumber: /^KT-\d{4}-S\d{6}$/,
      registeredAt: place,
      details: { deathPlace: place },
      updatedAt: now
    })
    t.same(ofType(binhEvents.json, 'death'), [death])
    t.equal(anEvents.json.updatedAt, now)
    t.same(wallet.json.documents.map((d: { status: string }) => d.status),
      ['revoked', 'revoked', 'revoked'])
    t.equal(wallet.json.updatedAt, now)
    t.same(res.json, {
      event: {
        eventId: res.json.event.eventId,
        type: 'death',
        register: 'civilStatus',
        occurredAt: now,
        records: [
          { source: 'population', kind: 'person', id: AN },
          { source: 'population', kind: 'person', id: BINH },
          { source: 'population', kind: 'household', id: 'HH-001' },
          { source: 'civilStatus', kind: 'civil-record', id: AN },
          { source: 'civilStatus', kind: 'civil-record', id: BINH },
          { source: 'vneid', kind: 'wallet', id: AN }
        ]
      },
      delivered: 0
    })
    t.match(res.json.event.eventId, /^CHG-S-\d{6}$/)
  })

t.test('a death with no spouse, household or wallet lists only the person',
  async (t) => {
    const sims = await startChangeSimulators(t)
    const today = vietnamToday()

    const res = await sims.change('civilStatus', 'death', { citizenId: KHANH })
    const khanh = await sims.get('population', `/persons/${KHANH}`)
    const events = await sims.get('civilStatus', `/persons/${KHANH}/events`)

    t.equal(res.status, 200)
    t.same(res.json.event.records, [
      { source: 'population', kind: 'person', id: KHANH },
      { source: 'civilStatus', kind: 'civil-record', id: KHANH }
    ])
    t.equal(khanh.json.dateOfDeath, today, 'the date defaults to today')
    t.match(events.json.events, [{
      type: 'death',
      parties: [{ citizenId: KHANH, role: 'deceased' }],
      registeredOn: today,
      details: {}
    }])
    t.equal(events.json.events[0].parties.length, 1)
  })

t.test('the last member\'s death strikes the household off; a head\'s ' +
  'passes to the eldest', async (t) => {
  const sims = await startChangeSimulators(t)

  await sims.change('civilStatus', 'death', { citizenId: HOA })
  const after = await sims.get('population', '/households/HH-002')
  const res = await sims.change('civilStatus', 'death', { citizenId: LAN })
  const gone = await sims.get('population', '/households/HH-002')

  t.match(after.json, {
    headId: LAN, members: [{ citizenId: LAN, relationship: 'head' }]
  })
  t.equal(res.status, 200)
  t.match(res.json.event.records,
    [{ kind: 'person' }, { kind: 'household', id: 'HH-002' }])
  t.equal(gone.status, 404)
  t.equal(gone.json.code, 'HOUSEHOLD_NOT_FOUND')
})

t.test('a second death of the same person is a 409 CHANGE_CONFLICT',
  async (t) => {
    const sims = await startChangeSimulators(t)
    await sims.change('civilStatus', 'death', { citizenId: HOA })

    const again = await sims.change('civilStatus', 'death', { citizenId: HOA })

    t.equal(again.status, 409)
    t.match(again.headers['content-type'], /^application\/problem\+json/)
    t.match(again.json, { status: 409, code: 'CHANGE_CONFLICT' })
    t.notMatch(again.text, HOA)
  })

t.test('a death before the birth is a 409', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('civilStatus', 'death',
    { citizenId: DUC, date: '2010-01-01' })
  const duc = await sims.get('population', `/persons/${DUC}`)

  t.equal(res.status, 409)
  t.equal(duc.json.lifeStatus, 'alive', 'nothing changed')
})

t.test('POST /_sandbox/changes/death refuses bad bodies with 400',
  async (t) => {
    const sims = await startChangeSimulators(t)
    const bad = [
      {},
      { citizenId: 'not-an-id' },
      { citizenId: AN, dateOfDeath: '2025-01-01' },
      { citizenId: AN, date: '20/11/2025' },
      { citizenId: AN, date: '2025-02-30' },
      { citizenId: AN, date: '2999-01-01' },
      { citizenId: AN, place: { code: '25001' } },
      { citizenId: AN, place: { code: '25001', name: 'X', extra: 1 } },
      [AN]
    ]

    for (const body of bad) {
      const res = await sims.change('civilStatus', 'death', body)
      t.equal(res.status, 400, JSON.stringify(body))
      t.equal(res.json.code, 'BAD_REQUEST')
    }
    const an = await sims.get('population', `/persons/${AN}`)
    t.equal(an.json.lifeStatus, 'alive')
  })

t.test('a death of an unknown citizen is a 404 PERSON_NOT_FOUND',
  async (t) => {
    const sims = await startChangeSimulators(t)

    const res = await sims.change('civilStatus', 'death', { citizenId: UNKNOWN })

    t.equal(res.status, 404)
    t.equal(res.json.code, 'PERSON_NOT_FOUND')
  })

t.test('POST /_sandbox/changes/marriage marries both in both registers',
  async (t) => {
    const sims = await startChangeSimulators(t)

    const res = await sims.change('civilStatus', 'marriage',
      { citizenIds: [KHANH, HOA], date: '2025-06-01' })
    const khanh = await sims.get('population', `/persons/${KHANH}`)
    const hoa = await sims.get('population', `/persons/${HOA}`)
    const khanhEvents = await sims.get('civilStatus', `/persons/${KHANH}/events`)
    const hoaEvents = await sims.get('civilStatus', `/persons/${HOA}/events`)

    const now = res.json.event.occurredAt
    t.equal(res.status, 200)
    t.match(khanh.json,
      { maritalStatus: 'married', spouseId: HOA, updatedAt: now })
    t.match(hoa.json,
      { maritalStatus: 'married', spouseId: KHANH, updatedAt: now })
    t.match(khanhEvents.json.events, [{
      type: 'marriage',
      date: '2025-06-01',
      parties: [
        { citizenId: KHANH, role: 'spouse' },
        { citizenId: HOA, role: 'spouse' }
      ],
      registrationNumber: /^KH-\d{4}-S\d{6}$/
    }])
    t.same(hoaEvents.json.events, khanhEvents.json.events)
    t.same(res.json.event.records, [
      { source: 'population', kind: 'person', id: KHANH },
      { source: 'population', kind: 'person', id: HOA },
      { source: 'civilStatus', kind: 'civil-record', id: KHANH },
      { source: 'civilStatus', kind: 'civil-record', id: HOA }
    ])
    t.equal(res.json.event.type, 'marriage')
  })

t.test('impossible marriages are 409 CHANGE_CONFLICT', async (t) => {
  const sims = await startChangeSimulators(t)
  await sims.change('civilStatus', 'death', { citizenId: LAN })
  const cases = [
    [[AN, HOA], /married already/],
    [[KHANH, LAN], /registered as alive/],
    [[KHANH, DUC], /man and a woman/],
    [[DUC, HOA], /legal age/]
  ] as const

  for (const [citizenIds, detail] of cases) {
    const res = await sims.change('civilStatus', 'marriage', { citizenIds })
    t.equal(res.status, 409, citizenIds.join(' + '))
    t.match(res.json, { code: 'CHANGE_CONFLICT', detail })
  }
  const hoa = await sims.get('population', `/persons/${HOA}`)
  t.equal(hoa.json.maritalStatus, 'single', 'nothing changed')
})

t.test('marriage and divorce bodies are checked', async (t) => {
  const sims = await startChangeSimulators(t)
  const bad = [
    { citizenIds: [KHANH] },
    { citizenIds: [KHANH, HOA, AN] },
    { citizenIds: [KHANH, KHANH] },
    { citizenIds: [KHANH, HOA], court: '' },
    { citizenIds: [KHANH, HOA], witnesses: [] }
  ]

  for (const body of bad) {
    const res = await sims.change('civilStatus', 'marriage', body)
    t.equal(res.status, 400, JSON.stringify(body))
  }
  const unknown = await sims.change('civilStatus', 'divorce',
    { citizenIds: [AN, UNKNOWN] })
  t.equal(unknown.status, 404)
  t.equal(unknown.json.code, 'PERSON_NOT_FOUND')
})

t.test('POST /_sandbox/changes/divorce divorces both', async (t) => {
  const sims = await startChangeSimulators(t)
  const court = 'Tòa án nhân dân tỉnh Nam Định'

  const res = await sims.change('civilStatus', 'divorce',
    { citizenIds: [BINH, AN], date: '2024-09-09', court })
  const an = await sims.get('population', `/persons/${AN}`)
  const binh = await sims.get('population', `/persons/${BINH}`)
  const anEvents = await sims.get('civilStatus', `/persons/${AN}/events`)
  const binhEvents = await sims.get('civilStatus', `/persons/${BINH}/events`)

  t.equal(res.status, 200)
  t.match(an.json, { maritalStatus: 'divorced', spouseId: null })
  t.match(binh.json, { maritalStatus: 'divorced', spouseId: null })
  const [divorce] = ofType(anEvents.json, 'divorce')
  t.match(divorce, {
    date: '2024-09-09',
    details: { court },
    registrationNumber: /^LH-\d{4}-S\d{6}$/
  })
  t.same(ofType(binhEvents.json, 'divorce'), [divorce])
  t.same(res.json.event.records.map((r: { id: string }) => r.id),
    [BINH, AN, BINH, AN])
})

t.test('a divorce of people not married to each other is a 409',
  async (t) => {
    const sims = await startChangeSimulators(t)
    await sims.change('civilStatus', 'divorce', { citizenIds: [AN, BINH] })

    const again = await sims.change('civilStatus', 'divorce',
      { citizenIds: [AN, BINH] })
    const strangers = await sims.change('civilStatus', 'divorce',
      { citizenIds: [KHANH, HOA] })

    t.equal(again.status, 409)
    t.equal(again.json.code, 'CHANGE_CONFLICT')
    t.equal(strangers.status, 409)
  })

t.test('a divorce dated before the marriage is a 409', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('civilStatus', 'divorce',
    { citizenIds: [AN, BINH], date: '2013-01-01' })

  t.equal(res.status, 409)
  t.match(res.json.detail, /precedes the marriage/)
})

t.test('divorced people may marry again', async (t) => {
  const sims = await startChangeSimulators(t)
  await sims.change('civilStatus', 'divorce', { citizenIds: [AN, BINH] })

  const res = await sims.change('civilStatus', 'marriage',
    { citizenIds: [AN, HOA] })
  const an = await sims.get('population', `/persons/${AN}`)

  t.equal(res.status, 200)
  t.equal(an.json.spouseId, HOA)
})

function vietnamToday (): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
}
