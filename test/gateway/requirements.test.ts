import t from 'tap'
import type { StoreKind } from '../helpers/audit-stores.js'
import type { Procedure } from '../../src/access/catalogue.js'
import { checkRequirements } from '../../src/gateway/services/requirements.js'
import { READ_ALL, startStack, type Reply, type Stack } from '../helpers/gateway-stack.js'
import { extraClient } from '../helpers/extra-clients.js'

// The once-only check through real simulators: each status and reason, read from the
// answer and from the audit record the check left.

const MARRIAGE = '1.000894'
const BIRTH = '1.001193'
const DEATH = '1.000656'
const LICENCE_RENEWAL = 'CDG-GPLX-01'
const CHILD_PROCEDURE = 'CDG-HC-01'

// Personas (fixtures/sandbox.json describes each).
const DIVORCED_WITH_CONFIRMATION = '038076000005'
const SINGLE_ADULT = '038306000025'
const REGISTERS_DISAGREE = '030080000021'
const SINGLE_MOTHER = '031190000009' // her driving licence is revoked
const TWINS_FATHER = '048087000015'
const TWINS_MOTHER = '049190000016'
const EXPIRED_CARD = '025082000010'
const NO_VNEID = '020072000012'
const DECEASED = '040047000007'
const MINOR = '001215000003'
const ADULT = '001085000001' // lives in Cầu Giấy (MC-HN-02's commune)
const NOBODY = '001099009999' // well formed, held by no register
const UNREAD = '040098000018'
const NO_CONSENT = '036188000002' // an active health insurance card, no consent
const LICENSED = '006093000020' // an active driving licence

const counter = extraClient('counter', 'System counter', ['population:read', 'civil-status:read', 'documents:read', 'requirements:check'], ['*'])
const blind = extraClient('blind', 'System blind', ['requirements:check'], ['*'])
const walletOnly = extraClient('wallet-only', 'System wallet-only', ['documents:read', 'requirements:check'], ['*'])
const reader = extraClient('reader', 'System reader', ['population:read', 'civil-status:read', 'documents:read'], ['*'])
const auditor = extraClient('auditor', 'System auditor', ['audit'])

type Parties = Record<string, string>

interface Item {
  requirementId: string
  documentType: string
  role: string
  status: string
  reason?: string
  source?: string
  reference?: string
  condition?: { party: string, is: string }
  basis?: string
  signature?: string
  cache?: string
  retrievedAt?: string
}

function check (stack: Stack, code: string, parties: Parties,
  opts: { who?: { key: string }, headers?: Record<string, string> } = {}): Promise<Reply> {
  return stack.call(`/v1/procedures/${code}/requirements`, {
    method: 'POST',
    auth: false,
    purpose: false,
    headers: {
      authorization: `Bearer ${(opts.who ?? counter).key}`,
      'x-procedure-code': code,
      'x-dossier-id': `HS-${code}-${Object.values(parties).join('-')}`,
      ...opts.headers
    },
    body: { parties: Object.entries(parties).map(([role, citizenId]) => ({ role, citizenId })) }
  })
}

function item (res: Reply, requirementId: string, role: string): Item {
  const found = (res.json.requirements as Item[]).find((r) => r.requirementId === requirementId && r.role === role)
  if (found === undefined) throw new Error(`no ${requirementId} for ${role}`)
  return found
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: requirement checks`, async (t) => {
    let stack: Stack
    t.before(async () => {
      stack = await startStack(t, {
        audit: kind, clients: [counter.record, blind.record, walletOnly.record, reader.record, auditor.record]
      })
    })

    t.test('a marriage checks both parties in one call and leaves one audit record', async (t) => {
      const res = await check(stack, MARRIAGE, { applicant: DIVORCED_WITH_CONFIRMATION, spouse: SINGLE_ADULT })
      t.equal(res.status, 200)
      t.same(res.json.parties, [
        { role: 'applicant', citizenId: DIVORCED_WITH_CONFIRMATION, held: true },
        { role: 'spouse', citizenId: SINGLE_ADULT, held: true }
      ])
      for (const role of ['applicant', 'spouse']) {
        t.match(item(res, 'application-form', role), { status: 'must-submit', reason: 'no-source' })
        t.match(item(res, 'party-residence', role), {
          status: 'satisfied', source: 'population', reference: `/v1/citizens/${res.json.parties.find((p: Item) => p.role === role).citizenId}`
        })
        t.match(item(res, 'marital-status', role), { status: 'satisfied', source: 'civilStatus' })
      }
      t.match(item(res, 'applicant-divorce-judgment', 'applicant'), {
        status: 'satisfied', source: 'civilStatus', reference: new RegExp(`^/v1/citizens/${DIVORCED_WITH_CONFIRMATION}/civil-status#`)
      })
      t.same(item(res, 'applicant-death-certificate', 'applicant').condition,
        { party: 'applicant', is: 'widowed' }, 'a divorcee needs no death certificate')
      t.equal(item(res, 'spouse-divorce-judgment', 'spouse').status, 'not-applicable')
      const satisfied = (res.json.requirements as Item[]).filter((r) => r.status === 'satisfied')
      for (const s of satisfied) {
        t.ok(s.reference !== undefined && s.retrievedAt !== undefined && s.cache !== undefined,
          `${s.requirementId}: a reference and its freshness`)
      }
      const counts = res.json.summary
      t.equal(counts.satisfied, satisfied.length)
      t.equal(counts.required, counts.satisfied + counts.mustSubmit)
      t.equal(counts.required + counts.notApplicable, res.json.requirements.length)

      const { records } = await stack.audit.query({ dossierId: `HS-${MARRIAGE}-${DIVORCED_WITH_CONFIRMATION}-${SINGLE_ADULT}` })
      t.equal(records.length, 1, 'one record for the whole check')
      const [record] = records
      t.equal(res.headers['x-audit-id'], record.id)
      t.same(record.citizenIds, [DIVORCED_WITH_CONFIRMATION, SINGLE_ADULT])
      t.equal(record.operation, 'procedures.requirements')
      t.same(record.check?.parties, [
        { role: 'applicant', citizenId: DIVORCED_WITH_CONFIRMATION }, { role: 'spouse', citizenId: SINGLE_ADULT }
      ])
      t.same(record.check?.items.map((i) => [i.requirementId, i.role, i.status, i.reason]),
        (res.json.requirements as Item[]).map((r) => [r.requirementId, r.role, r.status, r.reason ?? null]),
        'the record names each document and party reported, with its status')
      t.ok(record.fields.includes('requirements:id-card'), 'and the document types')
    })

    t.test('registers that disagree on marital status settle nothing', async (t) => {
      const res = await check(stack, MARRIAGE, { applicant: REGISTERS_DISAGREE, spouse: SINGLE_ADULT })
      t.match(item(res, 'marital-status', 'applicant'), { status: 'must-submit', reason: 'conflicting-registers' })
      t.match(item(res, 'applicant-divorce-judgment', 'applicant'), { status: 'must-submit', reason: 'conflicting-registers' },
        'a condition on a disputed status cannot be decided either')
      t.equal(item(res, 'marital-status', 'spouse').status, 'satisfied')
    })

    t.test('a birth registration: the newborn\'s parents, the father optional', async (t) => {
      const single = await check(stack, BIRTH, { applicant: SINGLE_MOTHER, mother: SINGLE_MOTHER })
      t.equal(single.status, 200)
      t.match(item(single, 'birth-medical-certificate', 'mother'), { status: 'must-submit', reason: 'no-source' })
      t.match(item(single, 'mother-residence', 'mother'), { status: 'satisfied', source: 'population' })
      const father = item(single, 'parent-id-card', 'father')
      t.equal(father.status, 'not-applicable')
      t.equal(father.condition, undefined, 'no condition: the dossier has no father')
      t.same(item(single, 'parents-marriage-certificate', 'mother').condition, { party: 'mother', is: 'married' })

      const married = await check(stack, BIRTH, { applicant: TWINS_FATHER, mother: TWINS_MOTHER, father: TWINS_FATHER })
      for (const role of ['mother', 'father']) {
        t.match(item(married, 'parents-marriage-certificate', role), {
          status: 'satisfied', source: 'civilStatus', reference: /civil-status#/
        })
      }
    })

    t.test('a party no register holds', async (t) => {
      const res = await check(stack, BIRTH, { applicant: SINGLE_MOTHER, mother: SINGLE_MOTHER, father: NOBODY })
      t.same(res.json.parties.find((p: { role: string }) => p.role === 'father'), { role: 'father', citizenId: NOBODY, held: false })
      t.match(item(res, 'parent-id-card', 'father'), { status: 'must-submit', reason: 'party-unknown' })
    })

    t.test('documents the wallet cannot vouch for', async (t) => {
      const expired = await check(stack, DEATH, { applicant: EXPIRED_CARD, deceased: DECEASED })
      t.match(item(expired, 'applicant-id-card', 'applicant'), { status: 'must-submit', reason: 'expired' })
      t.match(item(expired, 'deceased-identity', 'deceased'), { status: 'satisfied', source: 'population' })
      t.match(item(expired, 'death-notice', 'deceased'), { status: 'must-submit', reason: 'no-source' })

      const revoked = await check(stack, LICENCE_RENEWAL, { applicant: SINGLE_MOTHER })
      t.match(item(revoked, 'current-licence', 'applicant'), { status: 'must-submit', reason: 'revoked' })

      const none = await check(stack, DEATH, { applicant: NO_VNEID, deceased: DECEASED })
      t.match(item(none, 'applicant-id-card', 'applicant'), { status: 'must-submit', reason: 'not-held' })
    })

    t.test('a condition on age', async (t) => {
      const minor = await check(stack, CHILD_PROCEDURE, { applicant: MINOR })
      t.match(item(minor, 'minor-birth-certificate', 'applicant'), { status: 'satisfied', source: 'civilStatus' })
      const adult = await check(stack, CHILD_PROCEDURE, { applicant: ADULT })
      t.same(item(adult, 'minor-birth-certificate', 'applicant').condition, { party: 'applicant', is: 'minor' })
    })

    t.test('the gateway reads only what the client and procedure may read', async (t) => {
      const res = await check(stack, DEATH, { applicant: ADULT, deceased: DECEASED }, { who: blind })
      t.equal(res.status, 200)
      t.match(item(res, 'applicant-id-card', 'applicant'), { status: 'must-submit', reason: 'not-permitted' })
      t.match(item(res, 'deceased-identity', 'deceased'), { status: 'must-submit', reason: 'not-permitted' })
      t.same(res.json.parties.map((p: { held: boolean | null }) => p.held), [null, null],
        'a client that may not read identities is not told who exists')
      const [record] = (await stack.audit.query({ dossierId: `HS-${DEATH}-${ADULT}-${DECEASED}`, clientId: 'blind' })).records
      t.same(record.sources, [], 'no register was read for it')
      const refused = await check(stack, DEATH, { applicant: ADULT, deceased: DECEASED }, { who: reader })
      t.equal(refused.status, 403)
      t.equal(refused.json.code, 'SCOPE_MISSING')
    })

    t.test('without the population register, a wallet that is not there is not held', async (t) => {
      const res = await check(stack, DEATH, { applicant: NO_VNEID, deceased: DECEASED }, { who: walletOnly })
      t.match(item(res, 'applicant-id-card', 'applicant'), { status: 'must-submit', reason: 'not-held' })
      t.match(item(res, 'deceased-identity', 'deceased'), { status: 'must-submit', reason: 'not-permitted' })
      t.same(res.json.parties.map((p: { held: boolean | null }) => p.held), [null, null],
        'whether the citizen exists is the population register\'s to say')
    })

    t.test('a register that is down is said so, per document', async (t) => {
      await stack.fault('vneid', { mode: 'unavailable', retryAfterSeconds: 0 })
      // A citizen no earlier check read, so no copy of the wallet is in the cache.
      const res = await check(stack, DEATH, { applicant: UNREAD, deceased: DECEASED }, { headers: { 'x-dossier-id': 'HS-DOWN-1' } })
      await stack.fault('vneid', { mode: 'none' })
      t.equal(res.status, 200)
      t.match(item(res, 'applicant-id-card', 'applicant'), { status: 'must-submit', reason: 'register-unavailable' })
      t.match(item(res, 'deceased-identity', 'deceased'), { status: 'satisfied' })
    })

    t.test('malformed checks get problems, not answers', async (t) => {
      const cases: Array<[string, Parties, Record<string, string>, number, string]> = [
        [MARRIAGE, { applicant: ADULT }, {}, 400, 'PARTY_MISSING'],
        [MARRIAGE, { applicant: ADULT, spouse: SINGLE_ADULT, child: MINOR }, {}, 400, 'PARTY_INVALID'],
        [MARRIAGE, { applicant: '12345', spouse: SINGLE_ADULT }, {}, 400, 'INVALID_CITIZEN_ID'],
        [MARRIAGE, { applicant: ADULT, spouse: SINGLE_ADULT }, { 'x-procedure-code': BIRTH }, 400, 'PROCEDURE_MISMATCH'],
        ['9.999999', { applicant: ADULT }, { 'x-procedure-code': MARRIAGE }, 404, 'PROCEDURE_NOT_FOUND']
      ]
      for (const [code, parties, headers, status, problem] of cases) {
        const res = await check(stack, code, parties, { headers })
        t.equal(res.status, status, problem)
        t.equal(res.json.code, problem)
        t.notMatch(res.text, /"requirements"/)
      }
    })

    t.test('reuse statistics come from the audit records of the checks', async (t) => {
      const from = new Date(Date.now() - 60_000).toISOString()
      const near = await check(stack, MARRIAGE, { applicant: ADULT, spouse: SINGLE_ADULT },
        { headers: { 'x-counter-code': 'MC-HN-02', 'x-dossier-id': 'STATS-1' } })
      await check(stack, MARRIAGE, { applicant: ADULT, spouse: SINGLE_ADULT },
        { headers: { 'x-counter-code': 'MC-HN-02', 'x-dossier-id': 'STATS-1' } })
      const far = await check(stack, DEATH, { applicant: EXPIRED_CARD, deceased: DECEASED },
        { headers: { 'x-counter-code': 'MC-HN-01', 'x-dossier-id': 'STATS-2' } })
      const to = new Date(Date.now() + 60_000).toISOString()
      const res = await stack.call(`/v1/stats/reuse?from=${from}&to=${to}`, {
        auth: false, purpose: false, headers: { authorization: `Bearer ${auditor.key}` }
      })
      t.equal(res.status, 200)
      const mc02 = res.json.byCounter.find((c: { counterCode: string }) => c.counterCode === 'MC-HN-02')
      t.match(mc02, {
        dossiers: 1, required: near.json.summary.required, satisfied: near.json.summary.satisfied
      }, 'a dossier checked twice counts once')
      t.ok(mc02.name.includes('Cầu Giấy'))
      const mc01 = res.json.byCounter.find((c: { counterCode: string }) => c.counterCode === 'MC-HN-01')
      t.match(mc01, { dossiers: 1, required: far.json.summary.required, satisfied: far.json.summary.satisfied })
      const marriage = res.json.byProcedure.find((p: { procedureCode: string }) => p.procedureCode === MARRIAGE)
      t.ok(marriage.dossiers >= 1)
      t.ok(res.json.outsideResidence.dossiers >= 1, 'the Hoàn Kiếm counter is outside the applicant\'s commune')
      t.equal(res.json.total.required, res.json.byDay.reduce((n: number, d: { required: number }) => n + d.required, 0))
      const forbidden = await stack.call(`/v1/stats/reuse?from=${from}&to=${to}`, {})
      t.equal(forbidden.status, 403, 'the stats need the audit scope')
    })
  })
}

// What changes in VNeID between two checks of one dossier reaches the second check at
// once, through the change event that drops the cached wallet.
t.test('changes between two checks of one dossier', async (t) => {
  const stack = await startStack(t, { clients: [counter.record] })
  const HEALTH = 'CDG-BHYT-01'
  const LICENCE = 'DOC-P-0037' // Triệu Văn Quân's active driving licence
  const cardOf = async (citizenId: string) =>
    item(await check(stack, HEALTH, { applicant: citizenId }), 'health-insurance-card', 'applicant')

  t.test('consent granted, then revoked', async (t) => {
    const before = await cardOf(NO_CONSENT)
    const grant = await stack.change('vneid', '/consents', {
      citizenId: NO_CONSENT,
      consentId: 'CONS-TEST-REQ',
      grantee: { procedureCode: HEALTH },
      documentTypes: ['health-insurance'],
      validUntil: '2031-01-01'
    })
    const granted = await cardOf(NO_CONSENT)
    const revoke = await stack.change('vneid', '/consents/revoke', { citizenId: NO_CONSENT, consentId: 'CONS-TEST-REQ' })
    const revoked = await cardOf(NO_CONSENT)

    t.match(before, { status: 'must-submit', reason: 'no-consent' })
    t.equal(grant.json.delivered, 1)
    t.match(granted, { status: 'satisfied', source: 'vneid', basis: 'consent', signature: 'verified', cache: 'miss' })
    t.equal(revoke.json.delivered, 1)
    t.match(revoked, { status: 'must-submit', reason: 'no-consent' })
  })

  t.test('a consent to another client does not count', async (t) => {
    await stack.change('vneid', '/consents', {
      citizenId: NO_CONSENT,
      consentId: 'CONS-TEST-OTHER',
      grantee: { clientId: 'someone-else' },
      documentTypes: ['health-insurance'],
      validUntil: '2031-01-01'
    })
    t.match(await cardOf(NO_CONSENT), { status: 'must-submit', reason: 'no-consent' })
  })

  t.test('a document tampered with between two checks', async (t) => {
    const licenceOf = async () =>
      item(await check(stack, LICENCE_RENEWAL, { applicant: LICENSED }), 'current-licence', 'applicant')
    const before = await licenceOf()
    const tamper = await stack.change('vneid', '/documents/tamper', {
      citizenId: LICENSED, documentId: LICENCE, changes: { data: { classes: ['A1', 'B2', 'C'] } }
    })
    const after = await licenceOf()

    t.match(before, { status: 'satisfied', signature: 'verified', reference: `/v1/citizens/${LICENSED}/documents/${LICENCE}` })
    t.equal(tamper.json.delivered, 1)
    t.match(after, { status: 'must-submit', reason: 'signature-invalid' })
    t.equal(after.reference, undefined, 'no reference to a document the gateway will not serve')
  })

  t.test('a document moved between states', async (t) => {
    const seen: Array<[string, string | undefined]> = []
    for (const status of ['pending', 'revoked', 'active']) {
      await stack.change('vneid', '/documents/status', { citizenId: SINGLE_ADULT, documentId: 'DOC-P-0012', status })
      const card = item(await check(stack, MARRIAGE, { applicant: DIVORCED_WITH_CONFIRMATION, spouse: SINGLE_ADULT }),
        'party-id-card', 'spouse')
      seen.push([card.status, card.reason])
    }
    t.same(seen, [
      ['must-submit', 'pending-integration'], ['must-submit', 'revoked'], ['satisfied', undefined]
    ])
  })
})

// No procedure of the catalogue reads a marital-status confirmation (the registers'
// agreed status replaces the paper), but the check can, and one past its validUntil
// is expired. The service is called with a fixed day, so the answer does not change
// with the calendar; the registers are the real simulators.
t.test('a marital-status confirmation is satisfied until its validUntil, then expired', async (t) => {
  const stack = await startStack(t)
  const procedure: Procedure = {
    ...READ_ALL,
    code: 'TEST-MSC',
    requirements: [{
      id: 'confirmation',
      name: 'Giấy xác nhận tình trạng hôn nhân',
      documentType: 'marital-status-confirmation',
      parties: ['applicant'],
      condition: null,
      source: { register: 'civilStatus', event: 'marital-status-confirmation' }
    }]
  }
  const onDay = async (day: string) => {
    const answer = await checkRequirements(stack.app.registers, procedure,
      [{ role: 'applicant', citizenId: DIVORCED_WITH_CONFIRMATION }], {
        clientId: 'test-client',
        allowed: new Set(['population:identity.fullName', 'civilStatus:events.marital-status-confirmation']),
        counterCommune: null,
        now: Date.parse(`${day}T12:00:00+07:00`)
      })
    return answer.requirements[0]
  }
  // EV-P-0006, issued 2026-09-10, valid until 2027-03-11.
  t.match(await onDay('2027-03-11'), {
    status: 'satisfied', source: 'civilStatus', reference: `/v1/citizens/${DIVORCED_WITH_CONFIRMATION}/civil-status#EV-P-0006`
  })
  t.match(await onDay('2027-03-12'), { status: 'must-submit', reason: 'expired' })
})

t.test('the citizen sees a check in their access log as the document types it looked at', async (t) => {
  const portal = extraClient('portal', 'Cổng công dân (test)', ['citizen-portal'], ['CDG-CD-01'])
  const stack = await startStack(t, { clients: [counter.record, portal.record] })
  const res = await check(stack, MARRIAGE, { applicant: DIVORCED_WITH_CONFIRMATION, spouse: SINGLE_ADULT })
  const log = await stack.call(`/v1/citizens/${SINGLE_ADULT}/access-log`, {
    headers: { authorization: `Bearer ${portal.key}`, 'x-procedure-code': 'CDG-CD-01' }
  })

  t.equal(res.status, 200)
  t.equal(log.status, 200)
  const entry = log.json.entries.find((e: { id: string }) => e.id === res.headers['x-audit-id'])
  const types = [...new Set((res.json.requirements as Item[]).map((r) => r.documentType))].sort()
  t.same(entry?.data, [{ register: 'requirements', parts: types }])
  t.match(entry, { agency: { clientId: 'counter' }, procedure: { code: MARRIAGE } })
  t.notMatch(log.text, /must-submit|satisfied|no-source/, 'statuses stay with the counter')
})
