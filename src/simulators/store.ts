import type { DocumentSigner } from '../sources/document-signature.js'
import { CivilStatusStore } from './store/civil-status-store.js'
import { IdSequence } from './store/id-sequence.js'
import { PopulationStore } from './store/population-store.js'
import { VneidStore } from './store/vneid-store.js'

export { CivilStatusStore, PopulationStore, VneidStore }

/**
 * The three registers as one store. Simulators started together share it,
 * so a sandbox change (a death, a marriage) can touch every register at once,
 * as the real ones are kept in step.
 */
export interface SimulatorStore {
  population: PopulationStore
  civilStatus: CivilStatusStore
  vneid: VneidStore
  /** Ids for the events, households and documents sandbox changes create. */
  ids: IdSequence
}

/** VNeID signs with `documentSigner`, or with a key of its own made here. */
export function createStore (documentSigner?: DocumentSigner): SimulatorStore {
  return {
    population: new PopulationStore(),
    civilStatus: new CivilStatusStore(),
    vneid: new VneidStore(documentSigner),
    ids: new IdSequence()
  }
}
