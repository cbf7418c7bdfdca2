import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { DatasetError } from '../../src/simulators/dataset.js'
import { startSimulators } from '../../src/simulators/start.js'
import { AN, writeDataset } from '../helpers/simulator-dataset.js'
import { call } from '../helpers/simulator-server.js'

t.test('starts the simulators asked for, each on its port', async (t) => {
  const running = await startSimulators({
    datasets: [writeDataset(t.testdir())],
    host: '127.0.0.1',
    ports: { population: 0 },
    which: ['population', 'vneid']
  })
  t.teardown(running.close)

  const population = await call(`${running.urls.population}/persons/${AN}`)
  const vneid = await call(`${running.urls.vneid}/citizens/${AN}/documents`)

  t.same(Object.keys(running.urls).sort(), ['population', 'vneid'])
  t.same(Object.keys(running.apps).sort(), ['population', 'vneid'])
  t.equal(population.json.citizenId, AN)
  t.equal(vneid.json.citizenId, AN)
})

t.test('close() stops every simulator', async (t) => {
  const running = await startSimulators({
    datasets: [writeDataset(t.testdir())],
    host: '127.0.0.1',
    ports: {},
    which: ['population', 'civilStatus', 'vneid']
  })

  await running.close()

  for (const url of Object.values(running.urls)) {
    await t.rejects(call(`${url}/healthz`), { code: 'ECONNREFUSED' })
  }
})

t.test('a broken dataset fails the start', async (t) => {
  const folder = writeDataset(t.testdir(), { vneid: 'missing' })

  await t.rejects(startSimulators({
    datasets: [folder], host: '127.0.0.1', ports: {}, which: ['population']
  }), DatasetError)
})

t.test('a port in use fails the start and frees the others', async (t) => {
  const taken = await listenOn(0)
  t.teardown(() => { taken.close() })
  const free = await listenOn(0)
  const freePort = (free.address() as AddressInfo).port
  free.close()
  await once(free, 'close')

  const failed = await startSimulators({
    datasets: [writeDataset(t.testdir())],
    host: '127.0.0.1',
    ports: {
      population: freePort,
      civilStatus: (taken.address() as AddressInfo).port
    },
    which: ['population', 'civilStatus']
  }).catch((err) => err)
  const again = await listenOn(freePort).then((server) => {
    server.close()
    return 'free'
  }, (err) => err.code)

  t.equal(failed.code, 'EADDRINUSE')
  t.equal(again, 'free', 'the simulator that did start was closed')
})

t.test('a wildcard host is announced as the loopback address', async (t) => {
  const running = await startSimulators({
    datasets: [writeDataset(t.testdir())],
    host: '0.0.0.0',
    ports: {},
    which: ['civilStatus']
  })
  t.teardown(running.close)

  t.match(running.urls.civilStatus, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal((await call(`${running.urls.civilStatus}/healthz`)).status, 200)
})

t.test('logs name the register and the route, never the person',
  async (t) => {
    const lines: Array<Record<string, unknown>> = []
    const logger = pino(new Writable({
      write (chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()))
        done()
      }
    }))
    const running = await startSimulators({
      datasets: [writeDataset(t.testdir())],
      host: '127.0.0.1',
      ports: {},
      which: ['population'],
      logger
    })
    t.teardown(running.close)

    await call(`${running.urls.population}/persons/${AN}`)
    await call(`${running.urls.population}/search`,
      { method: 'POST', body: { fullName: 'Nguyễn Văn An' } })

    const access = lines.filter((line) => line.msg === 'request completed')
    t.match(access, [
      {
        register: 'population',
        operation: 'GET /persons/:citizenId',
        statusCode: 200,
        reqId: String
      },
      { register: 'population', operation: 'POST /search' }
    ])
    t.notMatch(JSON.stringify(lines), new RegExp(`${AN}|Nguy`))
  })

function listenOn (port: number) {
  const server = createServer()
  return new Promise<typeof server>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}
