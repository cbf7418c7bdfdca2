import { readFileSync } from 'node:fs'
import t from 'tap'
import { Catalogue } from '../../src/access/catalogue.js'
import { readClientsFile } from '../../src/access/clients-file.js'
import { CONDITION_STATES } from '../../src/access/requirement-terms.js'
import { MUST_SUBMIT_REASONS } from '../../src/gateway/services/requirements.js'
import { fromRoot } from '../../src/paths.js'
import type { SourceName } from '../../src/sources/types.js'
import { startStack, type Stack } from '../helpers/gateway-stack.js'

// fixtures/sandbox.json promises procedure-system teams a ready-made check for every
// branch of the once-only answer. This runs each one, as written there, against the
// real simulators and the demo clients, and holds the list to its promise: every
// must-submit reason, and every condition both true and false.

interface Expectation {
  requirementId: string
  role: string
  status: string
  reason?: string
  source?: string
  basis?: string
  condition?: { party: string, is: string }
}

interface SandboxCheck {
  title: string
  client: string
  procedureCode: string
  parties: Array<{ role: string, citizenId: string }>
  fault?: { register: SourceName, set: Record<string, unknown> }
  expect: Expectation[]
}

interface Sandbox {
  clients: Array<{ clientId: string, apiKey: string }>
  requirementChecks: SandboxCheck[]
}

const sandbox = JSON.parse(readFileSync(fromRoot('fixtures', 'sandbox.json'), 'utf8')) as Sandbox
const demoClients = readClientsFile(fromRoot('fixtures', 'clients.json'),
  Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))).clients
const keyOf = new Map(sandbox.clients.map((c) => [c.clientId, c.apiKey]))

t.test('the sandbox has a check for every reason and for each condition both ways', async (t) => {
  const expectations = sandbox.requirementChecks.flatMap((c) => c.expect)
  const reasons = new Set(expectations.map((e) => e.reason).filter((r) => r !== undefined))
  t.same([...reasons].sort(), [...MUST_SUBMIT_REASONS].sort())

  const applies = new Set<string>()
  const lapses = new Set<string>()
  for (const e of expectations) {
    if (e.condition === undefined) continue
    ;(e.status === 'not-applicable' ? lapses : applies).add(e.condition.is)
  }
  t.same([...applies].sort(), [...CONDITION_STATES].sort(), 'each condition met once')
  t.same([...lapses].sort(), [...CONDITION_STATES].sort(), 'and each one not met')
  t.ok(expectations.some((e) => e.basis === 'law') && expectations.some((e) => e.basis === 'consent'),
    'documents released by law and by consent')
})

t.test('each sandbox check answers as fixtures/sandbox.json says', async (t) => {
  // No cache: a check's answer must not depend on which checks ran before it.
  const stack: Stack = await startStack(t, { cache: 'none', clients: demoClients })

  for (const c of sandbox.requirementChecks) {
    const key = keyOf.get(c.client)
    t.ok(key, `${c.title}: the client has a sandbox key`)
    if (c.fault !== undefined) await stack.fault(c.fault.register, c.fault.set)
    const res = await stack.call(`/v1/procedures/${c.procedureCode}/requirements`, {
      method: 'POST',
      auth: false,
      purpose: false,
      headers: {
        authorization: `Bearer ${key}`,
        'x-procedure-code': c.procedureCode,
        'x-dossier-id': 'HS-SANDBOX-0001'
      },
      body: { parties: c.parties }
    })
    if (c.fault !== undefined) await stack.fault(c.fault.register, { mode: 'none' })

    t.equal(res.status, 200, c.title)
    for (const e of c.expect) {
      const found = (res.json.requirements as Array<Record<string, unknown>>)
        .find((r) => r.requirementId === e.requirementId && r.role === e.role)
      t.match(found, e, `${c.title}: ${e.requirementId} for the ${e.role}`)
      // An unconditional answer carries no condition, so one the sandbox omits must be absent.
      if (e.condition === undefined) t.equal(found?.condition, undefined)
    }
  }
})
