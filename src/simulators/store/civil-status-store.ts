import type { CivilEvent } from '../../sources/types.js'

/**
 * The civil-status register in memory: events by id, and the ids of the
 * events each citizen is a party to, so a person's record is assembled on
 * read and an event replaced through `putEvent` moves between parties.
 */
export class CivilStatusStore {
  readonly #events = new Map<string, CivilEvent>()
  readonly #eventIdsByParty = new Map<string, Set<string>>()

  event (eventId: string): CivilEvent | undefined {
    return this.#events.get(eventId)
  }

  /** The person's events, oldest first; ties keep a stable order by id. */
  eventsOf (citizenId: string): CivilEvent[] {
    const ids = this.#eventIdsByParty.get(citizenId) ?? []
    const events: CivilEvent[] = []
    for (const id of ids) events.push(this.#events.get(id) as CivilEvent)
    return events.sort(byDateThenId)
  }

  putEvent (event: CivilEvent): void {
    const previous = this.#events.get(event.eventId)
    if (previous !== undefined) this.#unlinkParties(previous)
    this.#events.set(event.eventId, event)
    for (const { citizenId } of event.parties) {
      const ids = this.#eventIdsByParty.get(citizenId) ?? new Set<string>()
      ids.add(event.eventId)
      this.#eventIdsByParty.set(citizenId, ids)
    }
  }

  #unlinkParties (event: CivilEvent): void {
    for (const { citizenId } of event.parties) {
      const ids = this.#eventIdsByParty.get(citizenId)
      ids?.delete(event.eventId)
      if (ids?.size === 0) this.#eventIdsByParty.delete(citizenId)
    }
  }
}

function byDateThenId (a: CivilEvent, b: CivilEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0
}
