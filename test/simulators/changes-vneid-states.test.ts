import t, { type Test } from 'tap'
import {
  documentKeys, verifyDocument
} from '../../src/sources/document-signature.js'
import { changeTime } from '../../src/simulators/changes/change.js'
import { AN, BINH, HOA, UNKNOWN } from '../helpers/simulator-dataset.js'
import {
  SECRET, startChangeSimulators, startReceiver
} from '../helpers/simulator-changes.js'

const consent = {
  citizenId: AN,
  grantee: { procedureCode: 'CDG-GPLX-01' },
  documentTypes: ['driving-licence'],
  validUntil: '2030-12-31'
}

const walletEvent = (type: string, id = AN) => ({
  type, register: 'vneid', records: [{ source: 'vneid', kind: 'wallet', id }]
})

async function withReceiver (t: Test) {
  const receiver = await startReceiver(t)
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })
  const keys = documentKeys([sims.running.documentSigning.publicKeyPem])
  return { sims, receiver, keys }
}

t.test('POST /_sandbox/changes/consents grants a consent', async (t) => {
  const { sims, receiver } = await withReceiver(t)

  const res = await sims.change('vneid', 'consents', consent)
  const wallet = await sims.get('vneid', `/citizens/${AN}/documents`)

  const now = res.json.event.occurredAt
  t.equal(res.status, 200)
  t.match(res.json.event, walletEvent('consent-granted'))
  t.same(receiver.events().map((e) => e.eventId), [res.json.event.eventId])
  t.same(wallet.json.consents.at(-1), {
    consentId: 'CONS-S-000001',
    grantee: { procedureCode: 'CDG-GPLX-01' },
    documentTypes: ['driving-licence'],
    grantedOn: changeTime(new Date(now)).today,
    validUntil: '2030-12-31'
  })
  t.equal(wallet.json.consents.length, 2, 'the earlier consent stays')
  t.equal(wallet.json.updatedAt, now)
})

t.test('a consent may name a client, its own id and a past date', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('vneid', 'consents', {
    ...consent,
    consentId: 'CONS-MINE',
    grantee: { clientId: 'demo-counter' },
    grantedOn: '2020-01-01',
    validUntil: '2021-01-01'
  })
  const wallet = await sims.get('vneid', `/citizens/${AN}/documents`)

  t.equal(res.status, 200)
  t.match(wallet.json.consents.at(-1), {
    consentId: 'CONS-MINE',
    grantee: { clientId: 'demo-counter' },
    grantedOn: '2020-01-01',
    validUntil: '2021-01-01'
  }, 'a lapsed consent, to test with')
})

t.test('bad consents are 400, impossible ones 404 or 409', async (t) => {
  const sims = await startChangeSimulators(t)
  const grant = (body: object) => sims.change('vneid', 'consents', body)
  const bad = [
    { ...consent, grantee: {} },
    { ...consent, grantee: { clientId: 'Demo Counter' } },
    { ...consent, documentTypes: [] },
    { ...consent, documentTypes: ['diploma'] },
    { ...consent, documentTypes: ['passport', 'passport'] },
    { ...consent, validUntil: '2019-12-31', grantedOn: '2020-01-01' },
    { ...consent, grantedOn: '2999-01-01', validUntil: '2999-12-31' },
    { ...consent, colour: 'green' },
    { citizenId: AN, grantee: consent.grantee, documentTypes: ['passport'] }
  ]

  for (const body of bad) {
    const res = await grant(body)
    t.equal(res.status, 400, JSON.stringify(body))
    t.equal(res.json.code, 'BAD_REQUEST')
  }
  const taken = await grant({ ...consent, consentId: 'CONS-AN-1' })
  const noAccount = await grant({ ...consent, citizenId: HOA })
  const unknown = await grant({ ...consent, citizenId: UNKNOWN })
  await sims.change('civilStatus', 'death', { citizenId: AN })
  const deceased = await grant(consent)

  t.equal(taken.status, 409)
  t.match(taken.json.detail, /consentId/)
  t.equal(noAccount.json.code, 'ACCOUNT_NOT_FOUND')
  t.equal(unknown.json.code, 'PERSON_NOT_FOUND')
  t.equal(deceased.status, 409)
  const wallet = await sims.get('vneid', `/citizens/${AN}/documents`)
  t.same(wallet.json.consents.map((c: { consentId: string }) => c.consentId),
    ['CONS-AN-1'], 'nothing was granted')
})

t.test('POST /_sandbox/changes/consents/revoke withdraws a consent', async (t) => {
  const { sims, receiver } = await withReceiver(t)

  const res = await sims.change('vneid', 'consents/revoke',
    { citizenId: AN, consentId: 'CONS-AN-1' })
  const wallet = await sims.get('vneid', `/citizens/${AN}/documents`)
  const again = await sims.change('vneid', 'consents/revoke',
    { citizenId: AN, consentId: 'CONS-AN-1' })
  const elsewhere = await sims.change('vneid', 'consents/revoke',
    { citizenId: BINH, consentId: 'CONS-AN-1' })

  t.equal(res.status, 200)
  t.match(res.json.event, walletEvent('consent-revoked'))
  t.same(wallet.json.consents, [])
  t.equal(wallet.json.updatedAt, res.json.event.occurredAt)
  t.equal(again.status, 404)
  t.equal(again.json.code, 'CONSENT_NOT_FOUND')
  t.equal(elsewhere.json.code, 'CONSENT_NOT_FOUND', 'a consent of another wallet')
  t.equal(receiver.events().length, 1, 'refusals publish nothing')
})

t.test('POST /_sandbox/changes/documents/status moves a document, signed anew',
  async (t) => {
    const { sims, receiver, keys } = await withReceiver(t)
    const move = (status: string) => sims.change('vneid', 'documents/status',
      { citizenId: AN, documentId: 'DOC-AN-DL', status })
    const licence = async () =>
      (await sims.get('vneid', `/citizens/${AN}/documents/DOC-AN-DL`)).json

    const before = await licence()
    const states: string[] = []
    const signatures: string[] = []
    for (const status of ['pending', 'expired', 'revoked', 'active']) {
      const res = await move(status)
      t.equal(res.status, 200, status)
      t.match(res.json.event, walletEvent('document-status-changed'))
      const now = await licence()
      states.push(now.status)
      signatures.push(now.signature.value)
      t.equal(now.updatedAt, res.json.event.occurredAt)
      t.ok(verifyDocument(AN, now, keys), `${status} verifies`)
    }

    t.same(states, ['pending', 'expired', 'revoked', 'active'])
    t.equal(new Set([before.signature.value, ...signatures]).size, 4,
      'each state has its own signature; back to active, the first one again')
    t.equal(receiver.events().length, 4)
  })

t.test('document moves the register forbids are refused', async (t) => {
  const sims = await startChangeSimulators(t)
  const move = (body: object) => sims.change('vneid', 'documents/status', body)
  await sims.change('vneid', 'documents', {
    citizenId: BINH,
    document: {
      documentId: 'DOC-OLD',
      type: 'passport',
      number: 'C0000001',
      issuedOn: '2010-01-01',
      expiresOn: '2020-01-01',
      issuer: 'Cục Quản lý xuất nhập cảnh'
    }
  })

  const same = await move({ citizenId: AN, documentId: 'DOC-AN-DL', status: 'active' })
  const lapsed = await move({ citizenId: BINH, documentId: 'DOC-OLD', status: 'active' })
  const unknownState = await move({ citizenId: AN, documentId: 'DOC-AN-DL', status: 'lost' })
  const otherWallet = await move({ citizenId: AN, documentId: 'DOC-BINH-PP', status: 'revoked' })
  await sims.change('civilStatus', 'death', { citizenId: AN })
  const deceased = await move({ citizenId: AN, documentId: 'DOC-AN-DL', status: 'active' })

  t.equal(same.status, 409)
  t.equal(lapsed.status, 409)
  t.match(lapsed.json.detail, /expiry/)
  t.equal(unknownState.status, 400)
  t.equal(otherWallet.json.code, 'DOCUMENT_NOT_FOUND')
  t.equal(deceased.status, 409)
})

t.test('POST /_sandbox/changes/documents/tamper alters without re-signing',
  async (t) => {
    const { sims, receiver, keys } = await withReceiver(t)
    const before = (await sims.get('vneid', `/citizens/${AN}/documents`)).json

    const res = await sims.change('vneid', 'documents/tamper', {
      citizenId: AN, documentId: 'DOC-AN-DL', changes: { number: '790999999999' }
    })
    const after = (await sims.get('vneid', `/citizens/${AN}/documents`)).json
    const link = await sims.get('vneid', '/identifiers/790999999999')

    const [oldLicence, licence] = [before, after].map((w) => w.documents[1])
    t.equal(res.status, 200)
    t.match(res.json.event, walletEvent('document-tampered'))
    t.same(receiver.events().map((e) => e.type), ['document-tampered'])
    t.equal(licence.number, '790999999999')
    t.same(licence.signature, oldLicence.signature, 'the old signature stays')
    t.equal(licence.updatedAt, oldLicence.updatedAt, 'and so does updatedAt')
    t.notOk(verifyDocument(AN, licence, keys), 'so it no longer verifies')
    t.ok(verifyDocument(AN, after.documents[0], keys), 'the others still do')
    t.equal(link.json.citizenId, AN, 'the register serves what it now holds')
  })

t.test('a tamper must change a signed field and claim no one else\'s number',
  async (t) => {
    const sims = await startChangeSimulators(t)
    const tamper = (changes: object, documentId = 'DOC-AN-DL') =>
      sims.change('vneid', 'documents/tamper', { citizenId: AN, documentId, changes })

    const nothing = await tamper({})
    const same = await tamper({ number: '790123456789' })
    const stamp = await tamper({ updatedAt: '2030-01-01T00:00:00Z' })
    const theirs = await tamper({ number: 'C1234567' })
    const missing = await tamper({ issuer: 'X' }, 'DOC-NONE')
    const status = await tamper({ status: 'active', expiresOn: '2099-01-01' }, 'DOC-AN-ID')

    t.equal(nothing.status, 400)
    t.equal(same.status, 400)
    t.match(same.json.detail, /as it was signed/)
    t.equal(stamp.status, 400, 'updatedAt is not a field a tamper may change')
    t.equal(theirs.status, 409)
    t.equal(missing.json.code, 'DOCUMENT_NOT_FOUND')
    t.equal(status.status, 200, 'a forged extension is a tamper like another')
  })

t.test('GET /_sandbox lists the new change endpoints', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.get('vneid', '/_sandbox')

  for (const path of ['documents/status', 'documents/tamper', 'consents', 'consents/revoke']) {
    t.ok(JSON.stringify(res.json).includes(`/_sandbox/changes/${path} `), path)
  }
})
