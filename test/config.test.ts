import { generateKeyPairSync } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import t from 'tap'
import { pemBlocks, signingKey } from '../src/config/audit.js'
import { ConfigError, loadEnv } from '../src/config/env.js'

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
