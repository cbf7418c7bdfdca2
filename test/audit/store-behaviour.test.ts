// The AuditStore contract, run against SQLite and PostgreSQL alike.
import { verify as verifySignature, createPublicKey } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import {
  AuditClosedError, AuditEventError, AuditQueryError, keyIdOf, toCsv, toJsonLines,
  type AuditRecord
} from '../../src/audit/index.js'
import {
  appendInOrder, auditEvent, collect, makeStore, openStore, type StoreKind
} from '../helpers/audit-stores.js'

const ZEROS = '0'.repeat(64)

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind} audit store`, async (t) => {
    t.test('append chains records from seq 1 with gap-free ids', async (t) => {
      const { store } = await makeStore(t, kind)

      const [first, second] = await appendInOrder(store, 2)

      t.match(first, { seq: 1, id: 'aud_1', prevHash: ZEROS, hash: /^[0-9a-f]{64}$/ })
      t.match(second, { seq: 2, id: 'aud_2', prevHash: first!.hash })
      t.not(second!.hash, first!.hash)
      t.same((await store.query({})).records, [first, second], 'stored as returned')
    })

    t.test('append keeps the event as given, with its time normalised', async (t) => {
      const { store } = await makeStore(t, kind)
      const event = auditEvent({
        time: '2025-03-01T09:30:00+07:00',
        citizenIds: ['001090000001', '001090000002'],
        sources: [
          { register: 'vneid', cache: 'stale' },
          { register: 'civilStatus', cache: 'hit' }
        ],
        outcome: 'denied',
        status: 403,
        reason: 'PURPOSE_INVALID',
        covertUntil: '2026-01-01',
        officerId: null
      })

      const record = await store.append(event)
      const [stored] = (await store.query({})).records

      t.same(stored, record)
      t.same(stored, {
        ...event,
        time: '2025-03-01T02:30:00.000Z',
        covertUntil: '2026-01-01T00:00:00.000Z',
        check: null,
        seq: 1,
        id: 'aud_1',
        prevHash: ZEROS,
        hash: record.hash
      })
    })

    t.test('append refuses a malformed event and stores nothing', async (t) => {
      const { store } = await makeStore(t, kind)
      const bad = [
        auditEvent({ citizenIds: [''] }),
        auditEvent({ time: 'yesterday' }),
        auditEvent({ outcome: 'maybe' as never }),
        auditEvent({ sources: [{ register: 'tax', cache: 'hit' } as never] }),
        auditEvent({ status: 1200 })
      ]

      for (const event of bad) {
        await t.rejects(store.append(event), AuditEventError)
      }
      const error = await store.append(auditEvent({ citizenIds: ['0010900'.repeat(80)] })).catch((e) => e)

      t.equal(error.code, 'AUDIT_EVENT_INVALID')
      t.notMatch(error.message, /0010900/, 'names the field, not the value')
      t.same((await store.query({})).records, [])
      t.equal((await store.append(auditEvent())).seq, 1, 'refusals took no seq')
    })

    t.test('query filters by each criterion', async (t) => {
      const { store } = await makeStore(t, kind)
      const base = Date.parse('2025-05-01T00:00:00Z')
      await appendInOrder(store, 6, (i) => ({
        time: new Date(base + i * 60_000).toISOString(),
        citizenIds: i === 2 ? ['A', 'B'] : [i % 2 === 0 ? 'A' : 'C'],
        clientId: i < 3 ? 'client-1' : 'client-2',
        officerId: i === 4 ? 'officer-x' : null,
        procedureCode: i === 5 ? '2.002' : '1.001',
        dossierId: `HS-${i}`,
        operation: i === 1 || i === 4 ? 'procedures.requirements' : 'citizens.get',
        outcome: i === 3 ? 'denied' : 'allowed'
      }))
      const seqs = async (filter: object) =>
        (await store.query(filter)).records.map((r) => r.seq)

      t.same(await seqs({}), [1, 2, 3, 4, 5, 6])
      t.same(await seqs({ citizenId: 'A' }), [1, 3, 5])
      t.same(await seqs({ citizenId: 'B' }), [3])
      t.same(await seqs({ clientId: 'client-2' }), [4, 5, 6])
      t.same(await seqs({ officerId: 'officer-x' }), [5])
      t.same(await seqs({ procedureCode: '2.002' }), [6])
      t.same(await seqs({ dossierId: 'HS-1' }), [2])
      t.same(await seqs({ outcome: 'denied' }), [4])
      t.same(await seqs({ operation: 'procedures.requirements' }), [2, 5])
      t.same(await seqs({ operation: 'requirements' }), [], 'the whole name, not a prefix')
      t.same(await seqs({ from: '2025-05-01T00:02:00Z', to: '2025-05-01T00:04:00Z' }), [3, 4])
      t.same(await seqs({ from: '2025-05-01T07:03:00+07:00' }), [4, 5, 6])
      t.same(await seqs({ citizenId: 'A', clientId: 'client-2' }), [5])
      t.same(await seqs({ citizenId: 'nobody' }), [])
    })

    t.test('query pages with an opaque cursor until it is null', async (t) => {
      const { store } = await makeStore(t, kind)
      await appendInOrder(store, 25, (i) => ({ citizenIds: [i % 5 === 0 ? 'P' : 'Q'] }))

      const pages: number[][] = []
      let cursor: string | null = null
      do {
        const page = await store.query({}, { limit: 10, cursor })
        pages.push(page.records.map((r) => r.seq))
        cursor = page.nextCursor
      } while (cursor !== null)
      const filtered = await store.query({ citizenId: 'P' }, { limit: 4 })
      const rest = await store.query({ citizenId: 'P' },
        { limit: 4, cursor: filtered.nextCursor })

      t.same(pages.map((p) => p.length), [10, 10, 5])
      t.same(pages.flat(), Array.from({ length: 25 }, (_, i) => i + 1))
      t.same(filtered.records.map((r) => r.seq), [1, 6, 11, 16])
      t.same(rest, { records: [await one(store, 21)], nextCursor: null })
    })

    t.test('query refuses a bad cursor, limit or filter', async (t) => {
      const { store } = await makeStore(t, kind)

      await t.rejects(store.query({}, { cursor: 'not-a-cursor' }), AuditQueryError)
      await t.rejects(store.query({}, { limit: 0 }), AuditQueryError)
      await t.rejects(store.query({}, { limit: 1001 }), AuditQueryError)
      await t.rejects(store.query({ outcome: 'perhaps' as never }), AuditQueryError)
      await t.rejects(store.query({ from: 'last week' }), AuditQueryError)
      await t.rejects(store.query({ operation: '' }), AuditQueryError)
      await t.rejects(store.query({ name: 'x' } as never), AuditQueryError)
    })

    t.test('stream yields every match in seq order, reading page by page', async (t) => {
      const { store, open } = await makeStore(t, kind)
      const paged = open({ pageSize: 3 })
      await appendInOrder(store, 10, (i) => ({ clientId: i % 3 === 0 ? 'x' : 'y' }))

      const all = await collect(paged.stream({}))
      const xs = await collect(paged.stream({ clientId: 'x' }))
      const seen: number[] = []
      for await (const record of paged.stream({ clientId: 'y' })) {
        seen.push(record.seq)
        // Appended after the stream began: only a stream that reads lazily, a
        // page at a time, can see it.
        if (record.seq === 2) await store.append(auditEvent({ clientId: 'y' }))
      }

      t.same(all.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      t.same(xs.map((r) => r.seq), [1, 4, 7, 10])
      t.same(seen, [2, 3, 5, 6, 8, 9, 11])
    })

    t.test('exports records as JSON lines and as RFC 4180 CSV', async (t) => {
      const { store } = await makeStore(t, kind)
      await appendInOrder(store, 2, (i) => i === 0
        ? {}
        : {
            citizenIds: ['A', 'B'],
            fields: ['identity.fullName', 'documents[0].number'],
            sources: [
              { register: 'population', cache: 'hit' },
              { register: 'vneid', cache: 'none' }
            ],
            outcome: 'failed',
            status: 503,
            reason: 'UPSTREAM "vneid", retry\nlater',
            officerId: null,
            check: {
              parties: [{ role: 'applicant', citizenId: 'A' }],
              items: [{
                requirementId: 'applicant-id-card',
                documentType: 'id-card',
                role: 'applicant',
                status: 'must-submit',
                reason: 'expired',
                source: 'vneid'
              }],
              outsideResidence: null
            }
          })
      const records = await collect(store.stream({}))

      const jsonl = (await collect(toJsonLines(store.stream({})))).join('')
      const csv = (await collect(toCsv(records))).join('')
      const rows = parseCsv(csv)

      t.same(jsonl.trimEnd().split('\n').map((line) => JSON.parse(line)), records)
      t.ok(jsonl.endsWith('}\n'))
      t.ok(csv.endsWith('\r\n'), 'CRLF line ends')
      t.equal(rows.length, 3, 'header and two records')
      t.same(rows[0]!.slice(0, 3), ['seq', 'id', 'time'])
      t.same(rows[0]!.slice(-4), ['responseHash', 'check', 'prevHash', 'hash'])
      const first = Object.fromEntries(rows[0]!.map((name, i) => [name, rows[1]![i]]))
      const second = Object.fromEntries(rows[0]!.map((name, i) => [name, rows[2]![i]]))
      t.match(second, {
        seq: '2',
        citizenIds: 'A;B',
        fields: 'identity.fullName;documents[0].number',
        sources: 'population:hit;vneid:none',
        reason: 'UPSTREAM "vneid", retry\nlater',
        officerId: '',
        status: '503',
        hash: records[1]!.hash
      })
      t.match(csv, /,"UPSTREAM ""vneid"", retry\nlater",/, 'quoted, quotes doubled')
      t.equal(first.check, '', 'no check: an empty field')
      t.same(JSON.parse(second.check!), records[1]!.check, 'the check as one JSON text')
      t.equal(second.check, '{"items":[{"documentType":"id-card","reason":"expired",' +
        '"requirementId":"applicant-id-card","role":"applicant","source":"vneid",' +
        '"status":"must-submit"}],"outsideResidence":null,' +
        '"parties":[{"citizenId":"A","role":"applicant"}]}', 'keys sorted, as hashed')
    })

    t.test('a checkpoint is signed every N records, and on close', async (t) => {
      const { store, target, key } = await makeStore(t, kind, { checkpointEvery: 10 })
      const records = await appendInOrder(store, 25)

      const during = await store.checkpoints()
      await store.close()
      const reader = openStore(target, { verifyKeys: [store.publicKeyPem!] })
      t.teardown(() => reader.close())
      const after = await reader.checkpoints()
      const publicKey = createPublicKey(key)

      t.same(during.map((c) => c.seq), [10, 20])
      t.same(after.map((c) => c.seq), [10, 20, 25])
      t.equal(store.keyId, keyIdOf(publicKey))
      for (const cp of after) {
        t.equal(cp.hash, records[cp.seq - 1]!.hash)
        t.equal(cp.keyId, store.keyId)
        const text = `audit-checkpoint/v1\nseq=${cp.seq}\nhash=${cp.hash}\ntime=${cp.time}`
        t.ok(verifySignature(null, Buffer.from(text),
          createPublicKey(store.publicKeyPem!), Buffer.from(cp.signature, 'base64')))
      }
    })

    t.test('a checkpoint follows within the interval when records are unchecked', async (t) => {
      const { store } = await makeStore(t, kind, { checkpointIntervalMs: 150 })
      await appendInOrder(store, 3)

      await sleep(450)
      const first = await store.checkpoints()
      await sleep(450)
      const idle = await store.checkpoints()

      // A slow append may let the timer check an earlier record first; what matters
      // is that the last one is checked within the interval.
      t.equal(first.at(-1)?.seq, 3)
      t.same(idle.map((c) => c.seq), first.map((c) => c.seq), 'none while nothing new is written')
    })

    t.test('close waits for appends already made', async (t) => {
      const { store, open } = await makeStore(t, kind)

      const pending = Array.from({ length: 50 }, () => store.append(auditEvent()))
      await store.close()
      const records = await Promise.all(pending)
      const reopened = open()

      t.same(records.map((r) => r.seq), Array.from({ length: 50 }, (_, i) => i + 1))
      t.equal((await reopened.query({}, { limit: 100 })).records.length, 50)
      await t.rejects(store.append(auditEvent()), AuditClosedError)
      t.same(await reopened.verify(), { ok: true, checked: 50, checkpoints: 1 })
    })

    t.test('a store opened without a signing key reads but refuses appends', async (t) => {
      const { store, target } = await makeStore(t, kind)
      await appendInOrder(store, 2)
      const reader = openStore(target, { verifyKeys: [store.publicKeyPem!] })
      t.teardown(() => reader.close())

      await t.rejects(reader.append(auditEvent()), AuditClosedError)
      t.equal(reader.keyId, null)
      t.equal((await reader.query({})).records.length, 2)
      t.match(await reader.verify(), { ok: true, checked: 2 })
    })
  })
}

async function one (store: { query: (f: object) => Promise<{ records: AuditRecord[] }> },
  seq: number): Promise<AuditRecord> {
  const { records } = await store.query({})
  return records.find((r) => r.seq === seq)!
}

// A small RFC 4180 reader, written apart from the writer so that it checks it.
// Expects every row, the last included, to end with CRLF.
function parseCsv (text: string): string[][] {
  const cell = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n)/y
  const rows: string[][] = []
  let row: string[] = []
  for (let m = cell.exec(text); m !== null; m = cell.exec(text)) {
    const raw = m[1]!
    row.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw)
    if (m[2] === '\r\n') { rows.push(row); row = [] }
  }
  return rows
}
