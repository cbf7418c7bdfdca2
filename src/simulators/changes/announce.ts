import type { FastifyBaseLogger } from 'fastify'
import type { ChangeEvent } from '../../sources/change-events.js'
import type { SourceName } from '../../sources/types.js'
import type { SimulatorStore } from '../store.js'
import type { ChangePublisher } from '../webhooks/publisher.js'
import type { AppliedChange, ChangeTime } from './change.js'

/** What the change routes of one simulator work with. */
export interface ChangeSetting {
  /** The register whose simulator takes the change and publishes it. */
  register: SourceName
  store: SimulatorStore
  publisher: ChangePublisher
}

export interface ChangeAnswer {
  event: ChangeEvent
  /** The webhooks that acknowledged the event: all that are configured. */
  delivered: number
}

export interface Announcement {
  change: AppliedChange
  at: ChangeTime
  log: FastifyBaseLogger
}

/**
 * Names a change that was just made and waits for every webhook to take it;
 * only then does the sandbox caller hear that the change is done.
 */
export async function announce (
  setting: ChangeSetting, { change, at, log }: Announcement
): Promise<ChangeAnswer> {
  const event: ChangeEvent = {
    eventId: setting.store.ids.next('CHG'),
    type: change.type,
    register: setting.register,
    occurredAt: at.iso,
    records: change.records
  }
  const { eventId, type, records } = event
  log.info({ eventId, type, records: records.length }, 'sandbox change made')
  const delivered = await setting.publisher.publish(event, log)
  return { event, delivered }
}
