// The checkpoint key as the lead will pass it: a PEM from AUDIT_SIGNING_KEY or a
// KeyObject. Anything but an Ed25519 private key is refused at construction.
import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import t from 'tap'
import { AuditConfigError, SqliteAuditStore } from '../../src/audit/index.js'
import { testDir } from '../helpers/audit-stores.js'

t.test('a PEM private key gives the same key id as its KeyObject', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const file = join(testDir(t), 'audit.db')

  const fromPem = new SqliteAuditStore({ file, signingKey: pem })
  const fromObject = new SqliteAuditStore({ file, signingKey: privateKey })
  t.teardown(() => Promise.all([fromPem.close(), fromObject.close()]))

  t.match(fromPem.keyId, /^[0-9a-f]{16}$/)
  t.equal(fromPem.keyId, fromObject.keyId)
  t.equal(fromPem.publicKeyPem, publicKey.export({ type: 'spki', format: 'pem' }))
})

t.test('other keys are refused without quoting them', async (t) => {
  const file = join(testDir(t), 'audit.db')
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
  const ed = generateKeyPairSync('ed25519')
  const garbage = ['-----BEGIN PRIVATE KEY-----', 'c2VjcmV0LWJ1dC1icm9rZW4=',
    '-----END PRIVATE KEY-----'].join('\n')

  t.throws(() => new SqliteAuditStore({ file, signingKey: rsa }), AuditConfigError)
  t.throws(() => new SqliteAuditStore({ file, signingKey: ed.publicKey }), AuditConfigError)
  t.throws(() => new SqliteAuditStore({ file, verifyKeys: [rsa] }), AuditConfigError)
  const err = (() => {
    try { return new SqliteAuditStore({ file, signingKey: garbage }) } catch (e) { return e }
  })() as AuditConfigError
  t.equal(err.code, 'AUDIT_CONFIG_INVALID')
  t.notMatch(err.message, /c2VjcmV0/)
})
