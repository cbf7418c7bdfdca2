// A log written before records carried a requirement check, opened by this version:
// it is read as it is, brought up to date by the first store that writes, and its
// old records and checkpoint still verify.
import { createPublicKey } from 'node:crypto'
import t, { type Test } from 'tap'
import type { AuditStoreOptions } from '../../src/audit/index.js'
import { createCheckpointSigner } from '../../src/audit/signer.js'
import {
  auditEvent, collect, newSigningKey, newTarget, openStore, sampleCheck, type StoreKind
} from '../helpers/audit-stores.js'
import { columnsOf, indexColumns, v1Chain, writeV1Log } from './fixtures/v1-log.js'

const OLD = 5

const CHECK = sampleCheck('must-submit', 'expired', false)

const checkEvent = () => auditEvent({ operation: 'procedures.requirements', check: CHECK })

/** A target holding the old tables and OLD records with a checkpoint over them. */
async function oldLog (t: Test, kind: StoreKind) {
  const target = await newTarget(t, kind)
  const key = newSigningKey()
  const records = v1Chain(Array.from({ length: OLD }, (_, i) =>
    auditEvent({ requestId: `old-${i}`, citizenIds: [`00109000000${i}`] })))
  const last = records.at(-1)!
  const checkpoint = createCheckpointSigner(key)
    .sign({ seq: last.seq, hash: last.hash, time: new Date().toISOString() })
  await writeV1Log(target, records, checkpoint)
  const open = (opts: Partial<AuditStoreOptions> = { signingKey: key }) => {
    const store = openStore(target, opts)
    t.teardown(() => store.close())
    return store
  }
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()
  return { target, records, open, publicKey }
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: a log from before checks were recorded`, async (t) => {
    t.test('a read-only store reads and verifies it without changing it', async (t) => {
      const { target, records, open, publicKey } = await oldLog(t, kind)
      const reader = open({ verifyKeys: [publicKey] })

      const read = (await reader.query({})).records
      const verified = await reader.verify()

      t.same(read, records.map((r) => ({ ...r, check: null })), 'old records, check null')
      t.same(verified, { ok: true, checked: OLD, checkpoints: 1 })
      t.notOk((await columnsOf(target)).includes('check_result'), 'left as it was')
    })

    t.test('a writing store adds the column and index, and the old records still verify',
      async (t) => {
        const { target, records, open } = await oldLog(t, kind)
        const store = open()

        const checked = await store.append(checkEvent())
        const plain = await store.append(auditEvent())
        const all = await collect(store.stream({}))

        t.ok((await columnsOf(target)).includes('check_result'))
        t.equal(await indexColumns(target, 'audit_records_operation'), 'operation, seq')
        t.match(checked, { seq: OLD + 1, prevHash: records.at(-1)!.hash, check: CHECK })
        t.equal(plain.check, null)
        t.same(all, [...records.map((r) => ({ ...r, check: null })), checked, plain])
        t.same(await collect(store.stream({ operation: 'procedures.requirements' })), [checked])
        t.same(await store.verify(), { ok: true, checked: OLD + 2, checkpoints: 1 })
      })

    t.test('opening it again finds it up to date', async (t) => {
      const { open } = await oldLog(t, kind)
      const first = open()
      await first.append(checkEvent())
      await first.close()

      const second = open()
      const record = await second.append(checkEvent())

      t.equal(record.seq, OLD + 2)
      t.same(await second.verify(), { ok: true, checked: OLD + 2, checkpoints: 2 })
    })

    t.test('two writers opening it at once extend one chain', async (t) => {
      const { open } = await oldLog(t, kind)
      const [a, b] = [open(), open()]

      const appended = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).append(i % 3 === 0 ? checkEvent() : auditEvent())))

      t.same(appended.map((r) => r.seq).sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => OLD + 1 + i))
      t.same(await a.verify(), { ok: true, checked: OLD + 20, checkpoints: 1 })
    })
  })
}
