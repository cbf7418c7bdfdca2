// What the access audit log costs: the gateway's warm path with auditing off, with
// its log in SQLite and with it in PostgreSQL. Load on a shared machine drifts
// during a run, so each is measured twice, in the order off, SQLite, PostgreSQL,
// PostgreSQL, SQLite, off: a steady drift then weighs on all three alike.
import { request } from 'undici'

export interface Rate {
  rps: number
  /** Milliseconds. */
  p99: number
  errors: number
  requests: number
  seconds: number
}

/** Load on one server for `durationS` seconds, as run.ts measures it. */
export type Measure = (base: string, durationS: number) => Promise<Rate>

const VARIANTS = ['off', 'sqlite', 'postgres'] as const
type Variant = typeof VARIANTS[number]
type Logged = Exclude<Variant, 'off'>

const ORDER: Variant[] = [...VARIANTS, ...[...VARIANTS].reverse()]

export interface AuditCost {
  off: Rate
  logs: Record<Logged, Rate & { recordsPerCommit: number, commitMs: number }>
}

// The slower half's p99: two histograms cannot be merged from their summaries.
function combine (rates: Rate[]): Rate {
  const requests = rates.reduce((n, r) => n + r.requests, 0)
  const seconds = rates.reduce((n, r) => n + r.seconds, 0)
  return {
    rps: Math.round(requests / seconds),
    p99: Math.max(...rates.map((r) => r.p99)),
    errors: rates.reduce((n, r) => n + r.errors, 0),
    requests,
    seconds
  }
}

// The audited gateway's own metrics: records written, commits and their time.
async function commitTotals (base: string) {
  const res = await request(`${base}/metrics`)
  const text = await res.body.text()
  const value = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return {
    records: value('cdg_audit_records_total'),
    commits: value('cdg_audit_commit_duration_seconds_count'),
    seconds: value('cdg_audit_commit_duration_seconds_sum')
  }
}

type Totals = Awaited<ReturnType<typeof commitTotals>>

function commitStats (before: Totals, after: Totals) {
  const commits = after.commits - before.commits
  return {
    recordsPerCommit: (after.records - before.records) / commits,
    commitMs: 1000 * (after.seconds - before.seconds) / commits
  }
}

/** `durationS` of load on each variant in all, in two halves. */
export async function auditCost (measure: Measure, bases: Record<Variant, string>,
  durationS: number): Promise<AuditCost> {
  const before = {
    sqlite: await commitTotals(bases.sqlite), postgres: await commitTotals(bases.postgres)
  }
  const runs: Record<Variant, Rate[]> = { off: [], sqlite: [], postgres: [] }
  for (const v of ORDER) runs[v].push(await measure(bases[v], durationS / 2))
  const logged = async (v: Logged) => ({
    ...combine(runs[v]), ...commitStats(before[v], await commitTotals(bases[v]))
  })
  return {
    off: combine(runs.off),
    logs: { sqlite: await logged('sqlite'), postgres: await logged('postgres') }
  }
}

const LABELS: Record<Logged, string> = {
  sqlite: 'SQLite (file, WAL, synchronous=FULL)',
  postgres: 'PostgreSQL (127.0.0.1, synchronous_commit on)'
}

export function ratioVsOff (cost: AuditCost, log: Logged): string {
  return (cost.logs[log].rps / cost.off.rps).toFixed(2)
}

export function printAuditCost (cost: AuditCost): void {
  const { off } = cost
  console.log('\naudit log: the warm profile with every answer recorded durably before ' +
    'it leaves; off and each log measured in two halves (off, SQLite, PostgreSQL, ' +
    'then back), p99 of the slower half\n')
  console.log('| audit log | req/s | p99 ms | errors | records/commit | commit ms | ratio |')
  console.log('|---|---|---|---|---|---|---|')
  console.log(`| off | ${off.rps} | ${off.p99} | ${off.errors} | - | - | 1.00 |`)
  for (const log of ['sqlite', 'postgres'] as const) {
    const r = cost.logs[log]
    console.log(`| ${LABELS[log]} | ${r.rps} | ${r.p99} | ${r.errors} | ` +
      `${r.recordsPerCommit.toFixed(1)} | ${r.commitMs.toFixed(2)} | ${ratioVsOff(cost, log)} |`)
  }
}
