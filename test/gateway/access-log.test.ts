// GET /v1/citizens/:citizenId/access-log: the citizen's own view of who read their
// data, against SQLite and PostgreSQL stores alike.
import t, { type Test } from 'tap'
import type { AuditEvent } from '../../src/audit/index.js'
import { appendInOrder, type StoreKind } from '../helpers/audit-stores.js'
import { auditor, callAs, extraClient } from '../helpers/extra-clients.js'
import { PURPOSE, READ_ALL, startStack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const KINDS: StoreKind[] = ['sqlite', 'postgres']
const PORTAL_PROCEDURE = 'CDG-CD-01'
const COVERT = 'CDG-TTR-01'
const DAY_MS = 24 * 60 * 60 * 1000
const P = personas()
const citizen = P.any().citizenId

const PORTAL_PURPOSE = { 'x-procedure-code': PORTAL_PROCEDURE, 'x-dossier-id': 'PORTAL-SESSION-1' }

interface Entry {
  id: string
  time: string
  agency: { clientId: string, name: string | null }
  procedure: { code: string, name: string | null }
  data: Array<{ register: string, parts: string[] }>
}

async function portalStack (t: Test, kind: StoreKind) {
  const portal = extraClient('portal', 'Cổng công dân (test)',
    ['citizen-portal'], [PORTAL_PROCEDURE])
  const inspector = extraClient('inspector', 'Đoàn thanh tra (test)',
    ['population:read', 'audit'], [COVERT])
  const audit = auditor()
  const stack = await startStack(t, {
    audit: kind, clients: [portal.record, inspector.record, audit.record]
  })
  const asPortal = callAs(stack, portal)
  const log = async (query = '', id = citizen) => {
    const res = await asPortal(`/v1/citizens/${id}/access-log${query}`, { headers: PORTAL_PURPOSE })
    t.equal(res.status, 200, `access log ${res.json?.code ?? 'answered'}`)
    return res.json as Page
  }
  const asInspector = callAs(stack, inspector)
  return { stack, log, asPortal, asInspector, asAuditor: callAs(stack, audit) }
}

interface Page { citizenId: string, entries: Entry[], nextCursor: string | null }

/** Walks every page of the log with `limit`, returning the pages' entry ids. */
async function walk (log: (query: string) => Promise<Page>, limit: number): Promise<string[][]> {
  const pages: string[][] = []
  let cursor: string | null = null
  do {
    const page = await log(`?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`)
    pages.push(page.entries.map((e) => e.id))
    cursor = page.nextCursor
  } while (cursor !== null)
  return pages
}

for (const kind of KINDS) {
  t.test(`${kind}: a read through the gateway shows agency, procedure and data kinds`, async (t) => {
    const { stack, log } = await portalStack(t, kind)
    const dossier = 'HS-SECRET-DOSSIER-77'
    const officer = 'CB-SECRET-OFFICER'
    const headers = { ...PURPOSE, 'x-dossier-id': dossier, 'x-officer-id': officer }

    const fields = 'identity.fullName,residence.permanent'
    const read = await stack.call(`/v1/citizens/${citizen}?fields=${fields}`, { headers })
    const civil = await stack.call(`/v1/citizens/${citizen}/civil-status`, { headers })
    const page = await log()

    t.equal(read.status, 200)
    t.equal(civil.status, 200)
    t.equal(page.citizenId, citizen)
    t.same(page.entries.map((e) => e.id), [read.headers['x-audit-id'], civil.headers['x-audit-id']],
      'oldest first')
    t.same(page.entries[0], {
      id: read.headers['x-audit-id'],
      time: page.entries[0].time,
      agency: { clientId: 'test-client', name: 'Test procedure system' },
      procedure: { code: READ_ALL.code, name: READ_ALL.name },
      data: [{ register: 'population', parts: ['identity', 'residence'] }]
    })
    t.same(page.entries[1].data.map((d) => d.register), ['civilStatus'])
    t.ok(page.entries[1].data[0].parts.includes('maritalStatus'))
    t.equal(page.nextCursor, null)
    const text = JSON.stringify(page)
    t.notMatch(text, dossier, 'no dossier id')
    t.notMatch(text, officer, 'no officer id')
  })

  t.test(`${kind}: a covert read is withheld from the citizen, not from auditors`, async (t) => {
    const { stack, log, asInspector, asAuditor } = await portalStack(t, kind)
    const open = await stack.call(`/v1/citizens/${citizen}`)
    const covert = await asInspector(`/v1/citizens/${citizen}`, {
      headers: { 'x-procedure-code': COVERT, 'x-dossier-id': 'TTR-2026-01' }
    })

    const page = await log('?limit=1')
    const audited = await asAuditor(`/v1/audit/events?citizenId=${citizen}&clientId=inspector`)

    t.equal(covert.status, 200)
    t.same(page.entries.map((e) => e.id), [open.headers['x-audit-id']])
    t.equal(page.nextCursor, null, 'no cursor pointing at what is withheld')
    t.notMatch(JSON.stringify(page), /inspector|TTR/)
    t.equal(audited.json.records.length, 1)
    const record = audited.json.records[0]
    t.equal(record.id, covert.headers['x-audit-id'])
    t.equal(record.procedureCode, COVERT)
    const days = (Date.parse(record.covertUntil) - Date.parse(record.time)) / DAY_MS
    t.equal(days, 180, 'withheld for the procedure\'s covertDays')
  })

  t.test(`${kind}: refused and failed requests are not in the citizen's log`, async (t) => {
    const { stack, log, asAuditor } = await portalStack(t, kind)
    // The test client may cite every procedure except covert ones.
    const refused = await stack.call(`/v1/citizens/${citizen}`, {
      headers: { ...PURPOSE, 'x-procedure-code': COVERT }
    })
    await stack.fault('population', { mode: 'unavailable', retryAfterSeconds: 0 })
    const failed = await stack.call(`/v1/citizens/${citizen}`)

    const page = await log()
    const audited = await asAuditor(`/v1/audit/events?citizenId=${citizen}&clientId=test-client`)

    t.equal(refused.status, 403)
    t.ok(failed.status >= 500, `failed with ${failed.status}`)
    t.same(page.entries, [])
    t.same(audited.json.records.map((r: { outcome: string }) => r.outcome), ['denied', 'failed'])
  })

  t.test(`${kind}: paging shows each visible read once, around withheld ones`, async (t) => {
    const { stack, log } = await portalStack(t, kind)
    const now = Date.now()
    const shown = (i: number) => i % 3 !== 1
    const hidden: Array<Partial<AuditEvent>> = [
      { outcome: 'denied', status: 403, reason: 'PROCEDURE_NOT_PERMITTED', fields: [] },
      { covertUntil: new Date(now + DAY_MS).toISOString() },
      { outcome: 'allowed', status: 404, fields: [] }
    ]
    const base = Date.parse('2025-06-01T00:00:00Z')
    const records = await appendInOrder(stack.audit, 20, (i) => ({
      time: new Date(base + i * 60_000).toISOString(),
      citizenIds: [citizen],
      clientId: 'client-gone',
      procedureCode: '1.000894',
      fields: ['population:identity.fullName'],
      ...(shown(i) ? {} : hidden[Math.floor(i / 3) % hidden.length]),
      // A covert read whose time has passed is shown like any other.
      ...(i === 0 ? { covertUntil: new Date(now - DAY_MS).toISOString() } : {})
    }))
    const expected = records.filter((_, i) => shown(i)).map((r) => r.id)

    // The portal's own reads of the log are recorded too: `to` leaves them out.
    const pages = await walk((q) => log(`${q}&to=2025-07-01`), 4)

    t.same(pages.flat(), expected)
    t.ok(pages.every((p) => p.length > 0 && p.length <= 4), 'no empty or oversized page')
    t.same(pages.map((p) => p.length), [4, 4, 4, 1])
  })

  t.test(`${kind}: kinds of data by register; a removed agency keeps its id`, async (t) => {
    const { stack, log } = await portalStack(t, kind)
    const [record] = await appendInOrder(stack.audit, 1, () => ({
      citizenIds: [citizen],
      clientId: 'agency-removed',
      procedureCode: '1.000894.000.00.00.H12',
      fields: [
        'population:identity.fullName', 'population:identity.sex',
        'population:residence.permanent', 'civilStatus:events.marriage',
        'vneid:account', 'vneid:driving-licence.number', 'verify:fullName'
      ],
      sources: [{ register: 'population', cache: 'hit' }]
    }))
    const [identifier] = await appendInOrder(stack.audit, 1, () => ({
      citizenIds: [citizen],
      operation: 'identifiers.resolve',
      fields: ['identifier', 'type', 'citizenId'],
      sources: [{ register: 'vneid', cache: 'none' }]
    }))

    const page = await log()

    t.same(page.entries[0], {
      id: record.id,
      time: record.time,
      agency: { clientId: 'agency-removed', name: null },
      procedure: { code: '1.000894.000.00.00.H12', name: 'Thủ tục đăng ký kết hôn' },
      data: [
        { register: 'population', parts: ['identity', 'residence'] },
        { register: 'civilStatus', parts: ['events'] },
        { register: 'vneid', parts: ['account', 'driving-licence'] },
        { register: 'verify', parts: ['fullName'] }
      ]
    })
    t.same(page.entries[1].id, identifier.id)
    t.same(page.entries[1].data,
      [{ register: 'vneid', parts: ['citizenId', 'identifier', 'type'] }])
  })

  t.test(`${kind}: reading the log is itself recorded and shown next time`, async (t) => {
    const { log, asPortal, asAuditor } = await portalStack(t, kind)

    const first = await asPortal(`/v1/citizens/${citizen}/access-log`, { headers: PORTAL_PURPOSE })
    const second = await log()
    const audited = await asAuditor('/v1/audit/events?clientId=portal')

    t.same(first.json.entries, [])
    t.ok(first.headers['x-audit-id'])
    t.same(second.entries.map((e) => e.id), [first.headers['x-audit-id']])
    t.same(second.entries[0].data, [{ register: 'audit', parts: ['accessLog'] }])
    t.match(audited.json.records[0], {
      operation: 'citizens.access-log', citizenIds: [citizen], procedureCode: PORTAL_PROCEDURE
    })
  })
}

t.test('the access log needs the citizen-portal scope and the purpose headers', async (t) => {
  const { stack, asPortal } = await portalStack(t, 'sqlite')

  const counter = await stack.call(`/v1/citizens/${citizen}/access-log`)
  const noPurpose = await asPortal(`/v1/citizens/${citizen}/access-log`)
  const badId = await asPortal('/v1/citizens/123/access-log', { headers: PORTAL_PURPOSE })

  t.equal(counter.status, 403)
  t.equal(counter.json.code, 'SCOPE_MISSING')
  t.equal(noPurpose.status, 400)
  t.equal(noPurpose.json.code, 'PURPOSE_MISSING')
  t.equal(badId.json.code, 'INVALID_CITIZEN_ID')
})

t.test('a bad cursor, limit or time gets a 400 problem', async (t) => {
  const { asPortal } = await portalStack(t, 'sqlite')
  const cursor = Buffer.from('v1:x').toString('base64url')
  const cases: Array<[string, string]> = [
    [`cursor=${cursor}`, 'AUDIT_QUERY_INVALID'],
    ['limit=0', 'VALIDATION_FAILED'],
    ['from=2026-02-31T25:00Z', 'AUDIT_QUERY_INVALID'],
    ['officerId=CB-1', 'VALIDATION_FAILED']
  ]
  for (const [query, code] of cases) {
    const res = await asPortal(`/v1/citizens/${citizen}/access-log?${query}`,
      { headers: PORTAL_PURPOSE })
    t.equal(res.status, 400, query)
    t.equal(res.json.code, code, query)
  }
})
