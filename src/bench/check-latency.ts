// The once-only check of a three-party dossier (a birth registered by a relative:
// applicant, mother, father) on a cold cache and again on a warm one, one check at a
// time, so the figures are the latency an officer waits for, not a throughput. The
// baseline is the same register reads made directly, in parallel, with nothing in
// between: what a check could cost if the gateway did no work of its own.
import { request } from 'undici'

export interface CheckPerson {
  citizenId: string
  sex: string
  lifeStatus: string
  maritalStatus: string | null
  spouseId: string | null
  dateOfBirth: string
}

export interface Dossier {
  applicant: string
  mother: string
  father: string
}

export interface Latency {
  /** Milliseconds. */
  median: number
  p99: number
  samples: number
  errors: number
}

export interface CheckLatency {
  direct: Latency
  cold: Latency
  warm: Latency
}

const PROCEDURE = '1.001193'

/**
 * Married couples from the dataset, each with a relative who is neither of them:
 * three distinct citizens whose records no earlier request has read.
 */
export function dossiers (persons: CheckPerson[], count: number, skip: Set<string>): Dossier[] {
  const alive = persons.filter((p) => p.lifeStatus === 'alive' && !skip.has(p.citizenId))
  const byId = new Map(alive.map((p) => [p.citizenId, p]))
  const used = new Set<string>()
  const couples: Array<[string, string]> = []
  for (const p of alive) {
    const spouse = p.spouseId === null ? undefined : byId.get(p.spouseId)
    if (p.sex !== 'male' || p.maritalStatus !== 'married' || spouse === undefined) continue
    couples.push([spouse.citizenId, p.citizenId])
    used.add(p.citizenId).add(spouse.citizenId)
  }
  const relatives = alive.filter((p) => !used.has(p.citizenId) && p.dateOfBirth < '2000-01-01')
  const n = Math.min(count, couples.length, relatives.length)
  return Array.from({ length: n }, (_, i) => ({
    applicant: relatives[i].citizenId, mother: couples[i][0], father: couples[i][1]
  }))
}

function summary (ms: number[], errors: number): Latency {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  const round = (x: number) => Math.round(x * 100) / 100
  return { median: round(at(0.5)), p99: round(at(0.99)), samples: ms.length, errors }
}

async function timed (list: Dossier[], one: (d: Dossier, i: number) => Promise<boolean>): Promise<Latency> {
  const ms: number[] = []
  let errors = 0
  for (const [i, d] of list.entries()) {
    const started = performance.now()
    const ok = await one(d, i)
    ms.push(performance.now() - started)
    if (!ok) errors++
  }
  return summary(ms, errors)
}

// 404 is an answer too: a citizen with no VNeID account or no civil event.
async function get (url: string): Promise<boolean> {
  const res = await request(url)
  await res.body.dump()
  return res.statusCode === 200 || res.statusCode === 404
}

/**
 * What the check reads for this procedure: each party's VNeID wallet and person,
 * the parents' civil records.
 */
function directReads (sims: Record<string, string>, d: Dossier): string[] {
  return [
    ...[d.applicant, d.mother, d.father].flatMap((id) => [
      `${sims.population}/persons/${id}`, `${sims.vneid}/citizens/${id}/documents`
    ]),
    `${sims.civilStatus}/persons/${d.mother}/events`,
    `${sims.civilStatus}/persons/${d.father}/events`
  ]
}

export async function checkLatency (gateway: string, sims: Record<string, string>,
  key: string, list: Dossier[]): Promise<CheckLatency> {
  const check = async (d: Dossier, i: number, pass: string) => {
    const res = await request(`${gateway}/v1/procedures/${PROCEDURE}/requirements`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-procedure-code': PROCEDURE,
        'x-dossier-id': `BENCH-CHECK-${pass}-${i}`
      },
      body: JSON.stringify({
        parties: [
          { role: 'applicant', citizenId: d.applicant },
          { role: 'mother', citizenId: d.mother },
          { role: 'father', citizenId: d.father }
        ]
      })
    })
    await res.body.dump()
    return res.statusCode === 200
  }
  const direct = await timed(list, async (d) =>
    (await Promise.all(directReads(sims, d).map(get))).every(Boolean))
  const cold = await timed(list, (d, i) => check(d, i, 'cold'))
  const warm = await timed(list, (d, i) => check(d, i, 'warm'))
  return { direct, cold, warm }
}
