import { recordHash, recordId } from './canonical.js'
import type { NormalisedEvent } from './event.js'
import type { CheckpointSigner } from './signer.js'
import type { AuditCheckpoint, AuditRecord } from './types.js'

/** The one-row head of a store: where the chain ends and its last checkpoint. */
export interface ChainHead {
  seq: number
  hash: string
  checkpointSeq: number
  /** ISO time of the last checkpoint, or of the store's creation. */
  checkpointAt: string
}

export interface CheckpointPolicy {
  /** A checkpoint once this many records are unchecked. */
  every: number
  /** A checkpoint once the last is this old (ms) and records are unchecked. */
  intervalMs: number
}

export interface BatchInput {
  head: ChainHead
  events: NormalisedEvent[]
  policy: CheckpointPolicy
  signer: CheckpointSigner
  /** Sign a checkpoint whenever a record is unchecked (timer, close). */
  force: boolean
  now?: Date
}

export interface BatchPlan {
  records: AuditRecord[]
  checkpoint: AuditCheckpoint | null
  head: ChainHead
}

/**
 * Extends the chain from the head read inside the writing transaction, so the
 * same code is right whether one process or several write the store.
 */
export function planBatch (input: BatchInput): BatchPlan {
  let { seq, hash } = input.head
  const records = input.events.map((event) => {
    seq += 1
    const content = { ...event, seq, id: recordId(seq) }
    const record = { ...content, prevHash: hash, hash: recordHash(hash, content) }
    hash = record.hash
    return record
  })
  const now = input.now ?? new Date()
  const head = { ...input.head, seq, hash }
  if (!checkpointDue(head, input, now)) return { records, checkpoint: null, head }
  const time = now.toISOString()
  const checkpoint = input.signer.sign({ seq, hash, time })
  return { records, checkpoint, head: { seq, hash, checkpointSeq: seq, checkpointAt: time } }
}

function checkpointDue (head: ChainHead, input: BatchInput, now: Date): boolean {
  const unchecked = head.seq - head.checkpointSeq
  if (unchecked <= 0) return false
  const ageMs = now.getTime() - Date.parse(head.checkpointAt)
  return input.force || unchecked >= input.policy.every ||
    ageMs >= input.policy.intervalMs
}
