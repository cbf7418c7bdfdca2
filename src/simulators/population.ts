import type { FastifyInstance } from 'fastify'
import type { PopulationSearch } from '../sources/types.js'
import { createSimulator, type SimulatorOptions } from './app.js'
import { populationChanges as changes } from './changes/endpoints.js'
import { ProblemError } from './problems.js'
import {
  answers,
  citizenIdParam,
  identifierLink,
  objectOf,
  opaqueIdParam
} from './schemas/common.js'
import {
  household,
  populationRecord,
  searchBody,
  searchResult
} from './schemas/population.js'
import { hasCriterion, searchPersons } from './search.js'
import type { SimulatorStore } from './store.js'

/** The population register (CSDL quốc gia về dân cư), not listening yet. */
export function buildPopulationSimulator (opts: SimulatorOptions) {
  return createSimulator({
    ...opts, register: 'population', routes, changes
  })
}

function routes (app: FastifyInstance, { population }: SimulatorStore) {
  app.get<{ Params: { citizenId: string } }>('/persons/:citizenId', {
    schema: {
      params: objectOf({ citizenId: citizenIdParam }),
      response: answers(populationRecord)
    }
  }, (request) => population.person(request.params.citizenId) ??
    notFound('PERSON_NOT_FOUND'))

  app.get<{ Params: { householdId: string } }>('/households/:householdId', {
    schema: {
      params: objectOf({ householdId: opaqueIdParam }),
      response: answers(household)
    }
  }, (request) => population.household(request.params.householdId) ??
    notFound('HOUSEHOLD_NOT_FOUND'))

  app.get<{ Params: { value: string } }>('/identifiers/:value', {
    schema: {
      params: objectOf({ value: opaqueIdParam }),
      response: answers(identifierLink)
    }
  }, (request) => population.identifier(request.params.value) ??
    notFound('NOT_FOUND'))

  app.post<{ Body: PopulationSearch }>('/search', {
    schema: { body: searchBody, response: answers(searchResult) }
  }, (request) => {
    if (!hasCriterion(request.body)) {
      throw new ProblemError('BAD_REQUEST', {
        detail: 'Search by fullName, dateOfBirth or birthYear.'
      })
    }
    return { candidates: searchPersons(population, request.body) }
  })
}

function notFound (code: 'PERSON_NOT_FOUND' | 'HOUSEHOLD_NOT_FOUND' |
  'NOT_FOUND'): never {
  throw new ProblemError(code)
}
