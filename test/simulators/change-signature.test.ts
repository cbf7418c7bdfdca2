import { createHmac } from 'node:crypto'
import t from 'tap'
import {
  signChangeEvent,
  verifyChangeSignature
} from '../../src/sources/change-signature.js'

const SECRET = 'a-sandbox-webhook-secret-of-40-characters'
const BODY = '{"eventId":"CHG-S-000001","type":"death"}'
const NOW = 1_767_225_600
const options = { toleranceSeconds: 300, nowSeconds: NOW }

t.test('the header is t=<seconds>,v1=<hex HMAC of "t.body">', async (t) => {
  const header = signChangeEvent(SECRET, BODY, NOW)

  const expected = createHmac('sha256', SECRET)
    .update(`${NOW}.${BODY}`).digest('hex')
  t.equal(header, `t=${NOW},v1=${expected}`)
})

t.test('a fresh signature over the same body verifies', async (t) => {
  const header = signChangeEvent(SECRET, BODY)

  t.equal(verifyChangeSignature(SECRET, header, BODY,
    { toleranceSeconds: 5 }), true)
  t.equal(verifyChangeSignature(SECRET, signChangeEvent(SECRET, BODY, NOW),
    BODY, options), true)
})

t.test('a tampered body fails', async (t) => {
  const header = signChangeEvent(SECRET, BODY, NOW)

  t.equal(verifyChangeSignature(SECRET, header, BODY.replace('death',
    'marriage'), options), false)
  t.equal(verifyChangeSignature(SECRET, header, `${BODY} `, options), false)
})

t.test('another secret fails', async (t) => {
  const header = signChangeEvent(`${SECRET}!`, BODY, NOW)

  t.equal(verifyChangeSignature(SECRET, header, BODY, options), false)
})

t.test('a time beyond the tolerance fails, either way', async (t) => {
  const at = (seconds: number) => signChangeEvent(SECRET, BODY, seconds)

  t.equal(verifyChangeSignature(SECRET, at(NOW - 300), BODY, options), true)
  t.equal(verifyChangeSignature(SECRET, at(NOW + 300), BODY, options), true)
  t.equal(verifyChangeSignature(SECRET, at(NOW - 301), BODY, options), false)
  t.equal(verifyChangeSignature(SECRET, at(NOW + 301), BODY, options), false)
})

t.test('a re-timed signature fails: the time is signed too', async (t) => {
  const old = signChangeEvent(SECRET, BODY, NOW - 3_600)

  const retimed = old.replace(`t=${NOW - 3_600}`, `t=${NOW}`)

  t.equal(verifyChangeSignature(SECRET, retimed, BODY, options), false)
})

t.test('a missing or malformed header fails', async (t) => {
  const good = signChangeEvent(SECRET, BODY, NOW)
  const digest = good.slice(good.indexOf('v1=') + 3)
  const malformed = [
    undefined,
    '',
    digest,
    `t=${NOW}`,
    `v1=${digest},t=${NOW}`,
    `t=${NOW},v1=${digest.toUpperCase()}`,
    `t=${NOW},v1=${digest.slice(2)}`,
    `t=${NOW},v1=${digest}00`,
    `t=${NOW},v1=${digest},v0=abc`,
    `t=-${NOW},v1=${digest}`,
    `t=${NOW}.5,v1=${digest}`,
    ` ${good}`
  ]

  for (const header of malformed) {
    t.equal(verifyChangeSignature(SECRET, header, BODY, options), false,
      String(header))
  }
})
