import type { FastifyInstance } from 'fastify'
import type { CivilEvent, CivilRecord } from '../sources/types.js'
import { createSimulator, type SimulatorOptions } from './app.js'
import { civilStatusChanges as changes } from './changes/endpoints.js'
import { ProblemError } from './problems.js'
import { answers, citizenIdParam, objectOf } from './schemas/common.js'
import { civilRecord } from './schemas/civil-status.js'
import type { SimulatorStore } from './store.js'

/** The civil-status register (hộ tịch), not listening yet. */
export function buildCivilStatusSimulator (opts: SimulatorOptions) {
  return createSimulator({
    ...opts, register: 'civilStatus', routes, changes
  })
}

function routes (app: FastifyInstance, store: SimulatorStore) {
  app.get<{ Params: { citizenId: string } }>('/persons/:citizenId/events', {
    schema: {
      params: objectOf({ citizenId: citizenIdParam }),
      response: answers(civilRecord)
    }
  }, (request) => recordOf(store, request.params.citizenId))
}

// A citizen the population register knows but who has no entry here gets an
// empty record, not a 404: "nothing registered" is an answer. Having no
// change of its own, that record borrows the person's population updatedAt,
// which keeps answers stable across restarts.
function recordOf (store: SimulatorStore, citizenId: string): CivilRecord {
  const events = store.civilStatus.eventsOf(citizenId)
  if (events.length > 0) {
    return { citizenId, events, updatedAt: latestUpdate(events) }
  }
  const person = store.population.person(citizenId)
  if (person === undefined) throw new ProblemError('PERSON_NOT_FOUND')
  return { citizenId, events, updatedAt: person.updatedAt }
}

function latestUpdate (events: CivilEvent[]): string {
  let latest = events[0].updatedAt
  for (const { updatedAt } of events) {
    if (Date.parse(updatedAt) > Date.parse(latest)) latest = updatedAt
  }
  return latest
}
