import { once } from 'node:events'
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { buildPopulationSimulator } from '../../src/simulators/population.js'
import { AN } from '../helpers/simulator-dataset.js'
import { call, startSimulator } from '../helpers/simulator-server.js'

// A small answer, so a drip finishes in a test-sized time.
const LINK = '/identifiers/123456789'
const LINK_BODY = { identifier: '123456789', type: 'cmnd9', citizenId: AN }

async function withFault (t: Test, fault: Record<string, unknown>) {
  const started = await startSimulator(t, buildPopulationSimulator)
  const set = await call(`${started.url}/_sandbox/faults`,
    { method: 'PUT', body: fault })
  t.equal(set.status, 200, 'the fault is accepted')
  return started
}

t.test('error answers a problem with the chosen status', async (t) => {
  const { url } = await withFault(t, { mode: 'error' })

  const first = await call(`${url}${LINK}`)
  await call(`${url}/_sandbox/faults`,
    { method: 'PUT', body: { mode: 'error', status: 502 } })
  const second = await call(`${url}${LINK}`)

  t.equal(first.status, 500)
  t.match(first.headers['content-type'], /^application\/problem\+json/)
  t.match(first.json, { status: 500, code: 'SANDBOX_FAULT' })
  t.equal(second.status, 502)
  t.match(second.json, { status: 502, title: 'Bad Gateway' })
})

t.test('unavailable answers 503 with Retry-After', async (t) => {
  const { url } = await withFault(t,
    { mode: 'unavailable', retryAfterSeconds: 7 })

  const res = await call(`${url}${LINK}`)

  t.equal(res.status, 503)
  t.equal(res.headers['retry-after'], '7')
  t.equal(res.json.code, 'SERVICE_UNAVAILABLE')
})

t.test('slow waits latencyMs, then answers normally', async (t) => {
  const { url } = await withFault(t, { mode: 'slow', latencyMs: 300 })

  const start = performance.now()
  const res = await call(`${url}${LINK}`)
  const elapsed = performance.now() - start

  t.equal(res.status, 200)
  t.same(res.json, LINK_BODY)
  t.ok(elapsed >= 290, `took ${elapsed} ms`)
})

t.test('drip sends the body a byte at a time', async (t) => {
  const intervalMs = 20
  const { url } = await withFault(t, { mode: 'drip', latencyMs: intervalMs })

  // A 200 ms body timeout never fires: each gap is only 20 ms.
  const start = performance.now()
  const res = await request(`${url}${LINK}`, { bodyTimeout: 200 })
  const chunks: Buffer[] = []
  for await (const chunk of res.body) chunks.push(chunk)
  const elapsed = performance.now() - start
  const body = Buffer.concat(chunks)

  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-length'], String(body.length))
  t.same(JSON.parse(body.toString()), LINK_BODY)
  t.ok(chunks.length > body.length / 2, `${chunks.length} chunks`)
  t.ok(elapsed >= (body.length - 1) * intervalMs * 0.9, `took ${elapsed} ms`)
})

t.test('drip is cut by an overall deadline', async (t) => {
  const { url } = await withFault(t, { mode: 'drip', latencyMs: 50 })

  const res = await request(`${url}${LINK}`, {
    bodyTimeout: 1_000, signal: AbortSignal.timeout(300)
  })
  const outcome = await res.body.text().then(() => 'read', (err) => err.name)

  t.equal(outcome, 'TimeoutError')
})

t.test('hang never answers, and does not hold close()', async (t) => {
  const { url, app } = await withFault(t, { mode: 'hang' })

  const pending = request(`${url}${LINK}`).then(() => 'answered', () => 'cut')
  const early = await Promise.race([pending, delay(300, 'waiting')])
  const start = performance.now()
  await app.close()
  const closeMs = performance.now() - start

  t.equal(early, 'waiting')
  t.equal(await pending, 'cut')
  t.ok(closeMs < 1_000, `close took ${closeMs} ms`)
})

t.test('close() also cuts slow and dripping answers', async (t) => {
  const { url, app } = await startSimulator(t, buildPopulationSimulator)
  const settle = (fault: string) => request(`${url}${LINK}`, {
    headers: { 'x-sandbox-fault': fault, 'x-sandbox-latency-ms': '60000' }
  }).then((res) => res.body.text()).then(() => 'answered', () => 'cut')

  const slow = settle('slow')
  const drip = settle('drip')
  await delay(300)
  const start = performance.now()
  await app.close()
  const closeMs = performance.now() - start

  t.equal(await slow, 'cut')
  t.equal(await drip, 'cut')
  t.ok(closeMs < 1_000, `close took ${closeMs} ms`)
})

t.test('close() does not wait for a socket that sent nothing', async (t) => {
  const { url, app } = await startSimulator(t, buildPopulationSimulator)
  const { hostname, port } = new URL(url)
  const socket = connect({ host: hostname, port: Number(port) })
  t.teardown(() => { socket.destroy() })
  await once(socket, 'connect')

  const closing = app.close()
  const outcome = await Promise.race([closing.then(() => 'closed'),
    delay(1_000, 'stuck')])
  socket.destroy()
  await closing

  t.equal(outcome, 'closed')
})

t.test('garbage answers 200 with a body that is not JSON', async (t) => {
  const { url } = await withFault(t, { mode: 'garbage' })

  const res = await call(`${url}${LINK}`)

  t.equal(res.status, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.ok(res.text.length > 0)
  t.throws(() => JSON.parse(res.text))
})

t.test('rate hits an evenly spread, predictable share', async (t) => {
  const { url } = await withFault(t, { mode: 'error', rate: 0.25 })
  const statuses = async (n: number) => {
    const seen: number[] = []
    for (let i = 0; i < n; i++) seen.push((await call(`${url}${LINK}`)).status)
    return seen
  }

  t.same(await statuses(9), [500, 200, 200, 200, 500, 200, 200, 200, 500])
  await call(`${url}/_sandbox/faults`,
    { method: 'PUT', body: { mode: 'error', rate: 0.5 } })
  t.same(await statuses(4), [500, 200, 500, 200], 'setting restarts the count')
})

t.test('faults leave /healthz and /_sandbox alone', async (t) => {
  const { url } = await withFault(t, { mode: 'hang' })

  const health = await call(`${url}/healthz`)
  const current = await call(`${url}/_sandbox/faults`)
  const missing = await call(`${url}/no-such-route`)
  const cleared = await call(`${url}/_sandbox/faults`, { method: 'DELETE' })
  const data = await call(`${url}${LINK}`)

  t.equal(health.status, 200)
  t.same(current.json, {
    mode: 'hang', latencyMs: 0, status: 500, rate: 1, retryAfterSeconds: 1
  })
  t.equal(missing.json.code, 'ROUTE_NOT_FOUND')
  t.equal(cleared.json.mode, 'none')
  t.same(data.json, LINK_BODY)
})

t.test('x-sandbox-fault faults one request only', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const faulted = await call(`${url}${LINK}`,
    { headers: { 'x-sandbox-fault': 'unavailable' } })
  const next = await call(`${url}${LINK}`)
  const global = await call(`${url}/_sandbox/faults`)

  t.equal(faulted.status, 503)
  t.equal(next.status, 200)
  t.equal(global.json.mode, 'none')
})

t.test('x-sandbox-fault: none shields a request from the global fault',
  async (t) => {
    const { url } = await withFault(t, { mode: 'error' })

    const shielded = await call(`${url}${LINK}`,
      { headers: { 'x-sandbox-fault': 'none' } })
    const hit = await call(`${url}${LINK}`)

    t.equal(shielded.status, 200)
    t.equal(hit.status, 500)
  })

t.test('x-sandbox-latency-ms sets the delay of a slow request', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const start = performance.now()
  const res = await call(`${url}${LINK}`, {
    headers: { 'x-sandbox-fault': 'slow', 'x-sandbox-latency-ms': '250' }
  })

  t.equal(res.status, 200)
  t.ok(performance.now() - start >= 240)
})

t.test('bad fault headers answer 400', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)
  const cases: Array<Record<string, string>> = [
    { 'x-sandbox-fault': 'explode' },
    { 'x-sandbox-fault': 'slow', 'x-sandbox-latency-ms': 'soon' },
    { 'x-sandbox-fault': 'slow', 'x-sandbox-latency-ms': '600001' }
  ]

  for (const headers of cases) {
    const res = await call(`${url}${LINK}`, { headers })
    t.equal(res.status, 400, JSON.stringify(headers))
    t.equal(res.json.code, 'BAD_REQUEST')
  }
})

t.test('PUT /_sandbox/faults refuses bad settings', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)
  const cases = [
    {},
    { mode: 'explode' },
    { mode: 'error', rate: 1.5 },
    { mode: 'error', status: 200 },
    { mode: 'slow', latencyMs: -1 },
    { mode: 'slow', delay: 10 }
  ]

  for (const body of cases) {
    const res = await call(`${url}/_sandbox/faults`, { method: 'PUT', body })
    t.equal(res.status, 400, JSON.stringify(body))
    t.equal(res.json.code, 'BAD_REQUEST')
  }
  t.equal((await call(`${url}/_sandbox/faults`)).json.mode, 'none')
})

t.test('GET /_sandbox describes the knobs', async (t) => {
  const { url } = await startSimulator(t, buildPopulationSimulator)

  const res = await call(`${url}/_sandbox`)

  t.equal(res.json.register, 'population')
  t.same(res.json.faultModes,
    ['none', 'error', 'unavailable', 'slow', 'drip', 'hang', 'garbage'])
})

function delay<T> (ms: number, value?: T): Promise<T | undefined> {
  return new Promise((resolve) => setTimeout(resolve, ms, value))
}
