import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { CacheEvents } from '../cache/records.js'
import type { CallObserver } from '../sources/registers.js'
import type { StoreHealth } from '../cache/store.js'
import type { CommitInfo } from '../audit/index.js'

export interface Metrics {
  registry: Registry
  cacheEvents: CacheEvents
  evicted: () => void
  observeRegister: CallObserver
  /** Reports the cache store's health at each scrape. */
  watchStore: (health: () => StoreHealth) => void
  auditCommitted: (info: CommitInfo) => void
  auditFailed: () => void
}

// Register calls take from under a millisecond (local simulator) to the deadline.
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * One registry per gateway instance, not prom-client's global one, so two gateways in
 * one process (tests, the bench) count separately.
 */
export function createMetrics (): Metrics {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry, prefix: 'cdg_' })
  const lookups = new Counter({
    name: 'cdg_cache_lookups_total',
    help: 'Record look-ups by register and outcome (hit, miss, stale)',
    labelNames: ['source', 'outcome'],
    registers
  })
  const coalesced = new Counter({
    name: 'cdg_cache_coalesced_total',
    help: 'Look-ups that waited on a register call already in flight',
    labelNames: ['source'],
    registers
  })
  const evictions = new Counter({
    name: 'cdg_cache_evictions_total',
    help: 'Entries the in-process cache dropped to stay within its size bound',
    registers
  })
  const latency = new Histogram({
    name: 'cdg_register_request_duration_seconds',
    help: 'Register calls by register and outcome',
    labelNames: ['source', 'outcome'],
    buckets: LATENCY_BUCKETS_S,
    registers
  })
  const auditCommits = new Histogram({
    name: 'cdg_audit_commit_duration_seconds',
    help: 'Audit log transactions (one per batch of records), durable flush included',
    buckets: LATENCY_BUCKETS_S,
    registers
  })
  const auditRecords = new Counter({
    name: 'cdg_audit_records_total',
    help: 'Audit records written',
    registers
  })
  const auditFailures = new Counter({
    name: 'cdg_audit_failures_total',
    help: 'Personal-data answers withheld because their audit record could not be written',
    registers
  })
  let health: () => StoreHealth = () => 'up'
  // eslint-disable-next-line no-new -- registered on the registry, read at scrape time
  new Gauge({
    name: 'cdg_cache_store_up',
    help: '1 when the cache store answers, 0 while it is degraded',
    registers,
    collect () { this.set(health() === 'up' ? 1 : 0) }
  })
  return {
    registry,
    cacheEvents: {
      lookup: (source, outcome) => lookups.inc({ source, outcome }),
      coalesced: (source) => coalesced.inc({ source })
    },
    evicted: () => evictions.inc(),
    observeRegister: (source, outcome, seconds) => latency.observe({ source, outcome }, seconds),
    watchStore: (fn) => { health = fn },
    auditCommitted: (info) => {
      auditCommits.observe(info.durationMs / 1000)
      auditRecords.inc(info.records)
    },
    auditFailed: () => auditFailures.inc()
  }
}
