import envSchema from 'env-schema'
import { resolve } from 'node:path'
import { createDocumentSigner } from '../sources/document-signature.js'
import type { StartSimulatorsOptions } from './start.js'
import { MIN_SECRET_LENGTH, isWebhookUrl } from './webhooks/settings.js'

const port = (fallback: number) =>
  ({ type: 'integer', minimum: 0, maximum: 65_535, default: fallback })

const schema = {
  type: 'object',
  properties: {
    SIMULATOR_HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    POPULATION_SIM_PORT: port(8081),
    CIVIL_STATUS_SIM_PORT: port(8082),
    VNEID_SIM_PORT: port(8083),
    // Comma-separated folders; relative ones are taken from the repository
    // root, as the gateway's own SIMULATOR_DATASETS is.
    SIMULATOR_DATASETS: {
      type: 'string',
      default: 'fixtures/personas,fixtures/generated'
    },
    LOG_LEVEL: {
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info'
    },
    // Comma-separated; each sandbox change is POSTed to every one.
    CHANGE_WEBHOOK_URLS: { type: 'string', default: '' },
    // No default: required once CHANGE_WEBHOOK_URLS names a webhook.
    CHANGE_WEBHOOK_SECRET: { type: 'string', minLength: MIN_SECRET_LENGTH },
    // Ed25519 private key (PEM) VNeID signs documents with. Without it each
    // start makes a new key, which a gateway elsewhere cannot be told in
    // advance.
    VNEID_SIGNING_KEY: { type: 'string', minLength: 1 }
  }
}

interface SimulatorEnv {
  SIMULATOR_HOST: string
  POPULATION_SIM_PORT: number
  CIVIL_STATUS_SIM_PORT: number
  VNEID_SIM_PORT: number
  SIMULATOR_DATASETS: string
  LOG_LEVEL: string
  CHANGE_WEBHOOK_URLS: string
  CHANGE_WEBHOOK_SECRET?: string
  VNEID_SIGNING_KEY?: string
}

export interface SimulatorSettings extends Omit<StartSimulatorsOptions,
  'logger'> {
  logLevel: string
}

/**
 * The standalone simulators' settings, from the environment. A bad value
 * throws an error whose message names the variable.
 */
export function readSimulatorEnv (
  data: Record<string, string | undefined>, rootDir: string
): SimulatorSettings {
  const env = validate(data)
  const settings: SimulatorSettings = {
    datasets: datasetFolders(env.SIMULATOR_DATASETS, rootDir),
    host: env.SIMULATOR_HOST,
    ports: {
      population: env.POPULATION_SIM_PORT,
      civilStatus: env.CIVIL_STATUS_SIM_PORT,
      vneid: env.VNEID_SIM_PORT
    },
    which: ['population', 'civilStatus', 'vneid'],
    logLevel: env.LOG_LEVEL
  }
  if (env.VNEID_SIGNING_KEY !== undefined) {
    settings.documentSigningKey = signingKey(env.VNEID_SIGNING_KEY)
  }
  const urls = webhookUrls(env.CHANGE_WEBHOOK_URLS)
  if (urls.length > 0) settings.webhooks = { urls, secret: secretOf(env) }
  return settings
}

// Ajv's text names the variable but not the values an enum allows.
function validate (data: Record<string, string | undefined>): SimulatorEnv {
  try {
    return envSchema<SimulatorEnv>({ schema, data, env: false })
  } catch (err) {
    const allowed = (err as { errors?: Array<{ params: EnumParams }> })
      .errors?.find((e) => e.params.allowedValues !== undefined)
    if (allowed === undefined) throw err
    const values = allowed.params.allowedValues!.join(', ')
    throw new Error(`${(err as Error).message} (${values})`)
  }
}

interface EnumParams { allowedValues?: string[] }

function datasetFolders (list: string, rootDir: string): string[] {
  const folders = list.split(',')
    .map((folder) => folder.trim())
    .filter((folder) => folder !== '')
  if (folders.length === 0) {
    throw new Error('SIMULATOR_DATASETS must name at least one folder')
  }
  return folders.map((folder) => resolve(rootDir, folder))
}

// A URL may carry a token, so the message says which entry, not what it is.
function webhookUrls (list: string): string[] {
  const urls = list.split(',').map((url) => url.trim()).filter(Boolean)
  urls.forEach((url, i) => {
    if (!isWebhookUrl(url)) {
      throw new Error(
        `CHANGE_WEBHOOK_URLS entry ${i + 1} is not an http or https URL`)
    }
  })
  return urls
}

function secretOf (env: SimulatorEnv): string {
  if (env.CHANGE_WEBHOOK_SECRET === undefined) {
    throw new Error(
      'CHANGE_WEBHOOK_SECRET is required when CHANGE_WEBHOOK_URLS is set')
  }
  return env.CHANGE_WEBHOOK_SECRET
}

// Checked here so that a bad key stops start-up with the variable's name; an
// environment that flattened the PEM to one line with literal \n is accepted.
function signingKey (value: string): string {
  const pem = value.includes('\\n') ? value.replaceAll('\\n', '\n') : value
  try {
    createDocumentSigner(pem)
  } catch {
    throw new Error('VNEID_SIGNING_KEY is not an Ed25519 private key in PEM')
  }
  return pem
}
