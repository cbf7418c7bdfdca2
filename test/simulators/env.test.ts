import t from 'tap'
import { readSimulatorEnv } from '../../src/simulators/env.js'

const ROOT = '/srv/gateway'

t.test('defaults: loopback, ports 8081-8083, the fixture folders', async (t) => {
  const settings = readSimulatorEnv({}, ROOT)

  t.same(settings, {
    datasets: ['/srv/gateway/fixtures/personas', '/srv/gateway/fixtures/generated'],
    host: '127.0.0.1',
    ports: { population: 8081, civilStatus: 8082, vneid: 8083 },
    which: ['population', 'civilStatus', 'vneid'],
    logLevel: 'info'
  })
})

t.test('reads every variable', async (t) => {
  const settings = readSimulatorEnv({
    SIMULATOR_HOST: '0.0.0.0',
    POPULATION_SIM_PORT: '9001',
    CIVIL_STATUS_SIM_PORT: '0',
    VNEID_SIM_PORT: '9003',
    SIMULATOR_DATASETS: ' extra , /data/big ,',
    LOG_LEVEL: 'debug'
  }, ROOT)

  t.same(settings.ports, { population: 9001, civilStatus: 0, vneid: 9003 })
  t.equal(settings.host, '0.0.0.0')
  t.same(settings.datasets, ['/srv/gateway/extra', '/data/big'])
  t.equal(settings.logLevel, 'debug')
})

t.test('a bad value is refused, naming the variable', async (t) => {
  const cases = [
    ['POPULATION_SIM_PORT', 'eighty', /POPULATION_SIM_PORT must be integer/],
    ['VNEID_SIM_PORT', '70000', /VNEID_SIM_PORT must be <= 65535/],
    ['CIVIL_STATUS_SIM_PORT', '-1', /CIVIL_STATUS_SIM_PORT must be >= 0/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL .*\(fatal, error, warn, info/],
    ['SIMULATOR_HOST', '', /SIMULATOR_HOST/],
    ['SIMULATOR_DATASETS', ' , ', /SIMULATOR_DATASETS must name a/]
  ] as const

  for (const [name, value, message] of cases) {
    t.throws(() => readSimulatorEnv({ [name]: value }, ROOT),
      { message }, name)
  }
})

t.test('webhooks: CHANGE_WEBHOOK_URLS with its secret', async (t) => {
  const secret = 's'.repeat(32)

  const none = readSimulatorEnv({ CHANGE_WEBHOOK_SECRET: secret }, ROOT)
  const two = readSimulatorEnv({
    CHANGE_WEBHOOK_URLS: ' http://127.0.0.1:3000/events/changes, https://gw.example/hook ,',
    CHANGE_WEBHOOK_SECRET: secret
  }, ROOT)

  t.equal(none.webhooks, undefined, 'a secret alone configures nothing')
  t.same(two.webhooks, {
    urls: ['http://127.0.0.1:3000/events/changes', 'https://gw.example/hook'],
    secret
  })
})

t.test('bad webhook settings are refused without echoing them',
  async (t) => {
    const url = 'http://127.0.0.1:3000/hook?token=abc'
    const cases = [
      [{ CHANGE_WEBHOOK_URLS: url },
        /^CHANGE_WEBHOOK_SECRET is required when CHANGE_WEBHOOK_URLS is set$/],
      [{ CHANGE_WEBHOOK_URLS: url, CHANGE_WEBHOOK_SECRET: 'short-secret' },
        /CHANGE_WEBHOOK_SECRET must NOT have fewer than 32 characters/],
      [{ CHANGE_WEBHOOK_URLS: `${url},ws://x/y`, CHANGE_WEBHOOK_SECRET: 's'.repeat(32) },
        /^CHANGE_WEBHOOK_URLS entry 2 is not an http or https URL$/]
    ] as const

    for (const [env, message] of cases) {
      const err = (() => {
        try {
          readSimulatorEnv(env, ROOT)
        } catch (err) {
          return err as Error
        }
      })()
      t.match(err?.message, message)
      t.notMatch(err?.message, /token|short-secret/)
    }
  })
