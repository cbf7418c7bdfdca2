import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { readDatasetFolder } from '../../src/fixtures/read.js'
import { fromRoot } from '../../src/paths.js'
import { DatasetError, loadDatasets } from '../../src/simulators/dataset.js'
import { readSimulatorEnv } from '../../src/simulators/env.js'
import { startSimulators } from '../../src/simulators/start.js'
import {
  createDocumentSigner,
  documentKeys,
  documentSigningText,
  verifyDocument
} from '../../src/sources/document-signature.js'
import type { VneidDocument } from '../../src/sources/types.js'
import { AN, wallets, writeDataset } from '../helpers/simulator-dataset.js'
import { call } from '../helpers/simulator-server.js'

const licence = wallets[0]!.documents[1]!

t.test('the signed text covers every field but updatedAt, and the holder',
  async (t) => {
    const text = documentSigningText(AN, licence)
    const changed: Array<Partial<VneidDocument>> = [
      { documentId: 'DOC-OTHER' },
      { type: 'passport' },
      { number: '790123456780' },
      { issuedOn: '2021-01-02' },
      { expiresOn: null },
      { issuer: 'Sở Giao thông vận tải' },
      { status: 'revoked' },
      { data: { ...licence.data, points: 11 } },
      { data: { ...licence.data, classes: ['A1'] } }
    ]

    for (const change of changed) {
      t.not(documentSigningText(AN, { ...licence, ...change }), text,
        Object.keys(change)[0])
    }
    t.not(documentSigningText('001192000002', licence), text, 'citizen id')
    const restamped: VneidDocument = { ...licence, updatedAt: '2030-01-01T00:00:00.000Z' }
    t.equal(documentSigningText(AN, restamped), text, 'updatedAt is not signed')
    const reordered = Object.fromEntries(Object.entries(licence.data).reverse())
    t.equal(documentSigningText(AN, { ...licence, data: reordered }), text,
      'the order of data keys does not matter')
  })

t.test('a signature verifies only for its document, holder and key',
  async (t) => {
    const signer = createDocumentSigner()
    const keys = documentKeys([signer.publicKeyPem])
    const signed = { ...licence, signature: signer.sign(AN, licence) }
    const { signature } = signed

    t.ok(verifyDocument(AN, signed, keys))
    t.notOk(verifyDocument(AN, { ...signed, number: '790123456780' }, keys))
    t.notOk(verifyDocument('001192000002', signed, keys), 'another wallet')
    t.notOk(verifyDocument(AN, licence, keys), 'no signature')
    t.notOk(verifyDocument(AN, { ...signed, signature: { ...signature, alg: 'RS256' } }, keys))
    t.notOk(verifyDocument(AN, { ...signed, signature: { ...signature, value: 'AAAA' } }, keys))
    t.notOk(verifyDocument(AN, signed,
      documentKeys([createDocumentSigner().publicKeyPem])), 'an unknown key')
    t.throws(() => documentKeys([generateKeyPairSync('ed25519').privateKey
      .export({ type: 'pkcs8', format: 'pem' }).toString()]),
    { code: 'DOCUMENT_KEY_INVALID' }, 'a private key is no verification key')
  })

t.test('every fixture document is served signed; only the tampered ones fail',
  async (t) => {
    const folders = ['personas', 'generated'].map((f) => fromRoot('fixtures', f))
    const running = await startSimulators({
      datasets: folders, host: '127.0.0.1', ports: {}, which: ['vneid']
    })
    t.teardown(running.close)
    const key = await call(`${running.urls.vneid}/keys/document-signing`)
    const keys = documentKeys([key.json.publicKeyPem])
    const tampered = new Set<string>()
    const expected = new Map<string, string[]>()
    for (const folder of folders) {
      const { vneid } = readDatasetFolder(folder)
      for (const id of vneid.tampered ?? []) tampered.add(id)
      for (const w of vneid.wallets) {
        expected.set(w.citizenId, w.documents.map((d) => d.documentId))
      }
    }

    const failed: string[] = []
    let verified = 0
    for (const [citizenId, ids] of expected) {
      const wallet = await call(`${running.urls.vneid}/citizens/${citizenId}/documents`)
      t.same(wallet.json.documents.map((d: VneidDocument) => d.documentId), ids)
      for (const document of wallet.json.documents) {
        if (verifyDocument(citizenId, document, keys)) verified++
        else failed.push(document.documentId)
      }
    }

    t.ok(tampered.size > 0, 'the personas list a tampered document')
    t.same(failed.sort(), [...tampered].sort())
    t.ok(verified > 300, `${verified} documents verified`)
  })

t.test('the signing key comes from VNEID_SIGNING_KEY, else is new', async (t) => {
  const pem = generateKeyPairSync('ed25519').privateKey
    .export({ type: 'pkcs8', format: 'pem' }).toString()
  const settings = readSimulatorEnv({
    VNEID_SIGNING_KEY: pem.trim().replaceAll('\n', '\\n')
  }, fromRoot())
  const options = {
    datasets: [writeDataset(t.testdir())], host: '127.0.0.1', ports: {}, which: ['vneid' as const]
  }

  const given = await startSimulators({ ...settings, ...options })
  t.teardown(given.close)
  const fresh = await startSimulators(options)
  t.teardown(fresh.close)

  t.equal(given.documentSigning.keyId, createDocumentSigner(pem).keyId)
  t.not(fresh.documentSigning.keyId, given.documentSigning.keyId)
  const bad = { VNEID_SIGNING_KEY: 'not a key, but maybe a secret' }
  const err = t.throws(() => readSimulatorEnv(bad, fromRoot())) as Error
  t.match(err.message, /VNEID_SIGNING_KEY/)
  t.notMatch(err.message, /secret/)
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
    .export({ type: 'pkcs8', format: 'pem' }).toString()
  t.throws(() => readSimulatorEnv({ VNEID_SIGNING_KEY: rsa }, fromRoot()),
    /VNEID_SIGNING_KEY/)
})

t.test('a dataset names tampered documents of its own file only', async (t) => {
  const dir = t.testdir()
  const ok = writeDataset(`${dir}/ok`, { vneid: { wallets, tampered: ['DOC-AN-DL'] } })
  const stray = writeDataset(`${dir}/stray`, { vneid: { wallets, tampered: ['DOC-NONE'] } })

  const store = await loadDatasets([ok])
  const keys = documentKeys([store.vneid.signer.publicKeyPem])
  const documents = store.vneid.wallet(AN)!.documents

  t.same(documents.filter((d) => !verifyDocument(AN, d, keys)).map((d) => d.documentId),
    ['DOC-AN-DL'])
  t.same(documents.find((d) => d.documentId === 'DOC-AN-DL')!.number, licence.number,
    'the content is the file\'s; its signature is what does not match')
  await t.rejects(loadDatasets([stray]), DatasetError)
  await t.rejects(loadDatasets([stray]), { message: /tampered\[0\]/ })
})
