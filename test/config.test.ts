import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import t from 'tap'
import { pemBlocks, signingKey } from '../src/config/audit.js'
import { ConfigError, loadEnv } from '../src/config/env.js'
import { vneidDocumentKeys } from '../src/config/vneid.js'

t.test('defaults give a working sandbox configuration', async (t) => {
  const env = loadEnv({})
  t.equal(env.PORT, 8080)
  t.equal(env.POPULATION_URL, undefined, 'no upstream: the simulator is started')
  t.equal(env.UPSTREAM_DEADLINE_MS, 3000)
})

t.test('numbers and booleans are parsed from their text', async (t) => {
  const env = loadEnv({ PORT: '9000', TRUST_PROXY: 'true', UPSTREAM_RETRIES: '0' })
  t.equal(env.PORT, 9000)
  t.equal(env.TRUST_PROXY, true)
  t.equal(env.UPSTREAM_RETRIES, 0)
})

t.test('a bad variable is named in the error, its value is not echoed', async (t) => {
  const cases: Record<string, string> = {
    PORT: 'eighty',
    POPULATION_URL: 'not a url secret-ish',
    LOG_LEVEL: 'loud',
    UPSTREAM_RETRIES: '9'
  }
  for (const [name, value] of Object.entries(cases)) {
    const err = t.throws(() => loadEnv({ [name]: value })) as Error
    t.ok(err instanceof ConfigError, name)
    t.match(err.message, name)
    t.notMatch(err.message, value)
  }
})

t.test('the audit signing key: required in production, kept in a file elsewhere', async (t) => {
  const dir = t.testdir()
  const logger = pino({ level: 'silent' })
  const path = (value: string) => join(dir, value)
  t.throws(() => signingKey(loadEnv({ NODE_ENV: 'production' }), path, logger), ConfigError)
  const dev = loadEnv({ AUDIT_SIGNING_KEY_FILE: 'keys/audit.pem' })
  const first = signingKey(dev, path, logger)
  t.match(first, /BEGIN PRIVATE KEY/)
  t.equal(statSync(join(dir, 'keys/audit.pem')).mode & 0o777, 0o600, 'readable by the owner only')
  t.equal(signingKey(dev, path, logger), first, 'a restart signs with the same key')
  const given = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const oneLine = given.trim().replaceAll('\n', '\\n')
  t.equal(signingKey(loadEnv({ NODE_ENV: 'production', AUDIT_SIGNING_KEY: oneLine }), path, logger).trim(),
    given.trim(), 'a PEM flattened to one line with \\n is read as the PEM')
})

t.test('AUDIT_VERIFY_KEYS may hold several public keys', async (t) => {
  const pems = [1, 2].map(() => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString())
  t.same(pemBlocks(pems.join('')).map((p) => `${p}\n`), pems)
})

t.test('VNEID_PUBLIC_KEYS is required with VNEID_URL, in every environment', async (t) => {
  const url = 'https://vneid.example/api'
  for (const NODE_ENV of ['development', 'test', 'production']) {
    const err = t.throws(() => loadEnv({ NODE_ENV, VNEID_URL: url })) as Error
    t.ok(err instanceof ConfigError, NODE_ENV)
    t.match(err.message, /VNEID_PUBLIC_KEYS is required when VNEID_URL is set/)
  }
  const key = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const env = loadEnv({ NODE_ENV: 'production', VNEID_URL: url, VNEID_PUBLIC_KEYS: key })
  t.equal(vneidDocumentKeys(env).size, 1)
  t.equal(loadEnv({}).VNEID_PUBLIC_KEYS, undefined, 'not needed with the simulator')
})

t.test('VNEID_PUBLIC_KEYS holds Ed25519 public keys, several for rotation', async (t) => {
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString()
  const ed25519 = () => spki(generateKeyPairSync('ed25519').publicKey)
  const withKeys = (VNEID_PUBLIC_KEYS: string) =>
    loadEnv({ VNEID_URL: 'https://vneid.example', VNEID_PUBLIC_KEYS })

  const bundle = [ed25519(), ed25519()].join('')
  t.equal(vneidDocumentKeys(withKeys(bundle)).size, 2)
  t.equal(vneidDocumentKeys(withKeys(bundle.trim().replaceAll('\n', '\\n'))).size, 2, 'flattened to one line')
  t.equal(vneidDocumentKeys(loadEnv({}), ed25519()).size, 1, 'the in-process simulator\'s key')
  const bad: Array<[string, string]> = [
    ['no PEM', 'not-a-key'],
    ['an RSA key', spki(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)],
    ['a private key', generateKeyPairSync('ed25519').privateKey
      .export({ type: 'pkcs8', format: 'pem' }).toString()]
  ]
  for (const [what, value] of bad) {
    const err = t.throws(() => vneidDocumentKeys(withKeys(value))) as Error
    t.ok(err instanceof ConfigError, what)
    t.match(err.message, /VNEID_PUBLIC_KEYS/, what)
    t.notMatch(err.message, /BEGIN|MC[oC]/, `${what}: the key is not echoed`)
  }
})
