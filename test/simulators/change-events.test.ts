import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { verifyChangeSignature } from '../../src/sources/change-signature.js'
import { startSimulators } from '../../src/simulators/start.js'
import { AN, BINH, HOA } from '../helpers/simulator-dataset.js'
import {
  KHANH,
  SECRET,
  startChangeSimulators,
  startReceiver,
  writeChangeDataset
} from '../helpers/simulator-changes.js'
import { call } from '../helpers/simulator-server.js'

const hue = {
  street: '5 Lê Lợi',
  commune: { code: '19753', name: 'Phường Thuận Hóa' },
  province: { code: '46', name: 'Thành phố Huế' }
}

const signed = (signature: string | undefined, body: string) =>
  verifyChangeSignature(SECRET, signature, body, { toleranceSeconds: 60 })

t.test('the webhook receives each change event, signed', async (t) => {
  const receiver = await startReceiver(t)
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  const death = await sims.change('civilStatus', 'death', { citizenId: AN })
  const move = await sims.change('population', 'address',
    { citizenId: HOA, currentResidence: hue })
  const revoke = await sims.change('vneid', 'documents/DOC-BINH-PP/revoke',
    { citizenId: BINH })

  t.equal(death.status, 200)
  t.equal(death.json.delivered, 1)
  t.same(receiver.events(),
    [death.json.event, move.json.event, revoke.json.event])
  t.same(receiver.events()[0].records, [
    { source: 'population', kind: 'person', id: AN },
    { source: 'population', kind: 'person', id: BINH },
    { source: 'population', kind: 'household', id: 'HH-001' },
    { source: 'civilStatus', kind: 'civil-record', id: AN },
    { source: 'civilStatus', kind: 'civil-record', id: BINH },
    { source: 'vneid', kind: 'wallet', id: AN }
  ])
  t.same(receiver.events().map((e) => e.register),
    ['civilStatus', 'population', 'vneid'])
  for (const delivery of receiver.deliveries) {
    t.match(delivery.signature, /^t=\d+,v1=[0-9a-f]{64}$/)
    t.ok(signed(delivery.signature, delivery.body), 'the signature verifies')
  }
  const ids = receiver.events().map((e) => e.eventId)
  t.equal(new Set(ids).size, 3, 'each event has its own id')
})

t.test('refused changes publish nothing', async (t) => {
  const receiver = await startReceiver(t)
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  await sims.change('civilStatus', 'marriage', { citizenIds: [AN, HOA] })
  await sims.change('civilStatus', 'death', { citizenId: 'bad' })
  await sims.change('vneid', 'documents/NOPE/revoke', { citizenId: AN })

  t.same(receiver.deliveries, [])
})

t.test('every webhook gets the event; the answer counts them', async (t) => {
  const first = await startReceiver(t)
  const second = await startReceiver(t)
  const sims = await startChangeSimulators(t,
    { urls: [first.url, second.url], secret: SECRET })

  const res = await sims.change('civilStatus', 'marriage',
    { citizenIds: [KHANH, HOA] })

  t.equal(res.json.delivered, 2)
  t.same(first.events(), [res.json.event])
  t.same(second.events(), [res.json.event])
})

t.test('the answer waits until the webhook has answered', async (t) => {
  const receiver = await startReceiver(t, { delayMs: 300 })
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  const start = performance.now()
  const res = await sims.change('population', 'address',
    { citizenId: AN, currentResidence: hue })
  const answeredAt = performance.now()

  t.equal(res.status, 200)
  t.equal(receiver.deliveries.length, 1)
  const { receivedAt } = receiver.deliveries[0]
  t.ok(answeredAt - receivedAt >= 290,
    `answered ${answeredAt - receivedAt} ms after delivery`)
  t.ok(answeredAt - start >= 300)
})

t.test('a failing webhook is tried 3 times, then the caller gets 502',
  async (t) => {
    const receiver = await startReceiver(t, { statuses: [500, 503, 500] })
    const sims = await startChangeSimulators(t,
      { urls: [receiver.url], secret: SECRET })

    const res = await sims.change('civilStatus', 'death', { citizenId: HOA })
    const hoa = await sims.get('population', `/persons/${HOA}`)

    t.equal(res.status, 502)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.json, {
      status: 502,
      code: 'WEBHOOK_DELIVERY_FAILED',
      eventId: /^CHG-S-\d{6}$/,
      detail: /cached copies may be stale/
    })
    t.equal(receiver.deliveries.length, 3)
    const events = receiver.events()
    t.same(events.map((e) => e.eventId), Array(3).fill(res.json.eventId),
      'a redelivery carries the same id')
    t.equal(hoa.json.lifeStatus, 'deceased', 'the change stands')
    t.notMatch(res.text, HOA)
  })

t.test('a webhook that recovers on a retry counts as delivered', async (t) => {
  const receiver = await startReceiver(t, { statuses: [503, 200] })
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  const res = await sims.change('civilStatus', 'death', { citizenId: HOA })

  t.equal(res.status, 200)
  t.equal(res.json.delivered, 1)
  t.equal(receiver.deliveries.length, 2)
  t.ok(signed(receiver.deliveries[1].signature, receiver.deliveries[1].body))
})

t.test('a webhook refusing the event with a 4xx is not retried', async (t) => {
  const receiver = await startReceiver(t, { statuses: [401, 204] })
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  const res = await sims.change('civilStatus', 'death', { citizenId: HOA })

  t.equal(res.status, 502)
  t.equal(receiver.deliveries.length, 1)
})

t.test('one failing webhook fails the answer though the other took it',
  async (t) => {
    const good = await startReceiver(t)
    const sims = await startChangeSimulators(t,
      { urls: [good.url, 'http://127.0.0.1:1/hook'], secret: SECRET })

    const res = await sims.change('civilStatus', 'death', { citizenId: HOA })

    t.equal(res.status, 502)
    t.equal(good.deliveries.length, 1)
  })

t.test('an attempt that outlasts 2 s is cut and retried', async (t) => {
  const receiver = await startReceiver(t, { delayMs: 60_000 })
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  const start = performance.now()
  const res = await sims.change('civilStatus', 'death', { citizenId: HOA })
  const elapsed = performance.now() - start

  t.equal(res.status, 502)
  t.equal(receiver.deliveries.length, 3)
  t.ok(elapsed >= 6_000 && elapsed < 8_000, `took ${elapsed} ms`)
})

t.test('without webhooks a change answers delivered: 0', async (t) => {
  const sims = await startChangeSimulators(t)

  const res = await sims.change('civilStatus', 'death', { citizenId: HOA })

  t.equal(res.status, 200)
  t.equal(res.json.delivered, 0)
})

t.test('setWebhooks after start reaches every simulator', async (t) => {
  const receiver = await startReceiver(t)
  const sims = await startChangeSimulators(t)
  await sims.change('civilStatus', 'death', { citizenId: HOA })

  sims.running.setWebhooks({ urls: [receiver.url], secret: SECRET })
  const move = await sims.change('population', 'address',
    { citizenId: AN, currentResidence: hue })
  const revoke = await sims.change('vneid', 'documents/DOC-AN-ID/revoke',
    { citizenId: AN })
  sims.running.setWebhooks({ urls: [], secret: '' })
  const quiet = await sims.change('civilStatus', 'death', { citizenId: KHANH })

  t.same(receiver.events(), [move.json.event, revoke.json.event])
  t.equal(quiet.json.delivered, 0)
})

t.test('unusable webhooks are refused, naming neither URL nor secret',
  async (t) => {
    const sims = await startChangeSimulators(t)
    const set = (urls: string[], secret: string) =>
      () => sims.running.setWebhooks({ urls, secret })

    t.throws(set(['http://127.0.0.1:9/hook'], 'short'),
      { code: 'SIM_WEBHOOK_SETTINGS_INVALID', message: /at least 32/ })
    t.throws(set(['ftp://files.example/hook'], SECRET),
      { message: 'webhook URL 1 is not http or https' })
    t.throws(set(['not a url'], SECRET), { name: 'WebhookSettingsError' })
    await t.rejects(startSimulators({
      datasets: [writeChangeDataset(t.testdir())],
      host: '127.0.0.1',
      ports: {},
      which: ['vneid'],
      webhooks: { urls: ['http://127.0.0.1:9/hook'], secret: '' }
    }), { code: 'SIM_WEBHOOK_SETTINGS_INVALID' })
  })

t.test('closing the simulators ends a delivery in progress', async (t) => {
  const receiver = await startReceiver(t, { delayMs: 60_000 })
  const sims = await startChangeSimulators(t,
    { urls: [receiver.url], secret: SECRET })

  const pending = sims.change('civilStatus', 'death', { citizenId: HOA })
  while (receiver.deliveries.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const start = performance.now()
  await sims.running.close()
  const res = await pending

  t.ok(performance.now() - start < 1_000, 'close did not wait for retries')
  t.equal(res.status, 502)
  t.equal(receiver.deliveries.length, 1)
})

t.test('GET /_sandbox lists each simulator\'s change endpoints', async (t) => {
  const sims = await startChangeSimulators(t)

  const civil = await call(`${sims.urls.civilStatus}/_sandbox`)
  const population = await call(`${sims.urls.population}/_sandbox`)
  const vneid = await call(`${sims.urls.vneid}/_sandbox`)

  t.match(civil.json.changes, [
    /^POST \/_sandbox\/changes\/death /,
    /^POST \/_sandbox\/changes\/marriage /,
    /^POST \/_sandbox\/changes\/divorce /
  ])
  t.match(population.json.changes, [/^POST \/_sandbox\/changes\/address /])
  t.match(vneid.json.changes, [
    /^POST \/_sandbox\/changes\/documents /,
    /^POST \/_sandbox\/changes\/documents\/:documentId\/revoke /
  ])
  t.match(civil.json.changeEvents, /x-cdg-signature/)
})

t.test('delivery failures are logged without the webhook path or a person',
  async (t) => {
    const lines: Array<Record<string, unknown>> = []
    const logger = pino(new Writable({
      write (chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()))
        done()
      }
    }))
    const receiver = await startReceiver(t, { statuses: [500] })
    const running = await startSimulators({
      datasets: [writeChangeDataset(t.testdir())],
      host: '127.0.0.1',
      ports: {},
      which: ['civilStatus'],
      logger,
      webhooks: { urls: [`${receiver.url}?token=abc`], secret: SECRET }
    })
    t.teardown(running.close)

    const res = await call(`${running.urls.civilStatus}/_sandbox/changes/death`,
      { method: 'POST', body: { citizenId: KHANH } })

    const failed = lines.find((l) => l.msg === 'change event not delivered')
    t.match(failed, {
      level: 40,
      eventId: res.json.eventId,
      webhook: new URL(receiver.url).origin,
      attempt: 3,
      reason: 500
    })
    t.match(lines.find((l) => l.msg === 'sandbox change made'),
      { eventId: res.json.eventId, type: 'death', records: 2 })
    t.notMatch(JSON.stringify(lines), new RegExp(`${KHANH}|token|/hook`))
  })
