import t from 'tap'
import { AN, BINH, DUC, HOA, UNKNOWN } from '../helpers/simulator-dataset.js'
import {
  KHANH, LAN, startChangeSimulators
} from '../helpers/simulator-changes.js'

const hue = {
  street: '5 Lê Lợi',
  commune: { code: '19753', name: 'Phường Thuận Hóa' },
  province: { code: '46', name: 'Thành phố Huế' }
}

const daNang = {
  street: null,
  commune: { code: '20194', name: 'Phường Hải Châu' },
  province: { code: '48', name: 'Thành phố Đà Nẵng' },
  former: {
    street: null,
    commune: { code: '20200', name: 'Phường Hải Châu I' },
    district: { code: '492', name: 'Quận Hải Châu' },
    province: { code: '48', name: 'Thành phố Đà Nẵng' }
  }
}

t.test('a new current residence changes the person only', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('population', 'address',
    { citizenId: AN, currentResidence: daNang })
  const an = await sims.get('population', `/persons/${AN}`)
  const household = await sims.get('population', '/households/HH-001')

  t.equal(res.status, 200)
  t.same(an.json.currentResidence, daNang)
  t.equal(an.json.householdId, 'HH-001')
  t.equal(an.json.updatedAt, res.json.event.occurredAt)
  t.equal(household.json.updatedAt, '2024-01-01T00:00:00.000Z')
  t.match(res.json.event, {
    eventId: /^CHG-S-\d{6}$/,
    type: 'address-change',
    register: 'population'
  })
  t.same(res.json.event.records,
    [{ source: 'population', kind: 'person', id: AN }])
})

t.test('currentResidence null clears it', async (t) => {
  const sims = await startChangeSimulators(t)
  await sims.change('population', 'address',
    { citizenId: BINH, currentResidence: hue })

  const res = await sims.change('population', 'address',
    { citizenId: BINH, currentResidence: null })
  const binh = await sims.get('population', `/persons/${BINH}`)

  t.equal(res.status, 200)
  t.equal(binh.json.currentResidence, null)
})

t.test('a new permanent residence moves a member to a household of their own',
  async (t) => {
    const sims = await startChangeSimulators(t)

    const res = await sims.change('population', 'address',
      { citizenId: AN, permanentResidence: hue })
    const an = await sims.get('population', `/persons/${AN}`)
    const left = await sims.get('population', '/households/HH-001')
    const founded = await sims.get('population',
      `/households/${an.json.householdId}`)

    const now = res.json.event.occurredAt
    t.equal(res.status, 200)
    t.same(an.json.permanentResidence, hue)
    t.match(an.json.householdId, /^HK-S-\d{6}$/)
    t.same(founded.json, {
      householdId: an.json.householdId,
      headId: AN,
      address: hue,
      members: [{ citizenId: AN, relationship: 'head' }],
      updatedAt: now
    })
    t.same(left.json.members, [
      { citizenId: BINH, relationship: 'head' },
      { citizenId: DUC, relationship: 'child' }
    ], 'the spouse heads the household the person left')
    t.equal(left.json.updatedAt, now)
    t.same(res.json.event.records, [
      { source: 'population', kind: 'person', id: AN },
      { source: 'population', kind: 'household', id: 'HH-001' },
      { source: 'population', kind: 'household', id: an.json.householdId }
    ])
  })

t.test('a sole member takes the household along', async (t) => {
  const sims = await startChangeSimulators(t)
  await sims.change('population', 'address',
    { citizenId: LAN, permanentResidence: hue })
  const first = await sims.get('population', `/persons/${LAN}`)

  const res = await sims.change('population', 'address',
    { citizenId: LAN, permanentResidence: daNang })
  const lan = await sims.get('population', `/persons/${LAN}`)
  const household = await sims.get('population',
    `/households/${lan.json.householdId}`)

  t.equal(lan.json.householdId, first.json.householdId)
  t.same(household.json.address, daNang)
  t.same(res.json.event.records.map((r: { kind: string }) => r.kind),
    ['person', 'household', 'civil-record'],
    'Lan has no civil event: her civil record shows this change\'s updatedAt')
})

t.test('someone in no household gets one; the same address moves no one',
  async (t) => {
    const sims = await startChangeSimulators(t)
    const hoa = (await sims.get('population', `/persons/${HOA}`)).json

    const khanh = await sims.change('population', 'address',
      { citizenId: KHANH, permanentResidence: hue })
    const same = await sims.change('population', 'address', {
      citizenId: HOA,
      permanentResidence: {
        province: hoa.permanentResidence.province,
        commune: hoa.permanentResidence.commune,
        street: hoa.permanentResidence.street
      }
    })
    const after = await sims.get('population', `/persons/${HOA}`)

    t.same(khanh.json.event.records.map((r: { kind: string }) => r.kind),
      ['person', 'household', 'civil-record'])
    t.equal(same.status, 200)
    t.equal(after.json.householdId, 'HH-002')
    t.same(same.json.event.records.map((r: { kind: string }) => r.kind),
      ['person', 'civil-record'])
  })

t.test('address bodies are checked', async (t) => {
  const sims = await startChangeSimulators(t)
  const bad = [
    { citizenId: AN },
    { citizenId: AN, permanentResidence: null },
    { citizenId: AN, currentResidence: { ...hue, postcode: '530000' } },
    { citizenId: AN, currentResidence: { ...hue, commune: { code: '1' } } },
    { citizenId: AN, currentResidence: { street: '1', province: hue.province } },
    { citizenId: AN, currentResidence: 'Huế' }
  ]

  for (const body of bad) {
    const res = await sims.change('population', 'address', body)
    t.equal(res.status, 400, JSON.stringify(body))
    t.equal(res.json.code, 'BAD_REQUEST')
  }
  const first = await sims.change('population', 'address', { citizenId: AN })
  t.match(first.json.detail, /permanentResidence, currentResidence or both/)
})

t.test('address changes of unknown or dead people are refused', async (t) => {
  const sims = await startChangeSimulators(t)
  await sims.change('civilStatus', 'death', { citizenId: KHANH })

  const unknown = await sims.change('population', 'address',
    { citizenId: UNKNOWN, currentResidence: hue })
  const dead = await sims.change('population', 'address',
    { citizenId: KHANH, currentResidence: hue })

  t.equal(unknown.status, 404)
  t.equal(unknown.json.code, 'PERSON_NOT_FOUND')
  t.equal(dead.status, 409)
  t.equal(dead.json.code, 'CHANGE_CONFLICT')
})

t.test('each simulator takes only its own changes', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('civilStatus', 'address',
    { citizenId: AN, currentResidence: hue })

  t.equal(res.status, 404)
  t.equal(res.json.code, 'ROUTE_NOT_FOUND')
})
