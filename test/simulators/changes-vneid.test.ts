import t from 'tap'
import {
  documentKeys, verifyDocument
} from '../../src/sources/document-signature.js'
import { AN, BINH, HOA, UNKNOWN } from '../helpers/simulator-dataset.js'
import { KHANH, startChangeSimulators } from '../helpers/simulator-changes.js'

const passport = {
  type: 'passport',
  number: 'C9876543',
  issuedOn: '2024-03-01',
  expiresOn: '2034-03-01',
  issuer: 'Cục Quản lý xuất nhập cảnh'
}

t.test('POST /_sandbox/changes/documents adds a document to the wallet',
  async (t) => {
    const sims = await startChangeSimulators(t)

    const res = await sims.change('vneid', 'documents', {
      citizenId: BINH,
      document: { ...passport, data: { pages: 48, visas: ['JP'] } }
    })
    const wallet = await sims.get('vneid', `/citizens/${BINH}/documents`)
    const link = await sims.get('vneid', `/identifiers/${passport.number}`)

    const now = res.json.event.occurredAt
    const { signature, ...issued } = wallet.json.documents[1]
    t.equal(res.status, 200)
    t.equal(wallet.json.documents.length, 2)
    t.ok(verifyDocument(BINH, wallet.json.documents[1],
      documentKeys([sims.running.documentSigning.publicKeyPem])),
    'signed by the register as it was issued')
    t.equal(signature.keyId, sims.running.documentSigning.keyId)
    t.same(issued, {
      ...passport,
      documentId: wallet.json.documents[1].documentId,
      status: 'active',
      data: { pages: 48, visas: ['JP'] },
      updatedAt: now
    })
    t.match(wallet.json.documents[1].documentId, /^DOC-S-\d{6}$/)
    t.equal(wallet.json.updatedAt, now)
    t.equal(link.json.citizenId, BINH)
    t.same(res.json.event.records,
      [{ source: 'vneid', kind: 'wallet', id: BINH }])
    t.match(res.json.event, { type: 'document-issued', register: 'vneid' })
  })

t.test('a first document opens the account', async (t) => {
  const sims = await startChangeSimulators(t)
  const before = await sims.get('vneid', `/citizens/${KHANH}/documents`)

  const res = await sims.change('vneid', 'documents', {
    citizenId: KHANH,
    document: {
      documentId: 'CARD-KHANH',
      type: 'id-card',
      number: KHANH,
      issuedOn: '2021-05-05',
      expiresOn: '2028-11-02',
      issuer: 'Bộ Công an',
      status: 'active'
    }
  })
  const after = await sims.get('vneid', `/citizens/${KHANH}/documents`)
  const card = await sims.get('vneid',
    `/citizens/${KHANH}/documents/CARD-KHANH`)

  t.equal(before.json.code, 'ACCOUNT_NOT_FOUND')
  t.equal(res.status, 200)
  t.match(after.json, {
    citizenId: KHANH,
    account: { level: 2 },
    updatedAt: res.json.event.occurredAt
  })
  t.equal(card.json.number, KHANH)
  t.same(card.json.data, {})
})

t.test('a document past its expiry is issued as expired', async (t) => {
  const sims = await startChangeSimulators(t)

  await sims.change('vneid', 'documents', {
    citizenId: HOA,
    document: { ...passport, issuedOn: '2010-01-01', expiresOn: '2020-01-01' }
  })
  const wallet = await sims.get('vneid', `/citizens/${HOA}/documents`)

  t.equal(wallet.json.documents[0].status, 'expired')
})

t.test('bad documents are 400 BAD_REQUEST', async (t) => {
  const sims = await startChangeSimulators(t)
  const bad = [
    { ...passport, type: 'diploma' },
    { ...passport, expiresOn: undefined },
    { ...passport, number: 'C 987' },
    { ...passport, issuedOn: '2999-01-01', expiresOn: null },
    { ...passport, expiresOn: '2024-03-01' },
    { ...passport, status: 'active', expiresOn: '2024-03-02', issuedOn: '2020-01-01' },
    { ...passport, status: 'expired' },
    { ...passport, type: 'id-card' },
    { ...passport, data: { nested: { a: 1 } } },
    { ...passport, colour: 'green' }
  ]

  for (const document of bad) {
    const res = await sims.change('vneid', 'documents',
      { citizenId: BINH, document })
    t.equal(res.status, 400, JSON.stringify(document))
    t.equal(res.json.code, 'BAD_REQUEST')
  }
  const wallet = await sims.get('vneid', `/citizens/${BINH}/documents`)
  t.equal(wallet.json.documents.length, 1, 'nothing was issued')
})

t.test('documents that clash are 409; unknown citizens 404', async (t) => {
  const sims = await startChangeSimulators(t)
  await sims.change('civilStatus', 'death', { citizenId: KHANH })
  const issue = (citizenId: string, document: object) =>
    sims.change('vneid', 'documents', { citizenId, document })

  const takenId = await issue(BINH, { ...passport, documentId: 'DOC-AN-ID' })
  const takenNumber = await issue(HOA, { ...passport, number: 'C1234567' })
  const oldCard = await issue(HOA, { ...passport, number: '123456789' })
  const dead = await issue(KHANH, passport)
  const unknown = await issue(UNKNOWN, passport)
  const ownNumber = await issue(BINH, { ...passport, number: 'C1234567' })

  t.equal(takenId.status, 409)
  t.match(takenId.json, { code: 'CHANGE_CONFLICT', detail: /documentId/ })
  t.equal(takenNumber.status, 409)
  t.match(takenNumber.json.detail, /another citizen/)
  t.equal(oldCard.status, 409, 'a number the population register links')
  t.equal(dead.status, 409)
  t.equal(unknown.status, 404)
  t.equal(unknown.json.code, 'PERSON_NOT_FOUND')
  t.equal(ownNumber.status, 200, 'a number may return to its holder')
})

t.test('revoking a document', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('vneid', 'documents/DOC-AN-DL/revoke',
    { citizenId: AN })
  const licence = await sims.get('vneid', `/citizens/${AN}/documents/DOC-AN-DL`)
  const card = await sims.get('vneid', `/citizens/${AN}/documents/DOC-AN-ID`)
  const again = await sims.change('vneid', 'documents/DOC-AN-DL/revoke',
    { citizenId: AN })

  const now = res.json.event.occurredAt
  const keys = documentKeys([sims.running.documentSigning.publicKeyPem])
  t.equal(res.status, 200)
  t.match(licence.json, { status: 'revoked', updatedAt: now })
  t.ok(verifyDocument(AN, licence.json, keys), 'signed again as revoked')
  t.equal(card.json.status, 'active', 'the other documents stay')
  t.match(res.json.event, {
    type: 'document-revoked',
    register: 'vneid',
    records: [{ source: 'vneid', kind: 'wallet', id: AN }]
  })
  t.equal(again.status, 409)
  t.equal(again.json.code, 'CHANGE_CONFLICT')
})

t.test('revoking what is not there is a 404', async (t) => {
  const sims = await startChangeSimulators(t)
  const revoke = (documentId: string, citizenId: string) =>
    sims.change('vneid', `documents/${documentId}/revoke`, { citizenId })

  const otherWallet = await revoke('DOC-BINH-PP', AN)
  const noAccount = await revoke('DOC-AN-ID', HOA)
  const unknown = await revoke('DOC-AN-ID', UNKNOWN)
  const badId = await revoke('a%20b', AN)
  const noBody = await sims.change('vneid', 'documents/DOC-AN-ID/revoke', {})

  t.equal(otherWallet.json.code, 'DOCUMENT_NOT_FOUND')
  t.equal(noAccount.json.code, 'ACCOUNT_NOT_FOUND')
  t.equal(unknown.json.code, 'PERSON_NOT_FOUND')
  t.equal(badId.status, 400)
  t.equal(noBody.status, 400)
})
