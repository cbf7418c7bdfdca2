import { createHash, createPublicKey } from 'node:crypto'
import t from 'tap'
import {
  documentKeys, verifyDocument
} from '../../src/sources/document-signature.js'
import type { VneidDocument } from '../../src/sources/types.js'
import { buildVneidSimulator } from '../../src/simulators/vneid.js'
import {
  AN, BINH, DUC, UNKNOWN, wallets
} from '../helpers/simulator-dataset.js'
import { call, startSimulator } from '../helpers/simulator-server.js'

const unsigned = ({ signature, ...rest }: VneidDocument) => rest

t.test('GET /citizens/:citizenId/documents returns the wallet', async (t) => {
  const { url } = await startSimulator(t, buildVneidSimulator)

  const res = await call(`${url}/citizens/${AN}/documents`)
  const key = await call(`${url}/keys/document-signing`)

  const keys = documentKeys([key.json.publicKeyPem])
  t.equal(res.status, 200)
  t.same({ ...res.json, documents: res.json.documents.map(unsigned) },
    wallets[0])
  t.same(res.json.consents, wallets[0].consents)
  t.same(res.json.documents[1].data,
    { classes: ['A1', 'B2'], points: 12, restricted: false },
    'list values stay lists')
  for (const document of res.json.documents) {
    t.match(document.signature, { alg: 'Ed25519', keyId: key.json.keyId })
    t.ok(verifyDocument(AN, document, keys), document.documentId)
  }
})

t.test('GET /keys/document-signing publishes the key documents verify with',
  async (t) => {
    const { url, store } = await startSimulator(t, buildVneidSimulator)

    const res = await call(`${url}/keys/document-signing`)

    const der = createPublicKey(res.json.publicKeyPem)
      .export({ type: 'spki', format: 'der' })
    t.equal(res.status, 200)
    t.equal(res.json.keyId,
      createHash('sha256').update(der).digest('hex').slice(0, 16))
    t.equal(res.json.publicKeyPem, store.vneid.signer.publicKeyPem)
    t.match(res.json.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/)
  })

t.test('?type= keeps only documents of that type', async (t) => {
  const { url } = await startSimulator(t, buildVneidSimulator)

  const licences = await call(
    `${url}/citizens/${AN}/documents?type=driving-licence`)
  const none = await call(`${url}/citizens/${AN}/documents?type=passport`)
  const bad = await call(`${url}/citizens/${AN}/documents?type=diploma`)

  t.same(licences.json.documents.map((d: { documentId: string }) =>
    d.documentId), ['DOC-AN-DL'])
  t.same(none.json.documents, [])
  t.equal(none.json.account.level, 2)
  t.equal(bad.status, 400)
  t.equal(bad.json.code, 'BAD_REQUEST')
})

t.test('a citizen without an account gets 404 ACCOUNT_NOT_FOUND',
  async (t) => {
    const { url } = await startSimulator(t, buildVneidSimulator)

    const wallet = await call(`${url}/citizens/${DUC}/documents`)
    const doc = await call(`${url}/citizens/${UNKNOWN}/documents/DOC-AN-ID`)

    t.equal(wallet.status, 404)
    t.equal(wallet.json.code, 'ACCOUNT_NOT_FOUND')
    t.match(wallet.headers['content-type'], /^application\/problem\+json/)
    t.equal(doc.json.code, 'ACCOUNT_NOT_FOUND')
  })

t.test('GET /citizens/:citizenId/documents/:documentId', async (t) => {
  const { url } = await startSimulator(t, buildVneidSimulator)

  const found = await call(`${url}/citizens/${BINH}/documents/DOC-BINH-PP`)
  const otherWallet = await call(`${url}/citizens/${BINH}/documents/DOC-AN-ID`)
  const malformed = await call(`${url}/citizens/${BINH}/documents/a%20b`)

  t.same(unsigned(found.json), wallets[1].documents[0])
  t.ok(found.json.signature, 'the document comes signed')
  t.equal(otherWallet.status, 404)
  t.equal(otherWallet.json.code, 'DOCUMENT_NOT_FOUND')
  t.equal(malformed.status, 400)
})

t.test('GET /identifiers/:value resolves document numbers', async (t) => {
  const { url } = await startSimulator(t, buildVneidSimulator)

  const licence = await call(`${url}/identifiers/790123456789`)
  const insurance = await call(`${url}/identifiers/DN4790123456789`)
  const passport = await call(`${url}/identifiers/C1234567`)
  const idCard = await call(`${url}/identifiers/${AN}`)
  const cmnd = await call(`${url}/identifiers/123456789`)

  t.same(licence.json,
    { identifier: '790123456789', type: 'driving-licence', citizenId: AN })
  t.same(insurance.json,
    { identifier: 'DN4790123456789', type: 'health-insurance', citizenId: AN })
  t.same(passport.json,
    { identifier: 'C1234567', type: 'passport', citizenId: BINH })
  t.equal(idCard.status, 404, 'an id card number is the citizen id itself')
  t.equal(cmnd.json.code, 'NOT_FOUND', 'old id cards belong to population')
})

t.test('a wallet replaced in the store updates the identifiers', async (t) => {
  const { url, store } = await startSimulator(t, buildVneidSimulator)
  const binh = store.vneid.wallet(BINH)!
  store.vneid.putWallet({
    ...binh,
    documents: [{ ...binh.documents[0], number: 'C7654321' }]
  })

  const old = await call(`${url}/identifiers/C1234567`)
  const renewed = await call(`${url}/identifiers/C7654321`)

  t.equal(old.status, 404)
  t.equal(renewed.json.citizenId, BINH)
})
