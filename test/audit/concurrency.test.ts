// Group commit under load: concurrent appends share transactions, and the chain
// stays one gap-free line, also with two instances writing one PostgreSQL store.
import t from 'tap'
import type { CommitInfo } from '../../src/audit/index.js'
import {
  auditEvent, collect, makeStore, tamper, type StoreKind
} from '../helpers/audit-stores.js'

function commitCounter () {
  const commits: CommitInfo[] = []
  const records = () => commits.reduce((n, c) => n + c.records, 0)
  return { commits, records, onCommit: (c: CommitInfo) => { commits.push(c) } }
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: 500 concurrent appends share transactions in one chain`, async (t) => {
    const counter = commitCounter()
    const { store } = await makeStore(t, kind, { onCommit: counter.onCommit })

    const records = await Promise.all(Array.from({ length: 500 }, (_, i) =>
      store.append(auditEvent({ requestId: `burst-${i}` }))))
    const stored = await collect(store.stream({}))

    t.same(records.map((r) => r.seq).sort((a, b) => a - b), oneToN(500))
    t.same(stored.map((r) => r.seq), oneToN(500), 'gap-free in the store')
    t.same(new Set(stored.map((r) => r.requestId)).size, 500, 'each event once')
    t.equal(counter.records(), 500)
    t.ok(counter.commits.length < 500 / 10,
      `${counter.commits.length} transactions for 500 appends`)
    t.same(await store.verify(), { ok: true, checked: 500, checkpoints: 0 })
  })

  t.test(`${kind}: 5,000 appends, all at once and from 50 workers (timed)`, async (t) => {
    const burst = commitCounter()
    const workers = commitCounter()
    const { store: a } = await makeStore(t, kind, { onCommit: burst.onCommit })
    const { store: b } = await makeStore(t, kind, { onCommit: workers.onCommit })

    const burstMs = await timed(() =>
      Promise.all(Array.from({ length: 5000 }, () => a.append(auditEvent()))))
    // Closed loop, like 50 connections: each worker appends as soon as its last
    // append resolved, so batches form only from what arrives during a flush.
    const workerMs = await timed(() => Promise.all(Array.from({ length: 50 }, async () => {
      for (let i = 0; i < 100; i++) await b.append(auditEvent())
    })))

    t.comment(`${kind}: 5,000 at once: ${burstMs.toFixed(0)} ms, ` +
      `${burst.commits.length} transactions`)
    t.comment(`${kind}: 50 workers x 100: ${workerMs.toFixed(0)} ms, ` +
      `${workers.commits.length} transactions`)
    t.equal(burst.records(), 5000)
    t.equal(workers.records(), 5000)
    t.ok(workers.commits.length < 5000 / 10, 'workers shared transactions')
    t.match(await a.verify(), { ok: true, checked: 5000, checkpoints: 5 })
    t.match(await b.verify(), { ok: true, checked: 5000, checkpoints: 5 })
  })

  t.test(`${kind}: a failed commit rejects its whole batch and writes none of it`, async (t) => {
    const { store, target } = await makeStore(t, kind)
    await store.append(auditEvent())
    // Takes seq 2 behind the store's back, so the next batch collides with it.
    await tamper(target, `INSERT INTO audit_records (seq, id, time, request_id,
      client_id, citizen_ids, operation, method, route, fields, sources, outcome,
      status, prev_hash, hash) SELECT 2, 'intruder', time, request_id, client_id,
      citizen_ids, operation, method, route, fields, sources, outcome, status,
      prev_hash, hash FROM audit_records WHERE seq = 1`)

    const results = await Promise.allSettled(Array.from({ length: 20 }, () =>
      store.append(auditEvent())))
    const afterFailure = (await store.query({})).records.map((r) => r.id)
    await tamper(target, 'DELETE FROM audit_records WHERE id = \'intruder\'')
    const next = await store.append(auditEvent())

    t.same(results.map((r) => r.status), Array(20).fill('rejected'))
    t.same(afterFailure, ['aud_1', 'intruder'], 'nothing of the batch was written')
    t.equal(next.seq, 2, 'the head did not move')
    t.same(await store.verify(), { ok: true, checked: 2, checkpoints: 0 })
  })

  t.test(`${kind}: a store continues a chain another writer extended`, async (t) => {
    const { store, open } = await makeStore(t, kind)
    const other = open()

    const first = await store.append(auditEvent())
    const second = await other.append(auditEvent())
    const third = await store.append(auditEvent())

    t.same([first.seq, second.seq, third.seq], [1, 2, 3])
    t.equal(third.prevHash, second.hash)
    t.match(await store.verify(), { ok: true, checked: 3 })
  })
}

async function timed (work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

t.test('two PostgreSQL instances appending at once build one chain', async (t) => {
  const { store: a, open } = await makeStore(t, 'postgres')
  const b = open()

  const burst = (store: typeof a, clientId: string) =>
    Array.from({ length: 300 }, () => store.append(auditEvent({ clientId })))
  const records = await Promise.all([...burst(a, 'client-a'), ...burst(b, 'client-b')])
  const stored = await collect(a.stream({}))

  t.same(stored.map((r) => r.seq), oneToN(600))
  t.same(records.map((r) => r.seq).sort((x, y) => x - y), oneToN(600), 'no seq twice')
  t.equal(stored.filter((r) => r.clientId === 'client-a').length, 300)
  t.equal(stored.filter((r) => r.clientId === 'client-b').length, 300)
  t.same(await b.verify(), { ok: true, checked: 600, checkpoints: 0 })
})
