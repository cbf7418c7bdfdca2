import type { RecordRef } from '../../sources/change-events.js'

// The records a change event lists, named as the gateway's cache knows them.

export const personRef = (id: string): RecordRef =>
  ({ source: 'population', kind: 'person', id })

export const householdRef = (id: string): RecordRef =>
  ({ source: 'population', kind: 'household', id })

export const civilRecordRef = (id: string): RecordRef =>
  ({ source: 'civilStatus', kind: 'civil-record', id })

export const walletRef = (id: string): RecordRef =>
  ({ source: 'vneid', kind: 'wallet', id })
