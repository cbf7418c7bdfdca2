// Edits made behind the store's back, through the real sqlite3 and psql clients:
// verify must name the first record or checkpoint that no longer holds.
import { randomBytes } from 'node:crypto'
import t, { type Test } from 'tap'
import { recordHash } from '../../src/audit/canonical.js'
import type { AuditRecord, AuditVerifyResult } from '../../src/audit/index.js'
import {
  appendInOrder, makeStore, newSigningKey, openStore, tamper, type StoreKind
} from '../helpers/audit-stores.js'

// 25 records, checkpoints at 10 and 20.
async function chain (t: Test, kind: StoreKind) {
  const made = await makeStore(t, kind, { checkpointEvery: 10 })
  const records = await appendInOrder(made.store, 25, (i) => ({ requestId: `r${i + 1}` }))
  return { ...made, records }
}

/** What verify returns when it stops at `firstBad`. */
function failed (checked: number, checkpoints: number,
  firstBad: NonNullable<AuditVerifyResult['firstBad']>): AuditVerifyResult {
  return { ok: false, checked, checkpoints, firstBad }
}

/** SQL that rewrites records from `from` on with `change` and fresh hashes. */
function rewriteSql (records: AuditRecord[], from: number, count: number,
  change: Partial<AuditRecord>): string {
  let prevHash = records[from - 2]?.hash ?? '0'.repeat(64)
  const statements = records.slice(from - 1, from - 1 + count).map((r, i) => {
    const content = i === 0 ? { ...r, ...change } : r
    const hash = recordHash(prevHash, content)
    const sql = `UPDATE audit_records SET client_id = '${content.clientId}',
      prev_hash = '${prevHash}', hash = '${hash}' WHERE seq = ${r.seq};`
    prevHash = hash
    return sql
  })
  return statements.join('\n')
}

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: verify`, async (t) => {
    t.test('passes an intact chain and counts what it checked', async (t) => {
      const { store } = await chain(t, kind)

      t.same(await store.verify(), { ok: true, checked: 25, checkpoints: 2 })
    })

    t.test('an edited field: hash-mismatch at that record', async (t) => {
      const { store, target } = await chain(t, kind)

      await tamper(target,
        'UPDATE audit_records SET client_id = \'someone\' WHERE seq = 7')

      t.same(await store.verify(),
        failed(6, 0, { seq: 7, id: 'aud_7', problem: 'hash-mismatch' }))
    })

    t.test('an edited list column: hash-mismatch, even when it no longer parses', async (t) => {
      const { store, target } = await chain(t, kind)
      const edit = kind === 'sqlite'
        ? 'UPDATE audit_records SET citizen_ids = \'[oops\' WHERE seq = 12'
        : 'UPDATE audit_records SET citizen_ids = ARRAY[\'079000000000\'] WHERE seq = 12'

      await tamper(target, edit)

      t.match(await store.verify(),
        { firstBad: { seq: 12, id: 'aud_12', problem: 'hash-mismatch' } })
    })

    t.test('a record deleted in the middle: missing, named by its seq', async (t) => {
      const { store, target } = await chain(t, kind)

      await tamper(target, 'DELETE FROM audit_records WHERE seq = 14')

      t.same(await store.verify(),
        failed(13, 1, { seq: 14, id: 'aud_14', problem: 'missing' }))
    })

    t.test('two records swapped: reordered at the first of them', async (t) => {
      const { store, target } = await chain(t, kind)

      await tamper(target, `UPDATE audit_records SET seq = -seq WHERE seq IN (5, 6);
        UPDATE audit_records SET seq = CASE seq WHEN -5 THEN 6 ELSE 5 END WHERE seq < 0`)

      t.same(await store.verify(),
        failed(4, 0, { seq: 5, id: 'aud_6', problem: 'reordered' }))
    })

    t.test('a record replaced with a consistent forgery: broken-link at the next', async (t) => {
      const { store, target, records } = await chain(t, kind)

      await tamper(target, rewriteSql(records, 16, 1, { clientId: 'forger' }))

      t.match(await store.verify(), {
        ok: false, checked: 16, firstBad: { seq: 17, id: 'aud_17', problem: 'broken-link' }
      })
    })

    t.test('a whole chain recomputed: caught by the first checkpoint after the edit', async (t) => {
      const { store, target, records } = await chain(t, kind)

      await tamper(target, rewriteSql(records, 3, 23, { clientId: 'forger' }))

      t.same(await store.verify(),
        failed(10, 0, { seq: 10, id: 'chk_10', problem: 'checkpoint-mismatch' }))
    })

    t.test('a deleted tail: truncated, from the head row', async (t) => {
      const { store, target } = await chain(t, kind)

      await tamper(target, 'DELETE FROM audit_records WHERE seq > 22')

      t.same(await store.verify(),
        failed(22, 2, { seq: 23, id: 'aud_23', problem: 'truncated' }))
    })

    t.test('a deleted tail with the head rewound: truncated, from the checkpoint', async (t) => {
      const { store, target } = await chain(t, kind)

      await tamper(target, `DELETE FROM audit_records WHERE seq > 15;
        UPDATE audit_head SET seq = 15,
          hash = (SELECT hash FROM audit_records WHERE seq = 15)`)

      t.same(await store.verify(),
        failed(15, 1, { seq: 16, id: 'aud_16', problem: 'truncated' }))
    })

    t.test('a forged checkpoint signature: bad-signature at that checkpoint', async (t) => {
      const { store, target } = await chain(t, kind)
      const forged = randomBytes(64).toString('base64')

      await tamper(target,
        `UPDATE audit_checkpoints SET signature = '${forged}' WHERE seq = 20`)

      t.same(await store.verify(),
        failed(20, 1, { seq: 20, id: 'chk_20', problem: 'bad-signature' }))
    })

    t.test('checkpoints signed by an unknown key do not verify', async (t) => {
      const { store, target } = await chain(t, kind)
      const stranger = openStore(target, { verifyKeys: [newSigningKey()] })
      t.teardown(() => stranger.close())

      t.match(await stranger.verify(),
        { ok: false, firstBad: { seq: 10, id: 'chk_10', problem: 'bad-signature' } })
      t.match(await store.verify(), { ok: true })
    })
  })
}
