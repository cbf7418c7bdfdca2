// The three simulators on one store, as sandbox changes need them, and a tiny
// webhook receiver that records what it is sent.
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import type { ChangeEvent } from '../../src/sources/change-events.js'
import type { Household, PopulationRecord } from '../../src/sources/types.js'
import { startSimulators } from '../../src/simulators/start.js'
import type { Webhooks } from '../../src/simulators/webhooks/settings.js'
import {
  HOA, households, persons, writeDataset
} from './simulator-dataset.js'
import { call, type Answer } from './simulator-server.js'

export const SECRET = 'a-sandbox-webhook-secret-of-40-characters'

/** A single man of 37, in no household and with no VNeID account. */
export const KHANH = '001088000005'
/** Hoà's younger sister, in Hoà's household. */
export const LAN = '079195000006'

const hoa = persons.find((person) => person.citizenId === HOA)!

const extraPersons: PopulationRecord[] = [
  {
    ...hoa,
    citizenId: KHANH,
    fullName: 'Lê Văn Khánh',
    dateOfBirth: '1988-11-02',
    sex: 'male',
    householdId: null
  },
  {
    ...hoa,
    citizenId: LAN,
    fullName: 'Đặng Thị Lan',
    dateOfBirth: '1995-04-04',
    householdId: 'HH-002'
  }
]

const hoaHousehold: Household = {
  householdId: 'HH-002',
  headId: HOA,
  address: hoa.permanentResidence!,
  members: [
    { citizenId: HOA, relationship: 'head' },
    { citizenId: LAN, relationship: 'sibling' }
  ],
  updatedAt: '2023-06-30T08:00:00.000Z'
}

/** The simulator test dataset, with Khánh, Lan and Hoà's household added. */
export function writeChangeDataset (folder: string): string {
  return writeDataset(folder, {
    population: {
      persons: [...persons, ...extraPersons],
      households: [...households, hoaHousehold]
    }
  })
}

type Register = 'population' | 'civilStatus' | 'vneid'

/** Starts the three simulators on a fresh copy of the change dataset. */
export async function startChangeSimulators (
  t: Test, webhooks?: Webhooks
) {
  const running = await startSimulators({
    datasets: [writeChangeDataset(t.testdir())],
    host: '127.0.0.1',
    ports: {},
    which: ['population', 'civilStatus', 'vneid'],
    webhooks
  })
  t.teardown(running.close)
  const urls = running.urls as Record<Register, string>
  return {
    running,
    urls,
    /** POST /_sandbox/changes/<path> on the simulator of `register`. */
    change: (register: Register, path: string, body: unknown) =>
      call(`${urls[register]}/_sandbox/changes/${path}`,
        { method: 'POST', body }),
    get: (register: Register, path: string): Promise<Answer> =>
      call(`${urls[register]}${path}`)
  }
}

export interface Delivery {
  signature: string | undefined
  /** The body exactly as received. */
  body: string
  /** performance.now() when the request arrived. */
  receivedAt: number
}

export interface ReceiverOptions {
  /** The status of each answer in turn; the last one repeats. 204 by default. */
  statuses?: number[]
  /** How long each answer waits, in milliseconds. */
  delayMs?: number
}

/** A webhook receiver on a free port that records every delivery. */
export async function startReceiver (t: Test, opts: ReceiverOptions = {}) {
  const statuses = opts.statuses ?? [204]
  const deliveries: Delivery[] = []
  const closing = new AbortController()
  const app = Fastify()
  app.addContentTypeParser('application/json', { parseAs: 'string' },
    (_request, body, done) => { done(null, body) })
  app.post('/hook', async (request, reply) => {
    const header = request.headers['x-cdg-signature']
    deliveries.push({
      signature: Array.isArray(header) ? header[0] : header,
      body: request.body as string,
      receivedAt: performance.now()
    })
    const status = statuses[Math.min(deliveries.length, statuses.length) - 1]
    // A pending answer ends when the receiver closes, so close never waits.
    await sleep(opts.delayMs ?? 0, undefined, { signal: closing.signal })
      .catch(() => {})
    return reply.code(status).send()
  })
  app.addHook('preClose', (done) => { closing.abort(); done() })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    events: () => deliveries.map((d) => JSON.parse(d.body) as ChangeEvent)
  }
}
