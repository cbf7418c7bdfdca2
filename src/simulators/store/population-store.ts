import type {
  Household,
  IdentifierLink,
  PopulationRecord
} from '../../sources/types.js'

/**
 * The population register in memory. Records are replaced whole through
 * `putPerson` and `putHousehold`, which keep the identifier index in step,
 * so sandbox changes can reuse the same path as the dataset loader.
 */
export class PopulationStore {
  readonly #persons = new Map<string, PopulationRecord>()
  readonly #households = new Map<string, Household>()
  readonly #identifiers = new Map<string, IdentifierLink>()

  person (citizenId: string): PopulationRecord | undefined {
    return this.#persons.get(citizenId)
  }

  persons (): IterableIterator<PopulationRecord> {
    return this.#persons.values()
  }

  household (householdId: string): Household | undefined {
    return this.#households.get(householdId)
  }

  identifier (value: string): IdentifierLink | undefined {
    return this.#identifiers.get(value)
  }

  putPerson (person: PopulationRecord): void {
    const previous = this.#persons.get(person.citizenId)
    if (previous !== undefined) this.#unlinkIdentifiers(previous)
    this.#persons.set(person.citizenId, person)
    for (const { type, value } of person.formerIdentifiers) {
      const link = { identifier: value, type, citizenId: person.citizenId }
      this.#identifiers.set(value, link)
    }
  }

  putHousehold (household: Household): void {
    this.#households.set(household.householdId, household)
  }

  /** A household whose last member died or left is struck off. */
  removeHousehold (householdId: string): void {
    this.#households.delete(householdId)
  }

  #unlinkIdentifiers (person: PopulationRecord): void {
    for (const { value } of person.formerIdentifiers) {
      if (this.#identifiers.get(value)?.citizenId === person.citizenId) {
        this.#identifiers.delete(value)
      }
    }
  }
}
