import t from 'tap'
import { startStack, type Stack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'
import { foldDiacritics } from '../../src/reference/names.js'
import type { CivilEvent } from '../../src/sources/types.js'

const P = personas()

let stack: Stack
t.before(async () => {
  stack = await startStack(t)
})

const married = P.find('a married citizen whose spouse is on record', (p) =>
  p.maritalStatus === 'married' && p.spouseId !== null &&
  P.eventsOf(p.citizenId).some((e) => e.type === 'marriage'))

t.test('GET /v1/citizens/:id returns identity, residence and household from the population register', async (t) => {
  const res = await stack.call(`/v1/citizens/${married.citizenId}`)
  t.equal(res.status, 200)
  const body = res.json
  t.equal(body.citizenId, married.citizenId)
  t.equal(body.identity.source, 'population')
  t.equal(body.identity.fullName, married.fullName)
  t.equal(body.identity.dateOfBirth, married.dateOfBirth)
  t.same(body.residence.permanent, married.permanentResidence)
  t.same(body.maritalStatus, { source: 'population', status: 'married', spouseId: married.spouseId })
  t.equal(body.lifeStatus.status, 'alive')
  const household = P.population.households.find((h) => h.householdId === married.householdId)
  t.same(body.household?.members, household?.members)
  t.equal(body.sources.population.status, 'ok')
  t.equal(body.sources.civilStatus.status, 'ok')
  t.ok(body.sources.population.updatedAt >= married.updatedAt, 'when the register last changed it')
  t.same(body.conflicts, [], 'both registers agree')
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
})

t.test('values no register holds are null and listed in unavailable', async (t) => {
  const sparse = P.find('a citizen with no current residence on record', (p) => p.currentResidence === null)
  const res = await stack.call(`/v1/citizens/${sparse.citizenId}`)
  t.equal(res.json.residence.current, null)
  t.ok(res.json.unavailable.includes('residence.current'))
})

t.test('the birth province in the id is understood across the 2025 mergers', async (t) => {
  const bacKan = P.find('a citizen born in Bắc Kạn (006)', (p) => p.citizenId.startsWith('006'))
  const res = await stack.call(`/v1/citizens/${bacKan.citizenId}`)
  t.same(res.json.identity.birthProvince.current, { code: '19', name: res.json.identity.birthProvince.current.name })
  t.match(res.json.identity.birthProvince.name, /Bắc Kạn/)
  t.match(res.json.identity.birthProvince.current.name, /Thái Nguyên/)
})

t.test('addresses changed by the reorganisation come with their former form', async (t) => {
  const moved = P.find('an address with a former form', (p) => p.permanentResidence?.former !== undefined)
  const res = await stack.call(`/v1/citizens/${moved.citizenId}`)
  t.same(res.json.residence.permanent.former, moved.permanentResidence?.former)
  t.ok(res.json.residence.permanent.former.district.name)
})

t.test('a citizen resident in another province is served like anyone else', async (t) => {
  const elsewhere = P.find('a citizen living away from their permanent province', (p) =>
    p.currentResidence !== null && p.permanentResidence !== null &&
    p.currentResidence.province.code !== p.permanentResidence.province.code)
  const res = await stack.call(`/v1/citizens/${elsewhere.citizenId}`)
  t.equal(res.status, 200)
  t.not(res.json.residence.current.province.code, res.json.residence.permanent.province.code)
})

t.test('a deceased citizen is reported deceased with the date', async (t) => {
  const dead = P.find('a deceased citizen', (p) => p.lifeStatus === 'deceased')
  const res = await stack.call(`/v1/citizens/${dead.citizenId}`)
  t.same(res.json.lifeStatus, { source: 'population', status: 'deceased', dateOfDeath: dead.dateOfDeath })
  const civil = await stack.call(`/v1/citizens/${dead.citizenId}/civil-status`)
  t.ok(civil.json.events.some((e: CivilEvent) => e.type === 'death'))
})

function lastMaritalEvent (id: string): CivilEvent | undefined {
  return P.eventsOf(id).filter((e) => ['marriage', 'divorce'].includes(e.type))
    .sort((a, b) => a.date.localeCompare(b.date)).at(-1)
}

t.test('when the registers disagree about marital status, both values are flagged', async (t) => {
  const torn = P.find('a citizen the population register calls married after a divorce', (p) =>
    p.maritalStatus === 'married' && lastMaritalEvent(p.citizenId)?.type === 'divorce')
  for (const path of ['', '/civil-status']) {
    const res = await stack.call(`/v1/citizens/${torn.citizenId}${path}`)
    const conflict = res.json.conflicts.find((c: { field: string }) => c.field === 'maritalStatus')
    t.ok(conflict, `flagged on ${path || 'the profile'}`)
    t.same(conflict.values.map((v: { source: string, value: string }) => [v.source, v.value]),
      [['population', 'married'], ['civilStatus', 'divorced']])
    t.equal(conflict.values[1].eventId, lastMaritalEvent(torn.citizenId)?.eventId)
  }
})

t.test('GET civil-status lists the events and the marital status they imply', async (t) => {
  const res = await stack.call(`/v1/citizens/${married.citizenId}/civil-status`)
  t.equal(res.status, 200)
  t.equal(res.json.events.length, P.eventsOf(married.citizenId).length)
  t.equal(res.json.maritalStatus.status, 'married')
  t.equal(res.json.maritalStatus.spouseId, married.spouseId)
  t.equal(res.json.maritalStatus.basedOn, lastMaritalEvent(married.citizenId)?.eventId)
  const dates = res.json.events.map((e: CivilEvent) => e.date)
  t.same(dates, [...dates].sort(), 'in date order')
  const spouse = await stack.call(`/v1/citizens/${married.spouseId}/civil-status`)
  t.equal(spouse.json.maritalStatus.spouseId, married.citizenId, 'the marriage is in both records')
})

t.test('a widowed citizen is widowed by the spouse\'s death', async (t) => {
  const widow = P.find('a widowed citizen', (p) => p.maritalStatus === 'widowed' &&
    P.eventsOf(p.citizenId).some((e) => e.type === 'death'))
  const res = await stack.call(`/v1/citizens/${widow.citizenId}/civil-status`)
  t.equal(res.json.maritalStatus.status, 'widowed')
  t.equal(res.json.events.find((e: CivilEvent) => e.eventId === res.json.maritalStatus.basedOn).type, 'death')
})

t.test('a minor\'s birth record names both parents', async (t) => {
  const minor = P.find('a minor with both parents on record', (p) =>
    p.fatherId !== null && p.motherId !== null && p.dateOfBirth > '2009-01-01')
  const res = await stack.call(`/v1/citizens/${minor.citizenId}/civil-status`)
  const birth = res.json.events.find((e: CivilEvent) => e.type === 'birth')
  t.equal(birth.role, 'child')
  const roles = Object.fromEntries(birth.parties.map((p: { citizenId: string, role: string }) => [p.role, p.citizenId]))
  t.equal(roles.father, minor.fatherId)
  t.equal(roles.mother, minor.motherId)
})

t.test('GET documents lists the VNeID documents, with validity computed', async (t) => {
  const holder = P.find('a citizen with several documents', (p) => (P.walletOf(p.citizenId)?.documents.length ?? 0) >= 2)
  const wallet = P.walletOf(holder.citizenId)!
  const res = await stack.call(`/v1/citizens/${holder.citizenId}/documents`)
  t.equal(res.status, 200)
  t.equal(res.json.account.status, 'active')
  t.same(res.json.documents.map((d: { documentId: string }) => d.documentId).sort(),
    wallet.documents.map((d) => d.documentId).sort())
  t.equal(res.json.sources.vneid.status, 'ok')
  const type = wallet.documents[0].type
  const filtered = await stack.call(`/v1/citizens/${holder.citizenId}/documents?type=${type}`)
  t.ok(filtered.json.documents.length > 0)
  t.ok(filtered.json.documents.every((d: { type: string }) => d.type === type))
  const one = await stack.call(`/v1/citizens/${holder.citizenId}/documents/${wallet.documents[0].documentId}`)
  t.equal(one.json.document.number, wallet.documents[0].number)
  const missing = await stack.call(`/v1/citizens/${holder.citizenId}/documents/DOC-NOPE`)
  t.equal(missing.json.code, 'DOCUMENT_NOT_FOUND')
})

t.test('expired and revoked documents are reported but not valid', async (t) => {
  for (const status of ['expired', 'revoked'] as const) {
    const owner = P.vneid.wallets.find((w) => w.documents.some((d) => d.status === status))
    t.ok(owner, `a persona holds a ${status} document`)
    const res = await stack.call(`/v1/citizens/${owner!.citizenId}/documents`)
    const doc = res.json.documents.find((d: { status: string }) => d.status === status)
    t.equal(doc.valid, false, status)
  }
})

t.test('a citizen with no VNeID account has no documents, not a 404', async (t) => {
  const none = P.find('a citizen without a VNeID account', (p) => P.walletOf(p.citizenId) === undefined)
  const res = await stack.call(`/v1/citizens/${none.citizenId}/documents`)
  t.equal(res.status, 200)
  t.same(res.json.account, { status: 'none', level: null, activatedOn: null })
  t.same(res.json.documents, [])
  t.equal(res.json.sources.vneid.status, 'not-held')
})

t.test('POST verify answers per attribute and discloses nothing else', async (t) => {
  const p = married
  const res = await stack.call(`/v1/citizens/${p.citizenId}/verify`, {
    method: 'POST',
    body: {
      attributes: {
        fullName: p.fullName,
        dateOfBirth: p.dateOfBirth,
        sex: p.sex === 'male' ? 'female' : 'male',
        permanentAddress: { provinceCode: p.permanentResidence!.province.code, commune: p.permanentResidence!.commune.name }
      }
    }
  })
  t.equal(res.status, 200)
  t.same(res.json.results, { fullName: 'match', dateOfBirth: 'match', sex: 'mismatch', permanentAddress: 'match' })
  t.notMatch(res.text, p.fullName, 'the register\'s name is not returned')
  t.notMatch(res.text, p.dateOfBirth)
})

t.test('verify: a name without diacritics is partial; an old-form address still matches', async (t) => {
  const moved = P.find('an address with a former form', (p) => p.permanentResidence?.former !== undefined)
  const former = moved.permanentResidence!.former!
  const res = await stack.call(`/v1/citizens/${moved.citizenId}/verify`, {
    method: 'POST',
    body: {
      attributes: {
        fullName: foldDiacritics(moved.fullName),
        permanentAddress: { commune: former.commune.name, district: former.district.name, province: former.province.name }
      }
    }
  })
  t.same(res.json.results, { fullName: 'partial', permanentAddress: 'match' })
})

t.test('verify: an attribute the register does not hold is unavailable', async (t) => {
  const sparse = P.find('a citizen with no current residence on record', (p) => p.currentResidence === null)
  const res = await stack.call(`/v1/citizens/${sparse.citizenId}/verify`, {
    method: 'POST', body: { attributes: { currentAddress: { provinceCode: '01' } } }
  })
  t.same(res.json.results, { currentAddress: 'unavailable' })
})

t.test('POST match finds a citizen by name and date of birth, with or without diacritics', async (t) => {
  for (const fullName of [married.fullName, foldDiacritics(married.fullName).toUpperCase()]) {
    const res = await stack.call('/v1/citizens/match', {
      method: 'POST', body: { fullName, dateOfBirth: married.dateOfBirth, sex: married.sex }
    })
    t.equal(res.status, 200)
    const top = res.json.candidates[0]
    t.equal(top.citizenId, married.citizenId, fullName)
    t.equal(top.grade, 'certain', fullName)
    t.ok(top.matched.includes('dateOfBirth'))
    t.notMatch(res.text, married.fullName, 'names never come back')
  }
})

t.test('POST match with a name alone is never certain and is capped', async (t) => {
  const res = await stack.call('/v1/citizens/match', {
    method: 'POST', body: { fullName: married.fullName, limit: 1 }
  })
  t.ok(res.json.candidates.length <= 1)
  t.ok(res.json.candidates.every((c: { grade: string }) => c.grade !== 'certain'))
})

t.test('namesakes that differ only by diacritics are both candidates, neither certain', async (t) => {
  const byKey = new Map<string, string[]>()
  for (const p of P.population.persons) {
    const key = `${foldDiacritics(p.fullName).toLowerCase()}|${p.dateOfBirth.slice(0, 4)}`
    byKey.set(key, [...(byKey.get(key) ?? []), p.citizenId])
  }
  const pair = [...byKey.values()].find((ids) => ids.length >= 2)
  t.ok(pair, 'the personas include diacritic namesakes born the same year')
  const a = P.person(pair![0])
  const res = await stack.call('/v1/citizens/match', {
    method: 'POST', body: { fullName: foldDiacritics(a.fullName), birthYear: Number(a.dateOfBirth.slice(0, 4)) }
  })
  const ids = res.json.candidates.map((c: { citizenId: string }) => c.citizenId)
  for (const id of pair!) t.ok(ids.includes(id), id)
  t.ok(res.json.candidates.every((c: { grade: string }) => c.grade !== 'certain'))
})

t.test('GET identifiers resolves an old identity card number to the citizen id', async (t) => {
  const old = P.find('a citizen with a 9-digit identity card', (p) =>
    p.formerIdentifiers.some((i) => i.type === 'cmnd9'))
  const cmnd = old.formerIdentifiers.find((i) => i.type === 'cmnd9')!.value
  const res = await stack.call(`/v1/identifiers/${cmnd}`)
  t.equal(res.status, 200)
  t.same({ type: res.json.type, citizenId: res.json.citizenId, source: res.json.source },
    { type: 'cmnd9', citizenId: old.citizenId, source: 'population' })
})

t.test('GET identifiers resolves a driving licence number through VNeID', async (t) => {
  const wallet = P.vneid.wallets.find((w) => w.documents.some((d) => d.type === 'driving-licence'))!
  const licence = wallet.documents.find((d) => d.type === 'driving-licence')!
  const res = await stack.call(`/v1/identifiers/${licence.number}`)
  t.equal(res.status, 200)
  t.equal(res.json.citizenId, wallet.citizenId)
  t.equal(res.json.type, 'driving-licence')
  t.equal(res.json.source, 'vneid')
})
