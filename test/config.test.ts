import t from 'tap'
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
