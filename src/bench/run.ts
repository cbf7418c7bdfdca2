// npm run bench: starts its own servers and measures, in one run, the gateway's
// warm and cold paths against baselines measured beside them. Ratios, not absolute
// figures, are the result: the machine's noise is about ±20 %.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { request } from 'undici'
import { main as generate } from '../fixtures/generate.js'
import { fromRoot } from '../paths.js'
import { auditCost, printAuditCost, ratioVsOff, type Rate } from './audit-cost.js'
import { checkLatency, dossiers, type CheckLatency, type CheckPerson } from './check-latency.js'

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 20_000)
const WARM_SET = 1000
const COLD_REQUESTS = 8000
const BURST = 500
const CHECKS = Number(process.env.BENCH_CHECKS ?? 200)

interface Servers {
  key: string
  simulators: Record<string, string>
  tiered: string
  redisOnly: string
  uncached: string
  auditSqlite: string
  auditPostgres: string
  baseline: string
}

const PURPOSE = { 'x-procedure-code': '1.001193', 'x-dossier-id': 'BENCH-1' }

async function startServers (datasets: string[]): Promise<{ servers: Servers, stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [fromRoot('dist', 'bench', 'servers.js')], {
    env: { ...process.env, BENCH_DATASETS: datasets.join(',') },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  // A server process that dies before printing its line must fail the run, not hang it.
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the bench servers exited with code ${code} before starting`)
  })
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'), exited
  ]) as [string]
  exited.catch(() => {})
  return {
    servers: JSON.parse(line) as Servers,
    stop: async () => {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
}

/** Requests per second over `paths`, taken in turn by every connection. */
async function rate (base: string, paths: string[], headers: Record<string, string>,
  opts: { amount?: number, durationS?: number } = {}): Promise<Rate> {
  let i = 0
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    ...(opts.amount === undefined
      ? { duration: opts.durationS ?? DURATION_S }
      : { amount: opts.amount }),
    headers,
    requests: [{
      setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] })
    }]
  })
  // total over elapsed time: autocannon's per-second average is meaningless for a
  // run that ends within its first second.
  return {
    rps: Math.round(result.requests.total / result.duration),
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
    seconds: result.duration
  }
}

async function warm (base: string, paths: string[], headers: Record<string, string>): Promise<void> {
  for (const path of paths) {
    const res = await request(base + path, { headers })
    await res.body.dump()
  }
}

async function routeCalls (sim: string, route: string): Promise<number> {
  const res = await request(`${sim}/_sandbox/stats`)
  const stats = await res.body.json() as { byRoute: Record<string, number> }
  return stats.byRoute[route] ?? 0
}

async function coalescing (s: Servers, id: string, headers: Record<string, string>) {
  const before = await routeCalls(s.simulators.population, 'GET /persons/:citizenId')
  const answers = await Promise.all(Array.from({ length: BURST }, async () => {
    const res = await request(`${s.tiered}/v1/citizens/${id}`, { headers })
    await res.body.dump()
    return res.statusCode
  }))
  const after = await routeCalls(s.simulators.population, 'GET /persons/:citizenId')
  return { requests: BURST, ok: answers.filter((c) => c === 200).length, registerCalls: after - before }
}

function ratio (a: number, b: number): string {
  return (a / b).toFixed(2)
}

async function bench (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cdg-bench-'))
  try {
    generate(['--count', String(CITIZENS), '--seed', '7', '--out', dir], () => {})
    const { persons } = JSON.parse(readFileSync(join(dir, 'population.json'), 'utf8')) as
      { persons: CheckPerson[] }
    const ids = persons.map((p) => p.citizenId)
    const { servers: s, stop } = await startServers([fromRoot('fixtures', 'personas'), dir])
    try {
      // First, while no request has read any of these citizens: the cold checks must
      // find nothing cached.
      const checks = await checkLatency(s.auditSqlite, s.simulators, s.key, dossiers(persons, CHECKS, new Set()))
      await report(s, ids, checks)
    } finally {
      await stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function report (s: Servers, ids: string[], checks: CheckLatency): Promise<void> {
  const headers = { authorization: `Bearer ${s.key}`, ...PURPOSE }
  const profile = (id: string) => `/v1/citizens/${id}`
  const warmSet = ids.slice(0, WARM_SET).map(profile)
  const coldIds = ids.slice(WARM_SET + 1, WARM_SET + 1 + COLD_REQUESTS)

  const baseline = await rate(s.baseline, ['/baseline'], {})
  await warm(s.tiered, warmSet, headers)
  await warm(s.redisOnly, warmSet, headers)
  await warm(s.auditSqlite, warmSet, headers)
  await warm(s.auditPostgres, warmSet, headers)
  const tiered = await rate(s.tiered, warmSet, headers)
  const audit = await auditCost((base, durationS) => rate(base, warmSet, headers, { durationS }),
    { off: s.tiered, sqlite: s.auditSqlite, postgres: s.auditPostgres }, DURATION_S)
  const redisOnly = await rate(s.redisOnly, warmSet, headers)
  const direct = await rate(s.simulators.population, coldIds.map((id) => `/persons/${id}`), {}, { amount: COLD_REQUESTS })
  const cold = await rate(s.tiered, coldIds.map(profile), headers, { amount: COLD_REQUESTS })
  const burst = await coalescing(s, ids[WARM_SET], headers)

  const rows = [
    ['baseline: one Redis GET of a 2 KB record, sent as is', baseline, '1.00'],
    ['warm profile, memory tier in front of Redis', tiered, ratio(tiered.rps, baseline.rps)],
    ['warm profile, Redis only (no memory tier)', redisOnly, ratio(redisOnly.rps, baseline.rps)],
    ['register: GET /persons/:id directly', direct, '1.00'],
    ['cold profile (3 register reads, cache writes)', cold, ratio(cold.rps, direct.rps)]
  ] as const
  console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s per warm run, ${COLD_REQUESTS} cold requests\n`)
  console.log('| path | req/s | p99 ms | errors | ratio |')
  console.log('|---|---|---|---|---|')
  for (const [name, r, x] of rows) console.log(`| ${name} | ${r.rps} | ${r.p99} | ${r.errors} | ${x} |`)
  printAuditCost(audit)
  console.log(`\ncoalescing: ${burst.requests} concurrent requests for one uncached citizen, ` +
    `${burst.ok} answered, ${burst.registerCalls} population register call(s)`)
  printCheckLatency(checks)
  console.log(JSON.stringify({
    warmVsBaseline: Number(ratio(tiered.rps, baseline.rps)),
    warmRedisOnlyVsBaseline: Number(ratio(redisOnly.rps, baseline.rps)),
    coldVsDirectRegister: Number(ratio(cold.rps, direct.rps)),
    auditSqliteVsOff: Number(ratioVsOff(audit, 'sqlite')),
    auditPostgresVsOff: Number(ratioVsOff(audit, 'postgres')),
    coalescedRegisterCalls: burst.registerCalls,
    checkColdVsDirectReads: Number(ratio(checks.cold.median, checks.direct.median)),
    checkWarmVsCold: Number(ratio(checks.warm.median, checks.cold.median))
  }))
}

function printCheckLatency (c: CheckLatency): void {
  console.log('\nonce-only check of a three-party birth dossier (applicant, mother, father: 8 register ' +
    `reads), one at a time, ${c.cold.samples} dossiers, SQLite audit log on; ratio of medians\n`)
  console.log('| path | median ms | p99 ms | errors | ratio |')
  console.log('|---|---|---|---|---|')
  const rows = [
    ['baseline: the 8 register reads made directly, in parallel', c.direct, '1.00'],
    ['check, cold cache (every record read from the registers)', c.cold, ratio(c.cold.median, c.direct.median)],
    ['check, warm cache (the same dossiers again)', c.warm, ratio(c.warm.median, c.direct.median)]
  ] as const
  for (const [name, l, x] of rows) console.log(`| ${name} | ${l.median} | ${l.p99} | ${l.errors} | ${x} |`)
}

bench().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
