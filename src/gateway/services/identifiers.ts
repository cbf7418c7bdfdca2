import type { Fetched, Registers } from '../../sources/registers.js'
import type { IdentifierLink } from '../../sources/types.js'
import { IdentifierNotFound, InvalidIdentifier } from '../errors.js'
import { SourceReport, settle } from './source-report.js'
import { withFacts } from './answer-facts.js'

type Holder = 'population' | 'vneid'

// Which register can know an identifier of each shape. A 12-digit number may be an
// old 12-digit identity card or a driving licence, so both registers are asked; ten
// digits is the social-insurance number printed on health-insurance cards since 2021.
const SHAPES: Array<[RegExp, Holder[]]> = [
  [/^[0-9]{9}$/, ['population']],
  [/^[0-9]{10}$/, ['vneid']],
  [/^[0-9]{12}$/, ['population', 'vneid']],
  [/^[A-Z]{2}[0-9]{13}$/, ['vneid']],
  [/^[A-Z][0-9]{7,8}$/, ['vneid']]
]

export function holdersOf (identifier: string): Holder[] {
  return SHAPES.find(([shape]) => shape.test(identifier))?.[1] ?? []
}

/**
 * Resolves an identifier the registers hold (an old identity card, a driving licence,
 * a health-insurance card) to the citizen's 12-digit personal identification number.
 */
export async function resolveIdentifier (registers: Registers, identifier: string) {
  const holders = holdersOf(identifier)
  if (holders.length === 0) throw new InvalidIdentifier()
  const report = new SourceReport()
  const calls = await Promise.all(holders.map((h) => settle(registers.identifier(h, identifier))))
  let link: IdentifierLink | undefined
  let source: Holder | undefined
  calls.forEach((call, i) => {
    if (!call.ok) return report.failed(holders[i])
    const found = answered(report, call.value)
    if (found !== undefined && link === undefined) [link, source] = [found, holders[i]]
  })
  if (link === undefined || source === undefined) {
    const failure = calls.find((c) => !c.ok)
    if (failure !== undefined && !failure.ok) throw failure.error
    throw new IdentifierNotFound()
  }
  // Identifier links are not cached: every register asked was asked directly.
  return withFacts(
    { identifier, type: link.type, citizenId: link.citizenId, source, sources: report.sources },
    {
      citizenIds: [link.citizenId],
      fields: ['identifier', 'type', 'citizenId'],
      sources: holders.map((register) => ({ register, cache: 'none' as const }))
    })
}

// An identifier link carries no change time of its own: the register reports only the
// link, so the source's updatedAt stays null.
function answered (report: SourceReport, f: Fetched<IdentifierLink>): IdentifierLink | undefined {
  report.sources[f.source] = {
    status: f.data === undefined ? 'not-held' : 'ok',
    updatedAt: null,
    retrievedAt: f.retrievedAt
  }
  return f.data
}
