import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DocumentSigner } from '../sources/document-signature.js'
import type {
  CivilStatusDataset,
  PopulationDataset,
  VneidDataset,
  VneidWallet
} from '../sources/types.js'
import { createStore, type SimulatorStore } from './store.js'

/** A dataset file that is missing, not JSON, or not shaped as types.ts says. */
export class DatasetError extends Error {
  override name = 'DatasetError'
  readonly code = 'SIM_DATASET_INVALID'
  readonly file: string

  constructor (file: string, problem: string, options?: ErrorOptions) {
    super(`dataset file ${file}: ${problem}`, options)
    this.file = file
  }
}

/**
 * Loads population.json, civil-status.json and vneid.json from each folder
 * and serves their union. Only the shape the indexes rely on is checked here
 * (lists and ids); the full contract is checked by the fixture schemas.
 * VNeID documents are signed with `documentSigner`, or a key made for this
 * store.
 */
export async function loadDatasets (
  folders: string[], documentSigner?: DocumentSigner
): Promise<SimulatorStore> {
  const store = createStore(documentSigner)
  const seen = new SeenIds()
  for (const folder of folders) {
    await loadPopulation(store, seen, join(folder, 'population.json'))
    await loadCivilStatus(store, seen, join(folder, 'civil-status.json'))
    await loadVneid(store, seen, join(folder, 'vneid.json'))
  }
  return store
}

async function loadPopulation (
  store: SimulatorStore, seen: SeenIds, file: string
): Promise<void> {
  const data = await readJson(file) as PopulationDataset
  const persons = listOf(data, 'persons', file)
  const households = listOf(data, 'households', file)
  persons.forEach((person, i) => {
    seen.claim(file, `persons[${i}]`, 'person', idOf(person, 'citizenId'))
  })
  households.forEach((household, i) => {
    const id = idOf(household, 'householdId')
    seen.claim(file, `households[${i}]`, 'household', id)
  })
  for (const person of data.persons) store.population.putPerson(person)
  for (const household of data.households) {
    store.population.putHousehold(household)
  }
}

async function loadCivilStatus (
  store: SimulatorStore, seen: SeenIds, file: string
): Promise<void> {
  const data = await readJson(file) as CivilStatusDataset
  listOf(data, 'events', file).forEach((event, i) => {
    seen.claim(file, `events[${i}]`, 'event', idOf(event, 'eventId'))
    if (!Array.isArray((event as { parties?: unknown }).parties)) {
      throw new DatasetError(file, `events[${i}] has no parties list`)
    }
  })
  for (const event of data.events) store.civilStatus.putEvent(event)
}

async function loadVneid (
  store: SimulatorStore, seen: SeenIds, file: string
): Promise<void> {
  const data = await readJson(file) as VneidDataset
  listOf(data, 'wallets', file).forEach((wallet, i) => {
    seen.claim(file, `wallets[${i}]`, 'wallet', idOf(wallet, 'citizenId'))
    if (!Array.isArray((wallet as { documents?: unknown }).documents)) {
      throw new DatasetError(file, `wallets[${i}] has no documents list`)
    }
  })
  // Files written before consents existed load as wallets without any.
  for (const wallet of data.wallets) {
    store.vneid.putWallet({ ...wallet, consents: wallet.consents ?? [] })
  }
  tamper(store, file, data)
}

// A listed document keeps the signature the store just made, with its bytes
// altered: to a verifier it is a document changed after it was signed.
function tamper (store: SimulatorStore, file: string, data: VneidDataset) {
  const ids = data.tampered ?? []
  if (!Array.isArray(ids)) {
    throw new DatasetError(file, '"tampered" is not a list of document ids')
  }
  for (const [i, documentId] of ids.entries()) {
    const holder = data.wallets.find((w) =>
      w.documents.some((d) => d.documentId === documentId))
    if (holder === undefined) {
      throw new DatasetError(file, `tampered[${i}] names no document of this file`)
    }
    const wallet = store.vneid.wallet(holder.citizenId) as VneidWallet
    const documents = wallet.documents.map((d) => d.documentId === documentId
      ? { ...d, signature: { ...d.signature!, value: flipped(d.signature!.value) } }
      : d)
    store.vneid.putWallet({ ...wallet, documents })
  }
}

function flipped (base64: string): string {
  const bytes = Buffer.from(base64, 'base64')
  bytes[0] = bytes[0]! ^ 0xff
  return bytes.toString('base64')
}

async function readJson (file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'is missing'
      : 'cannot be read'
    throw new DatasetError(file, reason, { cause: err })
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new DatasetError(file, `is not valid JSON${where(text, err)}`)
  }
}

// The parser's own message may quote the text around the fault, and the text
// is personal data (even synthetic, it is shaped like it): report only where.
function where (text: string, err: unknown): string {
  const match = /position (\d+)/.exec((err as Error).message)
  if (match === null) return ''
  const before = text.slice(0, Number(match[1])).split('\n')
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`
}

function listOf (data: unknown, key: string, file: string): unknown[] {
  const list = (data as Record<string, unknown> | null)?.[key]
  if (!Array.isArray(list)) {
    throw new DatasetError(file, `has no "${key}" list at the top level`)
  }
  return list
}

function idOf (item: unknown, key: string): string | undefined {
  const id = (item as Record<string, unknown> | null)?.[key]
  return typeof id === 'string' && id !== '' ? id : undefined
}

/** Finds an id used twice, even across folders, naming where, not the id. */
class SeenIds {
  readonly #where = new Map<string, string>()

  claim (file: string, at: string, kind: string, id: string | undefined) {
    if (id === undefined) {
      throw new DatasetError(file, `${at} has no ${kind} id`)
    }
    const first = this.#where.get(`${kind}:${id}`)
    if (first !== undefined) {
      throw new DatasetError(file, `${at} repeats the ${kind} id of ${first}`)
    }
    this.#where.set(`${kind}:${id}`, `${file} ${at}`)
  }
}
