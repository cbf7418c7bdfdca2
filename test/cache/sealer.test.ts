import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import t from 'tap'
import { createSealer, parseKey } from '../../src/cache/sealer.js'

const KEY = 'cdg:rec:population:person:AAAAAAAAAAAAAAAAAAAAAA'
const TEXT = '{"fullName":"Nguyễn Văn An","citizenId":"001085000001"}'
/** version (1) + fingerprint (8) + IV (12) */
const TAG_AT = 21

t.test('a sealed value opens under its key and shows no plaintext', async (t) => {
  const sealer = createSealer({ current: randomBytes(32) })

  const sealed = sealer.seal(KEY, TEXT)

  t.equal(sealer.open(KEY, sealed)?.toString(), TEXT)
  t.notOk(sealed.includes('001085000001'), 'no citizen id in the bytes')
  t.notOk(sealed.includes('Nguyễn'), 'no name in the bytes')
  t.equal(sealed.length, 1 + 8 + 12 + 16 + Buffer.byteLength(TEXT))
  t.not(sealer.seal(KEY, TEXT).toString('hex'), sealed.toString('hex'),
    'a fresh IV each time')
})

t.test('every altered byte makes open refuse the value', async (t) => {
  const sealer = createSealer({ current: randomBytes(32) })
  const sealed = sealer.seal(KEY, TEXT)
  const refused: number[] = []

  for (let i = 0; i < sealed.length; i++) {
    const copy = Buffer.from(sealed)
    copy[i] ^= 0x01
    if (sealer.open(KEY, copy) === undefined) refused.push(i)
  }

  t.equal(refused.length, sealed.length, 'header, IV, tag and body all guarded')
})

t.test('a value moved under another key does not open', async (t) => {
  const sealer = createSealer({ current: randomBytes(32) })
  const sealed = sealer.seal(KEY, TEXT)

  t.equal(sealer.open(`${KEY}B`, sealed), undefined)
  t.equal(sealer.open('cdg:rec:vneid:wallet:AAAAAAAAAAAAAAAAAAAAAA', sealed), undefined)
})

t.test('a truncated tag or value is refused', async (t) => {
  const sealer = createSealer({ current: randomBytes(32) })
  const sealed = sealer.seal(KEY, TEXT)
  // The tag cut to its first 4 bytes, the rest of the layout kept.
  const shortTag = Buffer.concat([
    sealed.subarray(0, TAG_AT + 4), sealed.subarray(TAG_AT + 16)
  ])

  t.equal(sealer.open(KEY, shortTag), undefined)
  t.equal(sealer.open(KEY, sealed.subarray(0, TAG_AT + 16)), undefined,
    'header alone')
  t.equal(sealer.open(KEY, sealed.subarray(0, 10)), undefined, 'shorter than a header')
  t.equal(sealer.open(KEY, Buffer.alloc(0)), undefined)
})

t.test('a forged value with a 4-byte tag is refused', async (t) => {
  // What a forger with write access to Redis would try: encrypt with any IV and
  // guess a short tag. Node 20 would check only 4 bytes unless told 16.
  const secret = randomBytes(32)
  const sealer = createSealer({ current: secret })
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secret, iv)
  cipher.setAAD(Buffer.from(KEY))
  const body = Buffer.concat([cipher.update('{"forged":true}'), cipher.final()])
  const realTag = cipher.getAuthTag()
  const fingerprint = createHash('sha256').update(secret).digest().subarray(0, 8)
  const padded = Buffer.concat([realTag.subarray(0, 4), Buffer.alloc(12)])

  const forged = Buffer.concat([Buffer.of(1), fingerprint, iv, padded, body])

  t.equal(sealer.open(KEY, forged), undefined)
  const genuine = Buffer.concat([Buffer.of(1), fingerprint, iv, realTag, body])
  t.equal(sealer.open(KEY, genuine)?.toString(), '{"forged":true}',
    'the same value with its full tag opens: the layout is right')
})

t.test('after a rotation, values sealed with the previous key still open', async (t) => {
  const oldKey = randomBytes(32)
  const newKey = randomBytes(32)
  const before = createSealer({ current: oldKey })
  const after = createSealer({ current: newKey, previous: oldKey })
  const sealedBefore = before.seal(KEY, TEXT)

  const sealedAfter = after.seal(KEY, TEXT)

  t.equal(after.open(KEY, sealedBefore)?.toString(), TEXT)
  t.equal(after.open(KEY, sealedAfter)?.toString(), TEXT)
  t.equal(before.open(KEY, sealedAfter), undefined, 'new values need the new key')
  t.same(sealedAfter.subarray(1, 9),
    createHash('sha256').update(newKey).digest().subarray(0, 8),
    'new values carry the current key fingerprint')
})

t.test('once the previous key is dropped, its values no longer open', async (t) => {
  const oldKey = randomBytes(32)
  const sealed = createSealer({ current: oldKey }).seal(KEY, TEXT)

  const later = createSealer({ current: randomBytes(32) })

  t.equal(later.open(KEY, sealed), undefined)
})

t.test('a key of the wrong length is refused', async (t) => {
  t.throws(() => createSealer({ current: randomBytes(16) }), /current .* 32 bytes/)
  t.throws(() => createSealer({ current: randomBytes(32), previous: randomBytes(31) }),
    /previous .* 32 bytes/)
})

t.test('parseKey reads 32 bytes of base64', async (t) => {
  const key = randomBytes(32)

  t.same(parseKey(key.toString('base64'), 'CACHE_ENCRYPTION_KEY'), key)
})

t.test('parseKey names the variable and hides the value', async (t) => {
  const bad = [
    randomBytes(16).toString('base64'),
    randomBytes(33).toString('base64'),
    randomBytes(32).toString('hex'),
    randomBytes(32).toString('base64').replace(/.$/, '!'),
    ''
  ]
  for (const value of bad) {
    const err = catchError(() => parseKey(value, 'CACHE_ENCRYPTION_KEY'))
    t.match(err, { code: 'CONFIG_INVALID', message: /CACHE_ENCRYPTION_KEY .*32 bytes/ })
    if (value !== '') t.notOk(err?.message.includes(value), 'value not echoed')
  }
})

function catchError (fn: () => unknown): Error | undefined {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  return undefined
}
