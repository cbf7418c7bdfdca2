import t from 'tap'
import { request } from 'undici'
import { startStack, type Stack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const P = personas()
const PERSON_ROUTE = 'GET /persons/:citizenId'
const CIVIL_ROUTE = 'GET /persons/:citizenId/events'

const married = P.find('a married citizen with a spouse on record', (p) =>
  p.maritalStatus === 'married' && p.spouseId !== null && p.lifeStatus === 'alive' &&
  P.person(p.spouseId).lifeStatus === 'alive')
const singles = P.population.persons.filter((p) => p.maritalStatus === 'single' &&
  p.lifeStatus === 'alive' && p.dateOfBirth < '2000-01-01')

async function metric (stack: Stack, name: string, labels: string): Promise<number> {
  const res = await stack.call('/metrics', { auth: false, purpose: false })
  const line = res.text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

for (const kind of ['memory', 'redis'] as const) {
  t.test(`${kind}: a second read is a hit and the register is asked once`, async (t) => {
    const stack = await startStack(t, { cache: kind })
    const first = await stack.call(`/v1/citizens/${married.citizenId}`)
    const second = await stack.call(`/v1/citizens/${married.citizenId}`)
    t.equal(first.headers['x-cache'], 'miss')
    t.equal(second.headers['x-cache'], 'hit')
    t.same(second.json.identity, first.json.identity, 'the same record')
    t.equal(second.json.sources.population.cache, undefined, 'fresh copies are not marked')
    t.same(second.json, first.json, 'a hit answers with the very same body')
    t.equal(second.json.sources.population.retrievedAt, first.json.sources.population.retrievedAt,
      'says when the register was read, not when the cache was')
    t.equal(await stack.routeCalls('population', PERSON_ROUTE), 1)
    t.equal(await stack.routeCalls('civilStatus', CIVIL_ROUTE), 1)
    const verify = await stack.call(`/v1/citizens/${married.citizenId}/verify`, {
      method: 'POST', body: { attributes: { sex: married.sex } }
    })
    t.equal(verify.headers['x-cache'], 'hit', 'verification reuses the cached record')
    t.equal(await stack.routeCalls('population', PERSON_ROUTE), 1)
  })

  t.test(`${kind}: 500 concurrent requests for one uncached citizen reach the register once`, async (t) => {
    const stack = await startStack(t, { cache: kind })
    const target = P.find('someone with a household', (p) => p.householdId !== null && p.citizenId !== married.citizenId)
    const answers = await Promise.all(Array.from({ length: 500 }, () =>
      stack.call(`/v1/citizens/${target.citizenId}`)))
    t.ok(answers.every((a) => a.status === 200), 'all answered')
    t.equal(await stack.routeCalls('population', PERSON_ROUTE), 1, 'one person read')
    t.equal(await stack.routeCalls('civilStatus', CIVIL_ROUTE), 1, 'one civil record read')
    t.ok(await metric(stack, 'cdg_cache_coalesced_total', 'source="population"') > 0,
      'waits were counted')
  })

  t.test(`${kind}: a registered death is seen at once, by the deceased and the spouse`, async (t) => {
    const stack = await startStack(t, { cache: kind })
    const before = await stack.call(`/v1/citizens/${married.citizenId}`)
    t.equal(before.json.lifeStatus.status, 'alive')
    await stack.call(`/v1/citizens/${married.spouseId}/civil-status`)
    const change = await stack.change('civilStatus', '/death', { citizenId: married.citizenId })
    t.equal(change.status, 200, 'the register acknowledged the death')
    const after = await stack.call(`/v1/citizens/${married.citizenId}`)
    t.equal(after.json.lifeStatus.status, 'deceased')
    t.equal(after.headers['x-cache'], 'miss')
    const spouse = await stack.call(`/v1/citizens/${married.spouseId}/civil-status`)
    t.equal(spouse.json.maritalStatus.status, 'widowed')
    const spouseProfile = await stack.call(`/v1/citizens/${married.spouseId}`)
    t.equal(spouseProfile.json.maritalStatus.status, 'widowed')
  })

  t.test(`${kind}: a marriage updates both spouses`, async (t) => {
    const stack = await startStack(t, { cache: kind })
    const [a, b] = [singles.find((p) => p.sex === 'male')!, singles.find((p) => p.sex === 'female')!]
    for (const p of [a, b]) {
      const res = await stack.call(`/v1/citizens/${p.citizenId}`)
      t.equal(res.json.maritalStatus.status, 'single')
    }
    const change = await stack.change('civilStatus', '/marriage', { citizenIds: [a.citizenId, b.citizenId] })
    t.equal(change.status, 200)
    for (const [p, other] of [[a, b], [b, a]]) {
      const profile = await stack.call(`/v1/citizens/${p.citizenId}`)
      t.same(profile.json.maritalStatus, { source: 'population', status: 'married', spouseId: other.citizenId })
      const civil = await stack.call(`/v1/citizens/${p.citizenId}/civil-status`)
      t.equal(civil.json.maritalStatus.spouseId, other.citizenId)
    }
  })

  t.test(`${kind}: a register failure serves a stale record, said to be stale`, async (t) => {
    const stack = await startStack(t, { cache: kind, policy: { ttlMs: { population: 100, civilStatus: 100, vneid: 100 } } })
    await stack.call(`/v1/citizens/${married.citizenId}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
    await stack.fault('population', { mode: 'unavailable', retryAfterSeconds: 0 })
    await stack.fault('civilStatus', { mode: 'hang' })
    const res = await stack.call(`/v1/citizens/${married.citizenId}`)
    t.equal(res.status, 200)
    t.equal(res.headers['x-cache'], 'stale')
    t.equal(res.json.sources.population.cache, 'stale')
    t.equal(res.json.identity.fullName, married.fullName)
  })

  t.test(`${kind}: beyond the stale window the client gets the register's failure`, async (t) => {
    const stack = await startStack(t, {
      cache: kind,
      policy: { ttlMs: { population: 50, civilStatus: 50, vneid: 50 }, staleWindowMs: 100 }
    })
    await stack.call(`/v1/citizens/${married.citizenId}`)
    await new Promise((resolve) => setTimeout(resolve, 400))
    await stack.fault('population', { mode: 'unavailable', retryAfterSeconds: 0 })
    const res = await stack.call(`/v1/citizens/${married.citizenId}`)
    t.equal(res.status, 503)
    t.equal(res.json.code, 'UPSTREAM_UNAVAILABLE')
    t.ok(res.headers['retry-after'])
  })

  t.test(`${kind}: a not-found answer is cached briefly`, async (t) => {
    const stack = await startStack(t, { cache: kind })
    for (let i = 0; i < 3; i++) {
      const res = await stack.call('/v1/citizens/001090999999')
      t.equal(res.json.code, 'CITIZEN_NOT_FOUND')
    }
    t.equal(await stack.routeCalls('population', PERSON_ROUTE), 1)
  })
}

t.test('malformed ids never reach the cache', async (t) => {
  const stack = await startStack(t)
  for (const id of ['12', '003090000011', '001490000011']) {
    await stack.call(`/v1/citizens/${id}`)
  }
  const res = await stack.call('/metrics', { auth: false, purpose: false })
  t.notMatch(res.text, /cdg_cache_lookups_total\{/, 'no look-up was counted')
})

t.test('personal data goes out with no-store, and If-None-Match gives 304', async (t) => {
  const stack = await startStack(t)
  const path = `/v1/citizens/${married.citizenId}`
  const first = await stack.call(path)
  t.equal(first.headers['cache-control'], 'no-store')
  const etag = first.headers.etag as string
  t.ok(etag)
  const again = await stack.call(path, { headers: { 'if-none-match': etag } })
  t.equal(again.status, 304)
  t.equal(again.text, '')
  const problem = await stack.call('/v1/citizens/001090999999')
  t.equal(problem.headers['cache-control'], 'no-store')
})

t.test('metrics count hits, misses and register latency by source and outcome', async (t) => {
  const stack = await startStack(t)
  await stack.call(`/v1/citizens/${married.citizenId}`)
  await stack.call(`/v1/citizens/${married.citizenId}`)
  // A profile reads the person and the household (population) and the civil record.
  t.equal(await metric(stack, 'cdg_cache_lookups_total', 'source="population",outcome="miss"'), 2)
  t.equal(await metric(stack, 'cdg_cache_lookups_total', 'source="population",outcome="hit"'), 2)
  t.equal(await metric(stack, 'cdg_cache_lookups_total', 'source="civilStatus",outcome="miss"'), 1)
  t.ok(await metric(stack, 'cdg_register_request_duration_seconds_count', 'source="population",outcome="ok"') >= 1)
  const res = await stack.call('/metrics', { auth: false, purpose: false })
  t.match(res.headers['content-type'], /text\/plain/)
  t.notMatch(res.text, married.citizenId)
})

t.test('a change event with a bad signature is refused and drops nothing', async (t) => {
  const stack = await startStack(t)
  await stack.call(`/v1/citizens/${married.citizenId}`)
  const body = JSON.stringify({
    eventId: 'EV-X-1',
    type: 'death',
    register: 'civilStatus',
    occurredAt: new Date().toISOString(),
    records: [{ source: 'population', kind: 'person', id: married.citizenId }]
  })
  for (const signature of [undefined, 't=1,v1=00', `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}`]) {
    const res = await request(`${stack.url}/events/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-cdg-signature': signature }) },
      body
    })
    const problem = await res.body.json() as { code: string }
    t.equal(res.statusCode, 401)
    t.equal(problem.code, 'SIGNATURE_INVALID')
  }
  const again = await stack.call(`/v1/citizens/${married.citizenId}`)
  t.equal(again.headers['x-cache'], 'hit', 'nothing was dropped')
})
