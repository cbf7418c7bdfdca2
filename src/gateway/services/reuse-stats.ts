import type { AuditRecord } from '../../audit/index.js'
import type { Catalogue } from '../../access/catalogue.js'
import type { Counters } from '../../access/counters.js'
import { todayInVietnam } from '../../reference/calendar.js'

// How much paper the once-only checks saved, computed from the audit records of the
// checks themselves, so the figure cannot drift from what the counters were told.
// A dossier checked several times counts once, as its latest check found it: a
// recheck after the citizen granted consent replaces the first answer, it does not
// add to it.

export const CHECK_OPERATION = 'procedures.requirements'

interface Tally { dossiers: number, required: number, satisfied: number }

interface Dossier {
  procedureCode: string
  counterCode: string | null
  day: string
  required: number
  satisfied: number
  outside: boolean | null
}

function dossierOf (r: AuditRecord): Dossier | undefined {
  const check = r.check
  if (check === null || check === undefined || r.outcome !== 'allowed' || r.status !== 200) return undefined
  const applicable = check.items.filter((i) => i.status !== 'not-applicable')
  return {
    procedureCode: r.procedureCode ?? 'unknown',
    counterCode: r.counterCode,
    day: todayInVietnam(Date.parse(r.time)),
    required: applicable.length,
    satisfied: applicable.filter((i) => i.status === 'satisfied').length,
    outside: check.outsideResidence
  }
}

function add (map: Map<string, Tally>, key: string, d: Dossier): void {
  const t = map.get(key) ?? { dossiers: 0, required: 0, satisfied: 0 }
  t.dossiers++
  t.required += d.required
  t.satisfied += d.satisfied
  map.set(key, t)
}

function share (t: Tally) {
  return { ...t, share: t.required === 0 ? null : Math.round(t.satisfied / t.required * 1e4) / 1e4 }
}

/**
 * Reads every check in the range, one page at a time, keeping one small entry per
 * dossier: memory grows with the dossiers in the range, not with the records.
 */
export async function reuseStats (records: AsyncIterable<AuditRecord>,
  catalogue: Catalogue, counters: Counters) {
  const latest = new Map<string, Dossier>()
  for await (const r of records) {
    const d = dossierOf(r)
    if (d !== undefined) latest.set(`${r.clientId}\n${d.procedureCode}\n${r.dossierId ?? r.id}`, d)
  }
  const total = { dossiers: 0, required: 0, satisfied: 0 }
  const byProcedure = new Map<string, Tally>()
  const byCounter = new Map<string, Tally>()
  const byDay = new Map<string, Tally>()
  const outside = { dossiers: 0, unknown: 0 }
  for (const d of latest.values()) {
    total.dossiers++
    total.required += d.required
    total.satisfied += d.satisfied
    add(byProcedure, d.procedureCode, d)
    add(byCounter, d.counterCode ?? '', d)
    add(byDay, d.day, d)
    if (d.outside === true) outside.dossiers++
    if (d.outside === null) outside.unknown++
  }
  const sorted = (m: Map<string, Tally>) => [...m].sort(([a], [b]) => a.localeCompare(b))
  return {
    total: share(total),
    byProcedure: sorted(byProcedure).map(([code, t]) => ({
      procedureCode: code, name: catalogue.procedure(code)?.name ?? null, ...share(t)
    })),
    byCounter: sorted(byCounter).map(([code, t]) => ({
      counterCode: code === '' ? null : code,
      name: code === '' ? null : counters.counter(code)?.name ?? null,
      ...share(t)
    })),
    byDay: sorted(byDay).map(([day, t]) => ({ day, ...share(t) })),
    outsideResidence: {
      dossiers: outside.dossiers,
      unknown: outside.unknown,
      share: total.dossiers - outside.unknown === 0
        ? null
        : Math.round(outside.dossiers / (total.dossiers - outside.unknown) * 1e4) / 1e4
    }
  }
}
