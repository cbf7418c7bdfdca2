import { createHash } from 'node:crypto'
import t from 'tap'
import { allowedFields, Catalogue } from '../../src/access/catalogue.js'
import { PostgresAuditStore, SqliteAuditStore, type AuditRecord, type AuditStore } from '../../src/audit/index.js'
import { fromRoot } from '../../src/paths.js'
import { newSigningKey, type StoreKind } from '../helpers/audit-stores.js'
import { PURPOSE, startStack, type Stack } from '../helpers/gateway-stack.js'
import { extraClient } from '../helpers/extra-clients.js'
import { personas } from '../helpers/personas.js'

// The audit record of each request, read back from the real store the gateway wrote.

const P = personas()
const someone = P.find('a citizen with a household', (p) => p.householdId !== null)
const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const BIRTH = '1.001193'
const covert = catalogue.all().find((p) => p.covert && p.covertDays !== undefined)!

const counter = extraClient('counter', 'System counter', ['population:read', 'civil-status:read', 'documents:read', 'verify', 'match'], ['*', covert.code])
const narrow = extraClient('narrow', 'System narrow', ['verify'], [BIRTH])

function as (c: { key: string }, headers: Record<string, string> = {}) {
  return { auth: false, purpose: false, headers: { authorization: `Bearer ${c.key}`, ...headers } }
}

async function only (store: AuditStore, requestId: string): Promise<AuditRecord[]> {
  const { records } = await store.query({})
  return records.filter((r) => r.requestId === requestId)
}

function sha256 (text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: an answered read`, async (t) => {
    let stack: Stack

    t.before(async () => {
      stack = await startStack(t, { audit: kind, clients: [counter.record, narrow.record] })
    })

    t.test('has one record naming who, why, whom, what and how', async (t) => {
      const res = await stack.call(`/v1/citizens/${someone.citizenId}`, as(counter, {
        'x-procedure-code': BIRTH, 'x-dossier-id': 'HS-1', 'x-officer-id': 'CB-7', 'x-counter-code': 'MC-HN-01'
      }))
      t.equal(res.status, 200)
      const [record, ...more] = await only(stack.audit, res.headers['x-request-id'] as string)
      t.same(more, [], 'exactly one record')
      t.equal(res.headers['x-audit-id'], record.id)
      t.match(record, {
        clientId: 'counter',
        officerId: 'CB-7',
        procedureCode: BIRTH,
        dossierId: 'HS-1',
        counterCode: 'MC-HN-01',
        citizenIds: [someone.citizenId],
        operation: 'citizens.get',
        method: 'GET',
        route: '/v1/citizens/:citizenId',
        outcome: 'allowed',
        status: 200,
        reason: null,
        covertUntil: null
      })
      const allowed = allowedFields(catalogue.procedure(BIRTH)!, counter.record.scopes)
      t.ok(record.fields.length > 0, 'the fields returned are named')
      t.same(record.fields.filter((f) => !allowed.has(f)), [], 'every named field is one the procedure allows')
      t.same(record.sources.map((s) => s.register).sort(), ['civilStatus', 'population'])
      t.equal(record.responseHash, sha256(res.text), 'the record holds the hash of the body sent')
      t.equal(record.requestHash, res.headers['x-request-hash'])
      const { personal } = { personal: JSON.stringify(record) }
      t.notMatch(personal, someone.fullName, 'no name in the record')
    })

    t.test('names exactly the fields a narrowed answer carried, and the cache state of a repeat', async (t) => {
      const path = `/v1/citizens/${someone.citizenId}?fields=identity.fullName`
      const first = await stack.call(path, as(counter, PURPOSE))
      const second = await stack.call(path, as(counter, PURPOSE))
      t.equal(second.headers['x-cache'], 'hit')
      const [a] = await only(stack.audit, first.headers['x-request-id'] as string)
      const [b] = await only(stack.audit, second.headers['x-request-id'] as string)
      t.same(a.fields, ['population:identity.fullName'])
      t.same(b.fields, a.fields, 'a remembered answer records the same fields')
      t.same(b.sources.find((s) => s.register === 'population'), { register: 'population', cache: 'hit' })
      t.equal(b.responseHash, a.responseHash, 'the same body, the same hash')
      t.not(b.seq, a.seq)
    })

    t.test('the request hash is recomputable from what the client sent', async (t) => {
      const body = { attributes: { sex: someone.sex } }
      const headers = { 'x-procedure-code': BIRTH, 'x-dossier-id': 'HS-9' }
      const res = await stack.call(`/v1/citizens/${someone.citizenId}/verify`, {
        ...as(narrow, headers), method: 'POST', body
      })
      t.equal(res.status, 200)
      const text = ['cdg-request/v1', 'POST', `/v1/citizens/${someone.citizenId}/verify`,
        BIRTH, 'HS-9', '', '', JSON.stringify(body)].join('\n')
      t.equal(res.headers['x-request-hash'], sha256(text))
      const changed = await stack.call(`/v1/citizens/${someone.citizenId}/verify`, {
        ...as(narrow, { ...headers, 'x-dossier-id': 'HS-10' }), method: 'POST', body
      })
      t.not(changed.headers['x-request-hash'], res.headers['x-request-hash'], 'another dossier, another hash')
    })

    t.test('a revalidated answer is recorded as the 304 it was', async (t) => {
      const path = `/v1/citizens/${someone.citizenId}/civil-status`
      const first = await stack.call(path, as(counter, PURPOSE))
      const again = await stack.call(path, as(counter, { ...PURPOSE, 'if-none-match': first.headers.etag as string }))
      t.equal(again.status, 304)
      const [record] = await only(stack.audit, again.headers['x-request-id'] as string)
      t.equal(record.status, 304)
      t.equal(record.outcome, 'allowed')
      t.equal(record.responseHash, (await only(stack.audit, first.headers['x-request-id'] as string))[0].responseHash,
        'the hash is of the body the ETag stands for')
    })

    t.test('refusals are recorded with their reason; anonymous requests are not', async (t) => {
      const cases = [
        [narrow, { 'x-procedure-code': BIRTH, 'x-dossier-id': 'HS-2' }, 'SCOPE_MISSING', null],
        [counter, { 'x-dossier-id': 'HS-3' }, 'PURPOSE_MISSING', null],
        [counter, { 'x-procedure-code': 'NO-SUCH-1', 'x-dossier-id': 'HS-4' }, 'PROCEDURE_UNKNOWN', 'NO-SUCH-1']
      ] as const
      for (const [who, headers, reason, procedure] of cases) {
        const res = await stack.call(`/v1/citizens/${someone.citizenId}`, as(who, headers))
        t.equal(res.json.code, reason)
        const [record] = await only(stack.audit, res.headers['x-request-id'] as string)
        t.match(record, {
          clientId: who.record.id, outcome: 'denied', status: res.status, reason, fields: [], citizenIds: [someone.citizenId]
        }, reason)
        t.equal(record.procedureCode, procedure)
        t.equal(res.headers['x-audit-id'], record.id, 'the refusal names its record too')
      }
      const anonymous = await stack.call(`/v1/citizens/${someone.citizenId}`, { auth: false })
      t.equal(anonymous.status, 401)
      t.same(await only(stack.audit, anonymous.headers['x-request-id'] as string), [])
    })

    t.test('a citizen the registers do not hold is an allowed read that found nothing', async (t) => {
      const res = await stack.call('/v1/citizens/001099009999', as(counter, PURPOSE))
      t.equal(res.status, 404)
      const [record] = await only(stack.audit, res.headers['x-request-id'] as string)
      t.match(record, { outcome: 'allowed', status: 404, reason: 'CITIZEN_NOT_FOUND', fields: [] })
    })

    t.test('a covert procedure\'s read is withheld from the citizen for its period', async (t) => {
      const before = Date.now()
      const res = await stack.call(`/v1/citizens/${someone.citizenId}`, as(counter, {
        'x-procedure-code': covert.code, 'x-dossier-id': 'TT-1'
      }))
      t.equal(res.status, 200)
      const [record] = await only(stack.audit, res.headers['x-request-id'] as string)
      const until = Date.parse(record.covertUntil!)
      const days = covert.covertDays! * 24 * 3600 * 1000
      t.ok(until >= before + days && until <= Date.now() + days, 'covert until the period ends')
    })

    t.test('a match names the candidates it returned', async (t) => {
      const res = await stack.call('/v1/citizens/match', {
        ...as(counter, PURPOSE),
        method: 'POST',
        body: { fullName: someone.fullName, dateOfBirth: someone.dateOfBirth }
      })
      t.equal(res.status, 200)
      const [record] = await only(stack.audit, res.headers['x-request-id'] as string)
      const ids = res.json.candidates.map((c: { citizenId: string }) => c.citizenId)
      t.ok(ids.includes(someone.citizenId))
      t.same(record.citizenIds, ids)
      t.same(record.sources, [{ register: 'population', cache: 'none' }])
    })

    t.test('the records written through the gateway form a chain that verifies', async (t) => {
      t.same((await stack.audit.verify()).ok, true)
    })
  })
}

t.test('when the record cannot be written, the data is not sent', async (t) => {
  // A PostgreSQL that refuses connections: the store is configured, the database is down.
  const down = new PostgresAuditStore({
    url: 'postgres://postgres@127.0.0.1:1/none', signingKey: newSigningKey(), connectTimeoutMs: 500
  })
  t.teardown(() => down.close())
  const stack = await startStack(t, { audit: down, clients: [counter.record] })
  const res = await stack.call(`/v1/citizens/${someone.citizenId}`, as(counter, PURPOSE))
  t.equal(res.status, 503)
  t.equal(res.json.code, 'AUDIT_UNAVAILABLE')
  t.match(res.headers['content-type'], 'application/problem+json')
  t.equal(res.headers['retry-after'], '5')
  t.notOk(res.headers['x-audit-id'])
  t.notMatch(res.text, someone.fullName)
  t.notMatch(res.text, someone.citizenId)
  const ready = await stack.call('/readyz', { auth: false, purpose: false })
  t.equal(ready.status, 503)
  t.equal(ready.json.checks.audit, 'down')
  const failed = stack.logs.find((l) => l.msg === 'audit record not written: answer withheld')
  t.ok(failed, 'the failure is logged')
  t.notMatch(JSON.stringify(stack.logs), someone.citizenId, 'without the citizen id')
})

t.test('a store closed under the gateway withholds answers and keeps what it holds', async (t) => {
  const stack = await startStack(t, { clients: [counter.record] })
  const ok = await stack.call(`/v1/citizens/${someone.citizenId}`, as(counter, PURPOSE))
  t.equal(ok.status, 200)
  await stack.audit.close()
  const refused = await stack.call(`/v1/citizens/${someone.citizenId}`, as(counter, PURPOSE))
  t.equal(refused.status, 503)
  t.equal(refused.json.code, 'AUDIT_UNAVAILABLE')
  t.not(refused.headers.etag, ok.headers.etag, 'not the ETag of the withheld answer')
  t.notOk(refused.headers['x-cache'])
  const reopened = new SqliteAuditStore({
    file: stack.auditTarget!.location, verifyKeys: [stack.audit.publicKeyPem!]
  })
  t.teardown(() => reopened.close())
  const { records } = await reopened.query({})
  t.same(records.map((r) => r.requestId), [ok.headers['x-request-id']], 'the earlier record is intact')
  t.ok((await reopened.verify()).ok)
})
