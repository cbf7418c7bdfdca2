import type { BatchPlan } from './chain.js'
import { FIELDS, RECORD_COLUMNS } from './columns.js'

const TYPES: Partial<Record<keyof typeof RECORD_COLUMNS, string>> = {
  seq: 'bigint',
  time: 'timestamptz',
  citizenIds: 'text[]',
  fields: 'text[]',
  sources: 'jsonb',
  status: 'integer',
  check: 'jsonb'
}

const RECORDSET = FIELDS.map((f) => `"${f}" ${TYPES[f] ?? 'text'}`).join(', ')

/**
 * One statement writes a whole batch: the records (passed as one JSON array, so a
 * batch of any size is one parameter), their citizen index rows, the checkpoint if
 * one is due and the new head. Four round trips per batch in all, with BEGIN, the
 * head read and COMMIT.
 */
export const APPEND_SQL = `WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${RECORDSET})
), records AS (
  INSERT INTO audit_records (${Object.values(RECORD_COLUMNS).join(', ')})
  SELECT ${FIELDS.map((f) => `"${f}"`).join(', ')} FROM input
), citizens AS (
  INSERT INTO audit_citizens (citizen_id, seq)
  SELECT DISTINCT c, "seq" FROM input, unnest("citizenIds") AS c
), checkpoints AS (
  INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature)
  SELECT "seq", "hash", "time", "keyId", "signature"
  FROM jsonb_to_recordset($2::jsonb)
    AS c("seq" bigint, "hash" text, "time" text, "keyId" text, "signature" text)
)
UPDATE audit_head SET seq = $3, hash = $4, checkpoint_seq = $5, checkpoint_at = $6
WHERE id`

export function appendValues (plan: BatchPlan): unknown[] {
  const { head } = plan
  return [
    JSON.stringify(plan.records),
    JSON.stringify(plan.checkpoint === null ? [] : [plan.checkpoint]),
    head.seq, head.hash, head.checkpointSeq, head.checkpointAt
  ]
}
