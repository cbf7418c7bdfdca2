// Starts a simulator on a free port for one test and closes it with the test.
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { request } from 'undici'
import type { SimulatorOptions } from '../../src/simulators/app.js'
import { loadDatasets } from '../../src/simulators/dataset.js'
import type { SimulatorStore } from '../../src/simulators/store.js'
import { writeDataset } from './simulator-dataset.js'

type Builder = (opts: SimulatorOptions) => FastifyInstance

export interface Started {
  url: string
  app: FastifyInstance
  store: SimulatorStore
}

/** Writes the test dataset into the test's folder and serves it over HTTP. */
export async function startSimulator (t: Test, build: Builder) {
  const store = await loadDatasets([writeDataset(t.testdir())])
  const app = build({ store })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, app, store }
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: unknown
  headers?: Record<string, string>
}

/** One HTTP call, body read in full; json is undefined when not JSON. */
export async function call (url: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const res = await request(url, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body)
  })
  const text = await res.body.text()
  const answer: Answer = {
    status: res.statusCode, headers: res.headers, text, json: undefined
  }
  try {
    answer.json = JSON.parse(text)
  } catch {}
  return answer
}
