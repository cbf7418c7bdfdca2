import { randomBytes } from 'node:crypto'
import t from 'tap'
import { createKeyNamer } from '../../src/cache/key-names.js'

const CITIZEN = '001085000001'
const secret = randomBytes(32)

t.test('a record key names source and kind but not the id', async (t) => {
  const namer = createKeyNamer({ secret, prefix: 'cdg' })

  const key = namer.record({ source: 'population', kind: 'person', id: CITIZEN })

  t.match(key, /^cdg:rec:population:person:[A-Za-z0-9_-]{22}$/)
  t.notOk(key.includes(CITIZEN), 'no citizen id in the key')
  t.notOk(key.includes(CITIZEN.slice(-6)), 'not even part of it')
})

t.test('the same record gets the same key; any other input another', async (t) => {
  const namer = createKeyNamer({ secret, prefix: 'cdg' })
  const ref = { source: 'population', kind: 'person', id: CITIZEN } as const

  const keys = new Set([
    namer.record(ref),
    namer.record({ ...ref, id: '001085000002' }),
    namer.record({ ...ref, kind: 'wallet' }),
    namer.record({ ...ref, source: 'vneid' })
  ])

  t.equal(namer.record(ref), namer.record({ ...ref }))
  t.equal(keys.size, 4)
})

t.test('without the secret a key cannot be recomputed', async (t) => {
  const ref = { source: 'civilStatus', kind: 'civil-record', id: CITIZEN } as const
  const ours = createKeyNamer({ secret, prefix: 'cdg' })
  const guess = createKeyNamer({ secret: randomBytes(32), prefix: 'cdg' })

  t.not(ours.record(ref), guess.record(ref))
})

t.test('tombstone and channel live under the same prefix', async (t) => {
  const namer = createKeyNamer({ secret, prefix: 'test:run-1' })
  const key = namer.record({ source: 'population', kind: 'household', id: 'HK-1' })
  const digest = key.split(':').pop()

  t.equal(namer.tombstone(key), `test:run-1:tomb:rec:population:household:${digest}`)
  t.equal(namer.channel, 'test:run-1:invalidate')
  t.throws(() => namer.tombstone('other:rec:population:person:x'),
    /not a key of this namespace/)
})

t.test('a short secret or an empty prefix is refused', async (t) => {
  t.throws(() => createKeyNamer({ secret: randomBytes(8), prefix: 'cdg' }),
    /at least 16 bytes/)
  t.throws(() => createKeyNamer({ secret, prefix: '' }), /prefix/)
})
