import type { KeyObject } from 'node:crypto'
import { bySeq, type AuditBackend } from './backend.js'
import { GENESIS_HASH, recordHash, recordId, seqOfId } from './canonical.js'
import { checkpointSigned } from './signer.js'
import type {
  AuditCheckpoint, AuditRecord, AuditVerifyResult
} from './types.js'

type Bad = NonNullable<AuditVerifyResult['firstBad']>

interface Walk {
  prev: { seq: number, hash: string }
  checked: number
  checkpoints: number
}

/**
 * Walks the whole chain in seq order, a page at a time, checking each record's
 * hash and link and each checkpoint's signature and hash where it falls.
 * Checkpoints are what catch a chain recomputed from scratch or cut short: without
 * the signing key, nobody can make them agree with a rewritten history. Records
 * after the last checkpoint are covered only by the head row, which anyone with
 * write access to the database can rewind along with them.
 */
export async function verifyChain (opts: {
  backend: AuditBackend, keys: Map<string, KeyObject>, pageSize: number
}): Promise<AuditVerifyResult> {
  const { backend, keys, pageSize: limit } = opts
  const upTo = await backend.claimedEnd()
  const checkpoints = bySeq((afterSeq) => backend.checkpoints({ afterSeq, upTo, limit }))
  const records = bySeq((afterSeq) => backend.select({}, { afterSeq, upTo, limit }))
  const walk: Walk = { prev: { seq: 0, hash: GENESIS_HASH }, checked: 0, checkpoints: 0 }
  let cp = await checkpoints.next()
  for await (const record of records) {
    const bad = recordProblem(record, walk.prev)
    if (bad !== undefined) return failed(walk, bad)
    walk.checked += 1
    walk.prev = record
    for (; !cp.done && cp.value.seq <= record.seq; cp = await checkpoints.next()) {
      const cpBad = checkpointProblem(cp.value, record, keys)
      if (cpBad !== undefined) return failed(walk, cpBad)
      walk.checkpoints += 1
    }
  }
  return upTo > walk.prev.seq ? failed(walk, truncated(walk.prev.seq)) : passed(walk)
}

function recordProblem (r: AuditRecord, prev: Walk['prev']): Bad | undefined {
  const expected = prev.seq + 1
  if (r.seq !== expected) return { seq: expected, id: recordId(expected), problem: 'missing' }
  if (recordHash(r.prevHash, r) !== r.hash) {
    return { seq: r.seq, id: r.id, problem: movedHere(r) ? 'reordered' : 'hash-mismatch' }
  }
  if (r.prevHash !== prev.hash) return { seq: r.seq, id: r.id, problem: 'broken-link' }
  return undefined
}

// A record whose hash holds for the seq its id names, but not for the place it
// sits in: the row was moved, not edited.
function movedHere (r: AuditRecord): boolean {
  const claimed = seqOfId(r.id)
  return claimed !== undefined && claimed !== r.seq &&
    recordHash(r.prevHash, { ...r, seq: claimed }) === r.hash
}

function checkpointProblem (cp: AuditCheckpoint, r: AuditRecord,
  keys: Map<string, KeyObject>): Bad | undefined {
  const id = `chk_${cp.seq}`
  if (!checkpointSigned(cp, keys)) return { seq: cp.seq, id, problem: 'bad-signature' }
  if (cp.seq !== r.seq || cp.hash !== r.hash) {
    return { seq: cp.seq, id, problem: 'checkpoint-mismatch' }
  }
  return undefined
}

function truncated (lastSeq: number): Bad {
  return { seq: lastSeq + 1, id: recordId(lastSeq + 1), problem: 'truncated' }
}

function failed (walk: Walk, firstBad: Bad): AuditVerifyResult {
  return { ok: false, checked: walk.checked, checkpoints: walk.checkpoints, firstBad }
}

function passed (walk: Walk): AuditVerifyResult {
  return { ok: true, checked: walk.checked, checkpoints: walk.checkpoints }
}
