import type { KeyObject } from 'node:crypto'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { createDocumentSigner } from '../sources/document-signature.js'
import type { SourceName } from '../sources/types.js'
import type { SimulatorOptions } from './app.js'
import { buildCivilStatusSimulator } from './civil-status.js'
import { loadDatasets } from './dataset.js'
import { buildPopulationSimulator } from './population.js'
import { buildVneidSimulator } from './vneid.js'
import { ChangePublisher } from './webhooks/publisher.js'
import type { Webhooks } from './webhooks/settings.js'

type Builder = (opts: SimulatorOptions) => FastifyInstance

const BUILDERS: Record<SourceName, Builder> = {
  population: buildPopulationSimulator,
  civilStatus: buildCivilStatusSimulator,
  vneid: buildVneidSimulator
}

export interface StartSimulatorsOptions {
  /** Dataset folders, each with population.json, civil-status.json, vneid.json. */
  datasets: string[]
  host: string
  /** The port of each simulator; 0 or absent picks a free one. */
  ports: Partial<Record<SourceName, number>>
  which: SourceName[]
  /** Each simulator logs through a child tagged with its register. */
  logger?: FastifyBaseLogger
  /** Where sandbox changes are announced; none when omitted. */
  webhooks?: Webhooks
  /**
   * The Ed25519 private key (PEM or KeyObject) VNeID signs documents with; a
   * new one for this start when omitted.
   */
  documentSigningKey?: KeyObject | string
}

/** The key that verifies the documents the VNeID simulator serves. */
export interface DocumentSigningKey {
  keyId: string
  publicKeyPem: string
}

export interface RunningSimulators {
  urls: Partial<Record<SourceName, string>>
  apps: Partial<Record<SourceName, FastifyInstance>>
  /** What a gateway in the same process configures as the VNeID key. */
  documentSigning: DocumentSigningKey
  /**
   * Replaces the webhooks of every simulator started together, for a
   * receiver that listens only once they are up. Throws on unusable ones.
   */
  setWebhooks: (webhooks: Webhooks) => void
  close: () => Promise<void>
}

/**
 * Loads the datasets once and listens with the simulators asked for; they
 * share one store and one change publisher. If one cannot listen, those
 * already up are closed.
 */
export async function startSimulators (
  opts: StartSimulatorsOptions
): Promise<RunningSimulators> {
  const signer = createDocumentSigner(opts.documentSigningKey)
  const store = await loadDatasets(opts.datasets, signer)
  const publisher = new ChangePublisher(opts.webhooks)
  const running: RunningSimulators = {
    urls: {},
    apps: {},
    documentSigning: { keyId: signer.keyId, publicKeyPem: signer.publicKeyPem },
    setWebhooks: (webhooks) => publisher.set(webhooks),
    close
  }
  // The publisher goes first: a change waiting on a webhook would otherwise
  // hold its simulator's close for up to every retry.
  async function close (): Promise<void> {
    const apps = Object.values(running.apps)
    await Promise.all([publisher.close(), ...apps.map((app) => app.close())])
  }
  try {
    for (const register of new Set(opts.which)) {
      const logger = opts.logger?.child({ register })
      const app = BUILDERS[register]({ store, logger, publisher })
      running.apps[register] = app
      const port = opts.ports[register] ?? 0
      await app.listen({ host: opts.host, port })
      running.urls[register] = urlOf(opts.host, app)
    }
  } catch (err) {
    await close()
    throw err
  }
  return running
}

// The URL is for clients on this machine, so a wildcard host becomes the
// loopback address of the same family.
function urlOf (host: string, app: FastifyInstance): string {
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null
    ? address.port
    : 0
  const name = host === '0.0.0.0'
    ? '127.0.0.1'
    : host === '::' ? '::1' : host
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`
}
