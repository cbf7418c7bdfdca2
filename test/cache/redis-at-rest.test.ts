// What an operator, a backup or a stolen dump of Redis sees: keys and values must
// not reveal whose records are cached, nor anything in them.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import type { RecordRef } from '../../src/sources/change-events.js'
import type { PopulationRecord } from '../../src/sources/types.js'
import {
  keysUnder, rawClient, REDIS_URL, startRedisStore, testRecord
} from '../helpers/cache-stores.js'
import { personas } from '../helpers/personas.js'

const run = promisify(execFile)

/** What identifies the persona, by field: none of it may appear in Redis. */
function revealing (p: PopulationRecord): Record<string, string> {
  return {
    citizenId: p.citizenId,
    fullName: p.fullName,
    familyName: p.fullName.split(' ')[0],
    dateOfBirth: p.dateOfBirth,
    householdId: p.householdId ?? '',
    street: p.permanentResidence?.street ?? ''
  }
}

t.test('keys and values in Redis show no name, id or address', async (t) => {
  const person = personas().find('a persona with a household and a street',
    (p) => p.householdId !== null && p.permanentResidence?.street != null)
  const { store, ns } = await startRedisStore(t)
  const refs: RecordRef[] = [
    { source: 'population', kind: 'person', id: person.citizenId },
    { source: 'population', kind: 'household', id: person.householdId ?? '' },
    { source: 'vneid', kind: 'wallet', id: person.citizenId }
  ]
  for (const ref of refs) {
    await store.set(ns.namer.record(ref), testRecord(person), {
      keepMs: 60_000, fetchedSince: 0
    })
  }
  await store.invalidate([ns.namer.record({ ...refs[0], kind: 'civil-record' })], 60_000)

  const raw = await rawClient(t)
  const keys = await keysUnder(raw, ns.prefix)
  const values = await Promise.all(keys.map((k) => raw.get(k)))
  const { stdout: scanned } = await run('redis-cli',
    ['-u', REDIS_URL, '--scan', '--pattern', `${ns.prefix}:*`])

  t.equal(keys.length, 4, 'three records and one tombstone')
  t.same(scanned.trim().split('\n').sort(), keys.sort(), 'redis-cli sees the same keys')
  const bytes = Buffer.concat([Buffer.from(scanned), ...values.map((v) => v as Buffer)])
  for (const [field, value] of Object.entries(revealing(person))) {
    t.ok(value.length >= 4, `the persona has a ${field}`)
    t.notOk(bytes.includes(Buffer.from(value)), `no ${field} in keys or values`)
  }
  t.same((await store.get(ns.namer.record(refs[0])))?.data, person,
    'while the store still reads the record back')
})

t.test('a value copied under another key does not open', async (t) => {
  const { store, ns } = await startRedisStore(t)
  const raw = await rawClient(t)
  const an = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
  const binh = ns.namer.record({ source: 'population', kind: 'person', id: '001190000002' })
  await store.set(an, testRecord({ who: 'an' }), { keepMs: 60_000, fetchedSince: 0 })

  const sealed = await raw.get(an) as Buffer
  await raw.set(binh, sealed)

  t.equal(await store.get(binh), undefined)
  t.ok(await store.get(an))
})

t.test('a tampered value is a miss, with a warning naming only the key', async (t) => {
  const { store, ns, logs } = await startRedisStore(t)
  const raw = await rawClient(t)
  const key = ns.namer.record({ source: 'population', kind: 'person', id: '001085000001' })
  await store.set(key, testRecord(), { keepMs: 60_000, fetchedSince: 0 })
  const sealed = await raw.get(key) as Buffer

  sealed[sealed.length - 1] ^= 0x01
  await raw.set(key, sealed)

  t.equal(await store.get(key), undefined)
  t.same(logs.lines.map((l) => [l.level, l.msg, l.obj]),
    [['warn', 'cache entry does not open', { key }]])
  t.equal(store.health(), 'up', 'a bad value is not an outage')
})
