// Records of requirement checks: what a check reported is kept with the record,
// covered by its hash, and refused whole when malformed.
import t, { type Test } from 'tap'
import {
  AuditEventError, type AuditCheck, type AuditRecord
} from '../../src/audit/index.js'
import {
  auditEvent, collect, makeStore, tamper, type StoreKind
} from '../helpers/audit-stores.js'
import { chainHash, v1Text, v2Text } from './fixtures/v1-log.js'

const APPLICANT = '001090000001'

function aCheck (over: Partial<AuditCheck> = {}): AuditCheck {
  return {
    parties: [
      { role: 'applicant', citizenId: APPLICANT },
      { role: 'father', citizenId: null }
    ],
    items: [
      {
        requirementId: 'applicant-id-card',
        documentType: 'id-card',
        role: 'applicant',
        status: 'satisfied',
        reason: null,
        source: 'vneid'
      },
      {
        requirementId: 'applicant-marital-status',
        documentType: 'marital-status-confirmation',
        role: 'applicant',
        status: 'must-submit',
        reason: 'conflicting-registers',
        source: 'civilStatus'
      },
      {
        requirementId: 'father-photo',
        documentType: 'photo',
        role: 'father',
        status: 'not-applicable',
        reason: null,
        source: null
      }
    ],
    outsideResidence: true,
    ...over
  }
}

const checkEvent = (check: AuditCheck | null = aCheck()) => auditEvent({
  operation: 'procedures.requirements',
  method: 'POST',
  route: '/v1/procedures/:code/requirements',
  check
})

const item = (i: number) => ({ ...aCheck().items[0]!, requirementId: `r-${i}` })

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  t.test(`${kind}: records of requirement checks`, async (t) => {
    t.test('a check is stored with its record and read back as given', async (t) => {
      const { store } = await makeStore(t, kind)

      const withCheck = await store.append(checkEvent())
      const absent = await store.append(auditEvent())
      const explicitNull = await store.append(checkEvent(null))
      const stored = (await store.query({})).records

      t.same(withCheck.check, aCheck())
      t.equal(absent.check, null, 'an event without a check records null')
      t.equal(explicitNull.check, null)
      t.same(stored, [withCheck, absent, explicitNull], 'stored as returned')
      t.same(await collect(store.stream({})), stored)
    })

    t.test('only the known parts of a check are kept', async (t) => {
      const { store } = await makeStore(t, kind)
      const check = aCheck()
      const loose = {
        ...check,
        note: 'x',
        parties: check.parties.map((p) => ({ ...p, name: 'Nguyễn Văn A' })),
        items: check.items.map((i) => ({ ...i, documentId: 'doc-1' }))
      }

      const record = await store.append(checkEvent(loose as AuditCheck))
      const [stored] = (await store.query({})).records

      t.same(record.check, check)
      t.same(stored!.check, check)
      t.notMatch(JSON.stringify(stored), /Nguyễn|doc-1/)
    })

    t.test('the hash covers the check; a record without one hashes as before', async (t) => {
      const { store } = await makeStore(t, kind)

      const plain = await store.append(auditEvent())
      const checked = await store.append(checkEvent())
      const [storedPlain, storedChecked] = (await store.query({})).records

      t.equal(plain.hash, chainHash(plain.prevHash, v1Text(plain)), 'v1 text, unchanged')
      t.equal(checked.hash, chainHash(checked.prevHash,
        v2Text({ ...checked, check: checked.check! })), 'v2 text with the check')
      t.not(checked.hash, chainHash(checked.prevHash, v1Text(checked)),
        'the check is not left out')
      t.equal(storedPlain!.hash, plain.hash)
      t.equal(storedChecked!.hash, checked.hash)
      t.same(await store.verify(), { ok: true, checked: 2, checkpoints: 0 })
    })

    t.test('append refuses a bad check whole and stores nothing', async (t) => {
      const { store } = await makeStore(t, kind)
      const check = aCheck()
      const first = check.items[0]!
      const long = 'x'.repeat(65)
      const bad: Array<[string, unknown]> = [
        ['check', 'satisfied'],
        ['check', [check]],
        ['check.items', { ...check, items: undefined }],
        ['check.parties', { ...check, parties: 'applicant' }],
        ['check.outsideResidence', { ...check, outsideResidence: 'yes' }],
        ['check.outsideResidence', { ...check, outsideResidence: undefined }],
        ['check.items[0].status', { ...check, items: [{ ...first, status: 'held' }] }],
        ['check.items[0].source', { ...check, items: [{ ...first, source: 'tax' }] }],
        ['check.items[0].reason', { ...check, items: [{ ...first, reason: undefined }] }],
        ['check.items[0].requirementId', { ...check, items: [{ ...first, requirementId: '' }] }],
        ['check.items[0].documentType', { ...check, items: [{ ...first, documentType: long }] }],
        ['check.items[1]', { ...check, items: [first, null] }],
        ['check.parties[0].citizenId',
          { ...check, parties: [{ role: 'applicant', citizenId: `${APPLICANT}${long}` }] }],
        ['check.parties[0].role', { ...check, parties: [{ role: 7, citizenId: null }] }],
        ['check.parties', { ...check, parties: Array(21).fill(check.parties[0]) }],
        ['check.items', { ...check, items: Array.from({ length: 201 }, (_, i) => item(i)) }]
      ]

      for (const [field, value] of bad) {
        const err = await store.append(checkEvent(value as AuditCheck)).catch((e) => e)
        t.type(err, AuditEventError, field)
        t.equal(err.code, 'AUDIT_EVENT_INVALID')
        t.equal(err.message, `audit event field ${field} is missing or invalid`)
        t.notMatch(err.message, APPLICANT, 'names the field, not the value')
      }
      t.same((await store.query({})).records, [], 'nothing stored')
    })

    t.test('a check at its bounds is accepted', async (t) => {
      const { store } = await makeStore(t, kind)
      const max = 'x'.repeat(64)
      const check = aCheck({
        parties: Array.from({ length: 20 }, (_, i) => ({ role: `role-${i}`, citizenId: max })),
        items: Array.from({ length: 200 }, (_, i) =>
          ({ ...item(i), documentType: max, reason: max })),
        outsideResidence: null
      })
      const empty = aCheck({ parties: [], items: [] })

      const record = await store.append(checkEvent(check))
      await store.append(checkEvent(empty))
      const stored = (await store.query({})).records

      t.equal(record.seq, 1)
      t.same(stored.map((r) => r.check), [check, empty])
      t.match(await store.verify(), { ok: true, checked: 2 })
    })
  })

  t.test(`${kind}: a check edited behind the store is named by verify`, async (t) => {
    // Records 1 and 3 carry a check, 2 does not.
    async function log (t: Test) {
      const made = await makeStore(t, kind)
      for (const event of [checkEvent(), auditEvent(), checkEvent()]) {
        await made.store.append(event)
      }
      return made
    }
    const edits: Array<[string, number, string, string]> = [
      ['a status changed', 3,
        'UPDATE audit_records SET check_result = json_set(check_result, ' +
          '\'$.items[1].status\', \'satisfied\') WHERE seq = 3',
        'UPDATE audit_records SET check_result = jsonb_set(check_result, ' +
          '\'{items,1,status}\', \'"satisfied"\') WHERE seq = 3'],
      ['the check removed', 1,
        'UPDATE audit_records SET check_result = NULL WHERE seq = 1',
        'UPDATE audit_records SET check_result = NULL WHERE seq = 1'],
      ['a check added where there was none', 2,
        'UPDATE audit_records SET check_result = (SELECT check_result FROM audit_records ' +
          'WHERE seq = 1) WHERE seq = 2',
        'UPDATE audit_records SET check_result = (SELECT check_result FROM audit_records ' +
          'WHERE seq = 1) WHERE seq = 2']
    ]

    for (const [name, seq, sqlite, postgres] of edits) {
      t.test(`${name}: hash-mismatch at that record`, async (t) => {
        const { store, target } = await log(t)
        t.match(await store.verify(), { ok: true, checked: 3 })

        await tamper(target, kind === 'sqlite' ? sqlite : postgres)

        const firstBad = { seq, id: `aud_${seq}`, problem: 'hash-mismatch' }
        t.same(await store.verify(), { ok: false, checked: seq - 1, checkpoints: 0, firstBad })
      })
    }

    if (kind === 'sqlite') {
      t.test('a check that no longer parses: read back as text, named by verify', async (t) => {
        const { store, target } = await log(t)

        await tamper(target, 'UPDATE audit_records SET check_result = \'{oops\' WHERE seq = 1')
        const [first] = (await store.query({})).records as [AuditRecord]

        t.equal(first.check as unknown, '{oops')
        t.match(await store.verify(),
          { ok: false, firstBad: { seq: 1, id: 'aud_1', problem: 'hash-mismatch' } })
      })
    }
  })
}
