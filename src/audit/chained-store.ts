import type { KeyObject } from 'node:crypto'
import { bySeq, type AuditBackend } from './backend.js'
import { planBatch, type BatchPlan, type CheckpointPolicy } from './chain.js'
import { AuditClosedError } from './errors.js'
import { normaliseEvent, type NormalisedEvent } from './event.js'
import { GroupCommit } from './group-commit.js'
import {
  checkFilter, checkLimit, decodeCursor, encodeCursor, MAX_LIMIT
} from './query-input.js'
import {
  createCheckpointSigner, trustedKeys, type CheckpointSigner, type KeyInput
} from './signer.js'
import type {
  AuditCheckpoint, AuditEvent, AuditFilter, AuditPage, AuditPageOptions,
  AuditRecord, AuditStore, AuditVerifyResult
} from './types.js'
import { verifyChain } from './verify.js'

export interface AuditLogger {
  warn: (obj: object, msg: string) => void
}

export interface AuditStoreOptions {
  /**
   * Ed25519 private key (KeyObject or PEM) that signs checkpoints. Without it the
   * store is read-only: it never creates a schema and refuses appends.
   */
  signingKey?: KeyInput
  /** Further public keys whose checkpoints verify, e.g. keys rotated out. */
  verifyKeys?: KeyInput[]
  /** Records between checkpoints; 1000 when absent. */
  checkpointEvery?: number
  /** Longest wait (ms) before unchecked records get a checkpoint; 60_000 when absent. */
  checkpointIntervalMs?: number
  /** Most appends in one transaction; 1000 when absent. */
  maxBatch?: number
  /** Records per page read by `stream` and `verify`; 500 when absent. */
  pageSize?: number
  /** Called after each commit, e.g. for metrics. */
  onCommit?: (info: CommitInfo) => void
  /** Told when a timed checkpoint fails (appends report their own failures). */
  logger?: AuditLogger
}

export interface CommitInfo {
  records: number
  checkpoint: boolean
  durationMs: number
}

// A timer tick or close asking for a checkpoint, queued with the appends so that
// it never runs beside a flush of the same store.
const CHECKPOINT = Symbol('checkpoint')
type Job = NormalisedEvent | typeof CHECKPOINT

/**
 * The behaviour both stores share: group commit, the chain, checkpoints, paging
 * and verification. A subclass supplies only the database (see backend.ts).
 */
export class ChainedAuditStore implements AuditStore {
  readonly keyId: string | null
  readonly publicKeyPem: string | null
  readonly #backend: AuditBackend
  readonly #signer: CheckpointSigner | null
  readonly #keys: Map<string, KeyObject>
  readonly #policy: CheckpointPolicy
  readonly #pageSize: number
  readonly #opts: AuditStoreOptions
  readonly #commit: GroupCommit<Job, AuditRecord | null>
  readonly #timer: NodeJS.Timeout | undefined
  #opening: Promise<void> | null = null
  #closed = false

  constructor (backend: AuditBackend, opts: AuditStoreOptions) {
    this.#backend = backend
    this.#opts = opts
    this.#signer = opts.signingKey === undefined
      ? null
      : createCheckpointSigner(opts.signingKey)
    this.keyId = this.#signer?.keyId ?? null
    this.publicKeyPem = this.#signer?.publicKeyPem ?? null
    this.#keys = trustedKeys([
      ...(this.publicKeyPem === null ? [] : [this.publicKeyPem]),
      ...(opts.verifyKeys ?? [])
    ])
    this.#policy = {
      every: opts.checkpointEvery ?? 1000,
      intervalMs: opts.checkpointIntervalMs ?? 60_000
    }
    this.#pageSize = opts.pageSize ?? 500
    this.#commit = new GroupCommit({
      flush: (jobs) => this.#flush(jobs), maxBatch: opts.maxBatch ?? 1000
    })
    this.#timer = this.#signer === null ? undefined : this.#startTimer()
  }

  async append (event: AuditEvent): Promise<AuditRecord> {
    if (this.#closed) throw new AuditClosedError('the audit store is closed')
    if (this.#signer === null) {
      throw new AuditClosedError('the audit store was opened without a signing key')
    }
    const record = await this.#commit.add(normaliseEvent(event))
    return record as AuditRecord
  }

  async query (filter: AuditFilter, page: AuditPageOptions = {}): Promise<AuditPage> {
    const checked = checkFilter(filter)
    const limit = checkLimit(page.limit)
    const afterSeq = decodeCursor(page.cursor)
    await this.#open()
    const rows = await this.#backend.select(checked, { afterSeq, limit: limit + 1 })
    const records = rows.slice(0, limit)
    const more = rows.length > limit
    return { records, nextCursor: more ? encodeCursor(records.at(-1)!.seq) : null }
  }

  stream (filter: AuditFilter): AsyncIterable<AuditRecord> {
    const checked = checkFilter(filter)
    const limit = Math.min(this.#pageSize, MAX_LIMIT)
    const fetch = async (afterSeq: number) => {
      await this.#open()
      return this.#backend.select(checked, { afterSeq, limit })
    }
    return bySeq(fetch)
  }

  async checkpoints (opts: { afterSeq?: number, limit?: number } = {}):
  Promise<AuditCheckpoint[]> {
    await this.#open()
    const limit = checkLimit(opts.limit)
    return this.#backend.checkpoints({ afterSeq: opts.afterSeq ?? 0, limit })
  }

  async verify (): Promise<AuditVerifyResult> {
    await this.#open()
    return verifyChain({
      backend: this.#backend, keys: this.#keys, pageSize: this.#pageSize
    })
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearInterval(this.#timer)
    await this.#commit.idle()
    if (this.#signer !== null && this.#opening !== null) {
      await this.#commit.add(CHECKPOINT).catch((err: unknown) => this.#warn(err))
    }
    await this.#backend.close()
  }

  // Opening is retried on the next call after a failure: a database that is down
  // at boot must not leave the store broken once it is back.
  #open (): Promise<void> {
    this.#opening ??= this.#backend.open().catch((err: unknown) => {
      this.#opening = null
      throw err
    })
    return this.#opening
  }

  async #flush (jobs: Job[]): Promise<Array<AuditRecord | null>> {
    await this.#open()
    const started = performance.now()
    const events = jobs.filter((job): job is NormalisedEvent => job !== CHECKPOINT)
    const force = events.length < jobs.length
    const plan = await this.#backend.write((head) => planBatch({
      head, events, force, policy: this.#policy, signer: this.#signer!
    }))
    this.#report(plan, performance.now() - started)
    let next = 0
    return jobs.map((job) => job === CHECKPOINT ? null : plan.records[next++]!)
  }

  #report (plan: BatchPlan, durationMs: number): void {
    this.#opts.onCommit?.({
      records: plan.records.length, checkpoint: plan.checkpoint !== null, durationMs
    })
  }

  #startTimer (): NodeJS.Timeout {
    const tick = () => {
      if (this.#opening === null) return // nothing written by this process yet
      this.#commit.add(CHECKPOINT).catch((err: unknown) => this.#warn(err))
    }
    return setInterval(tick, this.#policy.intervalMs).unref()
  }

  #warn (err: unknown): void {
    this.#opts.logger?.warn({ err }, 'audit checkpoint failed')
  }
}
