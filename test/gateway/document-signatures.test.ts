import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import type { VneidDocument, VneidWallet } from '../../src/sources/types.js'
import { startStack, type Stack } from '../helpers/gateway-stack.js'
import { personas } from '../helpers/personas.js'

const P = personas()
const tamperedId = P.vneid.tampered![0]!
const tamperedHolder = P.vneid.wallets.find((w) =>
  w.documents.some((d) => d.documentId === tamperedId))!
const tampered = tamperedHolder.documents.find((d) => d.documentId === tamperedId)!

// A wallet with an active licence and another document, none of them tampered.
const licensed = P.vneid.wallets.find((w) =>
  w.documents.length >= 2 && w !== tamperedHolder &&
  w.documents.some((d) => d.type === 'driving-licence' && d.status === 'active'))!
const licence = licensed.documents.find((d) => d.type === 'driving-licence')!

const ids = (list: Array<{ documentId: string }>) => list.map((d) => d.documentId).sort()
const documentsOf = (stack: Stack, w: VneidWallet) => stack.call(`/v1/citizens/${w.citizenId}/documents`)
const documentOf = (stack: Stack, w: VneidWallet, d: VneidDocument) =>
  stack.call(`/v1/citizens/${w.citizenId}/documents/${d.documentId}`)

t.test('a persona document with a broken signature is never served', async (t) => {
  const stack = await startStack(t)

  const list = await documentsOf(stack, tamperedHolder)
  const one = await documentOf(stack, tamperedHolder, tampered)

  t.equal(list.status, 200)
  t.same(ids(list.json.documents), ids(tamperedHolder.documents.filter((d) => d !== tampered)))
  t.same(list.json.rejected, [{ documentId: tamperedId, type: tampered.type, reason: 'signature-invalid' }])
  t.equal(one.status, 502)
  t.match(one.headers['content-type'], /^application\/problem\+json/)
  t.match(one.json, { status: 502, code: 'DOCUMENT_SIGNATURE_INVALID' })
  t.notMatch(one.text, tamperedHolder.citizenId)
  t.notMatch(one.text, tampered.number)
  const warned = stack.logs.filter((l) => l.msg === 'vneid document signature invalid: not served')
  t.ok(warned.some((l) => l.documentId === tamperedId), 'logged for the operator')
  t.notOk(warned.some((l) => JSON.stringify(l).includes(tamperedHolder.citizenId)), 'without the holder')
})

t.test('every served document says it was verified', async (t) => {
  const stack = await startStack(t)

  const list = await documentsOf(stack, licensed)
  const one = await documentOf(stack, licensed, licence)

  t.same(ids(list.json.documents), ids(licensed.documents))
  t.ok(list.json.documents.every((d: { signature: string }) => d.signature === 'verified'))
  t.same(list.json.rejected, [])
  t.equal(one.json.document.signature, 'verified')
})

t.test('a rejected document of a type the procedure may not see is not named', async (t) => {
  const stack = await startStack(t)
  // A licence procedure: it sees driving licences only.
  const headers = { 'x-procedure-code': 'CDG-GPLX-01' }
  t.not(tampered.type, 'driving-licence')

  const list = await stack.call(`/v1/citizens/${tamperedHolder.citizenId}/documents`, { headers })
  const one = await stack.call(`/v1/citizens/${tamperedHolder.citizenId}/documents/${tamperedId}`, { headers })

  t.equal(list.status, 200)
  t.same(list.json.rejected, [])
  t.equal(one.status, 404)
  t.equal(one.json.code, 'DOCUMENT_NOT_FOUND')
})

t.test('a sandbox tamper is seen at once: the change event drops the cached wallet', async (t) => {
  const stack = await startStack(t)
  await documentsOf(stack, licensed)
  const warm = await documentsOf(stack, licensed)

  const change = await stack.change('vneid', '/documents/tamper', {
    citizenId: licensed.citizenId, documentId: licence.documentId, changes: { data: { classes: ['A1', 'B2', 'C'] } }
  })
  const list = await documentsOf(stack, licensed)
  const one = await documentOf(stack, licensed, licence)

  t.equal(warm.headers['x-cache'], 'hit', 'the wallet was cached')
  t.equal(change.status, 200)
  t.equal(change.json.delivered, 1, 'the gateway took the event')
  t.equal(list.headers['x-cache'], 'miss')
  t.notOk(list.json.documents.some((d: { documentId: string }) => d.documentId === licence.documentId))
  t.same(list.json.rejected, [{ documentId: licence.documentId, type: 'driving-licence', reason: 'signature-invalid' }])
  t.equal(one.json.code, 'DOCUMENT_SIGNATURE_INVALID')
})

t.test('with a wrong VNeID key configured every document is rejected', async (t) => {
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const stack = await startStack(t, { vneidKeys: [other] })

  const list = await documentsOf(stack, licensed)
  const one = await documentOf(stack, licensed, licence)

  t.same(list.json.documents, [])
  t.same(ids(list.json.rejected), ids(licensed.documents))
  t.equal(one.status, 502)
  t.equal(one.json.code, 'DOCUMENT_SIGNATURE_INVALID')
})

t.test('VNEID_PUBLIC_KEYS as a bundle: a key can be rotated in ahead of use', async (t) => {
  const pair = () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    return {
      private: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      public: publicKey.export({ type: 'spki', format: 'pem' }).toString()
    }
  }
  const [current, next] = [pair(), pair()]
  const before = await startStack(t, { vneidSigningKey: current.private, vneidKeys: [current.public, next.public] })
  const after = await startStack(t, { vneidSigningKey: next.private, vneidKeys: [current.public, next.public] })
  const retired = await startStack(t, { vneidSigningKey: next.private, vneidKeys: [current.public] })

  const lists = await Promise.all([before, after, retired].map((s) => documentsOf(s, licensed)))

  t.same(ids(lists[0]!.json.documents), ids(licensed.documents), 'signed with the current key')
  t.same(ids(lists[1]!.json.documents), ids(licensed.documents), 'signed with the next key')
  t.same(lists[2]!.json.documents, [], 'a key not in the bundle is trusted for nothing')
})

t.test('state moves are seen straight after, signed anew', async (t) => {
  const stack = await startStack(t)
  const move = (status: string) => stack.change('vneid', '/documents/status',
    { citizenId: licensed.citizenId, documentId: licence.documentId, status })
  await documentOf(stack, licensed, licence)

  const seen: Array<[string, boolean]> = []
  for (const status of ['revoked', 'pending', 'expired', 'active']) {
    const change = await move(status)
    t.equal(change.json.delivered, 1, status)
    const one = await documentOf(stack, licensed, licence)
    t.equal(one.json.document.signature, 'verified', status)
    seen.push([one.json.document.status, one.json.document.valid])
  }

  t.same(seen, [['revoked', false], ['pending', false], ['expired', false], ['active', true]])
})

t.test('consents granted and revoked reach the wallet read straight after', async (t) => {
  const stack = await startStack(t)
  const read = () => stack.app.registers.trustedWallet(licensed.citizenId)
  const before = await read()
  const cached = await read()

  const grant = await stack.change('vneid', '/consents', {
    citizenId: licensed.citizenId,
    consentId: 'CONS-TEST-1',
    grantee: { procedureCode: 'CDG-GPLX-01' },
    documentTypes: ['driving-licence'],
    validUntil: '2031-01-01'
  })
  const granted = await read()
  const revoke = await stack.change('vneid', '/consents/revoke',
    { citizenId: licensed.citizenId, consentId: 'CONS-TEST-1' })
  const revoked = await read()

  const consentIds = (r: typeof before) => r.data!.consents.map((c) => c.consentId)
  t.equal(cached.cache, 'hit')
  t.equal(grant.json.delivered, 1)
  t.equal(granted.cache, 'miss', 'the event dropped the cached wallet')
  t.same(consentIds(granted), [...consentIds(before), 'CONS-TEST-1'])
  t.match(granted.data!.consents.at(-1), {
    grantee: { procedureCode: 'CDG-GPLX-01' }, documentTypes: ['driving-licence'], validUntil: '2031-01-01'
  })
  t.equal(revoke.json.delivered, 1)
  t.same(consentIds(revoked), consentIds(before))
})

t.test('the document routes serve documents, not consents', async (t) => {
  const stack = await startStack(t)
  const holder = P.vneid.wallets.find((w) => w.consents.length > 0)!

  const list = await stack.call(`/v1/citizens/${holder.citizenId}/documents`)

  t.equal(list.status, 200)
  t.notOk('consents' in list.json)
  t.notMatch(list.text, holder.consents[0]!.consentId)
})
