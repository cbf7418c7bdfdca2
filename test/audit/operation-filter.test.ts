// One operation's records over a period, from the store and from the auditors'
// routes: how reuse statistics read the checks without a scan of the whole log.
// And what those routes serve of a check, intact or edited behind the store.
import t from 'tap'
import type { AuditRecord } from '../../src/audit/index.js'
import {
  appendInOrder, collect, makeStore, sampleCheck, tamper, type StoreKind
} from '../helpers/audit-stores.js'
import { auditor, callAs } from '../helpers/extra-clients.js'
import { startStack } from '../helpers/gateway-stack.js'
import { indexColumns } from './fixtures/v1-log.js'

const BASE = Date.parse('2026-06-01T00:00:00Z')
const HOUR_MS = 3_600_000

const CHECK = sampleCheck('satisfied', null, true)

// Ten records an hour apart; every third one (seq 1, 4, 7, 10) is a check.
const mixed = (i: number) => i % 3 === 0
  ? { operation: 'procedures.requirements', time: at(i), check: CHECK }
  : { operation: 'citizens.get', time: at(i) }

function at (hours: number): string {
  return new Date(BASE + hours * HOUR_MS).toISOString()
}

const seqs = (records: AuditRecord[]) => records.map((r) => r.seq)
const qs = (query: Record<string, string>) => new URLSearchParams(query).toString()

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: stream reads one operation over a period`, async (t) => {
    const { store, target, open } = await makeStore(t, kind)
    const paged = open({ pageSize: 2 })
    await appendInOrder(store, 10, mixed)
    const operation = 'procedures.requirements'

    const all = await collect(paged.stream({ operation }))
    const period = await collect(paged.stream({ operation, from: at(1), to: at(9) }))
    const others = await collect(paged.stream({ operation: 'citizens.get', to: at(3) }))

    t.same(seqs(all), [1, 4, 7, 10])
    t.same(seqs(period), [4, 7], '`from` inclusive, `to` exclusive')
    t.ok(period.every((r) => r.operation === operation && r.check !== null))
    t.same(seqs(others), [2, 3])
    t.equal(await indexColumns(target, 'audit_records_operation'), 'operation, seq')
  })

  t.test(`${kind}: the auditors' routes filter by operation`, async (t) => {
    const client = auditor()
    const stack = await startStack(t, { audit: kind, clients: [client.record] })
    const as = callAs(stack, client)
    await appendInOrder(stack.audit, 10, mixed)
    const filter = { operation: 'procedures.requirements', from: at(1), to: '2026-06-01T09:00:00Z' }

    const events = await as(`/v1/audit/events?${qs(filter)}`)
    const exported = await as(`/v1/audit/export?${qs(filter)}`)
    const bad = await as(`/v1/audit/events?${qs({ operation: 'Requirements Check' })}`)

    t.equal(events.status, 200)
    t.same(seqs(events.json.records), [4, 7])
    t.same(events.json.records.map((r: AuditRecord) => r.check), [CHECK, CHECK])
    t.equal(exported.status, 200)
    t.same(exported.text.trimEnd().split('\n').map((l) => JSON.parse(l)), events.json.records)
    t.equal(bad.status, 400)
    t.equal(bad.json.code, 'VALIDATION_FAILED')
    t.match(bad.json.errors[0].pointer, '/operation')
  })

  t.test(`${kind}: the events route serves a check edited behind the store`, async (t) => {
    const client = auditor()
    const stack = await startStack(t, { audit: kind, clients: [client.record] })
    const as = callAs(stack, client)
    await appendInOrder(stack.audit, 2, mixed)
    const edit = kind === 'sqlite' ? '\'{oops\'' : '\'{"forged": true}\''

    await tamper(stack.auditTarget!,
      `UPDATE audit_records SET check_result = ${edit} WHERE seq = 1`)
    const events = await as('/v1/audit/events')
    const verified = await as('/v1/audit/verify')

    t.equal(events.status, 200)
    t.same(events.json.records[0].check, kind === 'sqlite' ? '{oops' : { forged: true },
      'as the store reads it')
    t.equal(events.json.records[1].check, null)
    t.same(verified.json.firstBad, { seq: 1, id: 'aud_1', problem: 'hash-mismatch' })
  })
}
