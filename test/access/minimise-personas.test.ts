import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { Catalogue, allowedFields } from '../../src/access/catalogue.js'
import {
  minimiseCivilStatus,
  minimiseDocumentDetail,
  minimiseDocumentList,
  minimiseProfile,
  minimiseVerifyResult,
  type Minimised
} from '../../src/access/minimise.js'
import { fromRoot } from '../../src/paths.js'
import { createRng, type Rng } from '../../src/fixtures/prng.js'
import { personas } from '../helpers/personas.js'
import * as build from './answer-builder.js'
import { carriedPaths } from './leak-check.js'

const BASE = 'https://citizen-data-gateway.example/schemas/api/'

function schemas (): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const files = readdirSync(fromRoot('schemas', 'api')).filter((f) => f.endsWith('.schema.json'))
  for (const f of files) {
    const schema = JSON.parse(readFileSync(fromRoot('schemas', 'api', f), 'utf8'))
    ajv.addSchema({ ...schema, $id: `${BASE}${f}` })
  }
  return ajv
}

const ajv = schemas()
const validator = (name: string): ValidateFunction => ajv.getSchema(`${BASE}${name}.schema.json`)!

type Kind = 'profile' | 'civil-status' | 'document-list' | 'document-detail' | 'verify'

interface Case {
  kind: Kind
  schema: string
  minimise: (a: build.Answer, o: { allowed: ReadonlySet<string>, fields?: string }) => Minimised
  answers: build.Answer[]
}

const people = personas().population.persons
const CASES: Case[] = [
  {
    kind: 'profile',
    schema: 'citizen-profile',
    minimise: minimiseProfile,
    answers: [...people.map((p) => build.profile(p)), ...people.map((p) => build.profile(p, true))]
  },
  {
    kind: 'civil-status',
    schema: 'civil-status',
    minimise: minimiseCivilStatus,
    answers: people.map(build.civilStatus)
  },
  {
    kind: 'document-list',
    schema: 'document-list',
    minimise: minimiseDocumentList,
    answers: people.map(build.documentList)
  },
  {
    kind: 'document-detail',
    schema: 'document-detail',
    minimise: minimiseDocumentDetail,
    answers: people.flatMap(build.documentDetails)
  },
  {
    kind: 'verify',
    schema: 'verify-result',
    minimise: minimiseVerifyResult,
    answers: people.map(build.verifyResult)
  }
]

const catalogue = Catalogue.fromFile(fromRoot('fixtures', 'procedures.json'))
const clients = JSON.parse(readFileSync(fromRoot('fixtures', 'clients.json'), 'utf8')).clients as
  Array<{ id: string, scopes: string[] }>

function related (a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)
}

/** Why one minimised answer breaks the rules, or nothing. */
function problems (c: Case, input: build.Answer, out: Minimised, allowed: ReadonlySet<string>): string[] {
  const found: string[] = []
  const carried = carriedPaths(c.kind, out.answer)
  for (const path of carried) if (!allowed.has(path)) found.push(`leaked ${path}`)
  for (const path of out.returned) if (!allowed.has(path)) found.push(`audited ${path}`)
  if (out.answer.citizenId !== input.citizenId) found.push('citizenId lost')
  if (out.answer.sources !== input.sources) found.push('sources lost')
  const source = c.kind === 'profile' ? 'population' : 'civilStatus'
  for (const entry of (out.answer.unavailable ?? []) as string[]) {
    const ok = entry === 'conflicts' || carried.some((p) => related(p, `${source}:${entry}`))
    if (!ok) found.push(`unavailable ${entry}`)
  }
  const check = validator(c.schema)
  if (!check(out.answer)) found.push(`schema ${ajv.errorsText(check.errors)}`)
  return found
}

// The builders make answers as the services do, before minimisation, which adds
// `withheld`: an empty one stands for "nothing withheld" here.
t.test('the built answers have the shapes the API schemas describe', async (t) => {
  for (const c of CASES) {
    t.ok(c.answers.length > 0, c.kind)
    const bad: build.Answer[] = c.answers.filter((a) => !validator(c.schema)({ ...a, withheld: [] }))
    t.same(bad.map((a) => a.citizenId), [], `${c.kind}: ${ajv.errorsText(validator(c.schema).errors)}`)
  }
})

t.test('no field outside the allowed set survives, for every demo client and procedure', async (t) => {
  for (const c of CASES) {
    for (const client of clients) {
      const found: string[] = []
      for (const procedure of catalogue.all()) {
        const allowed = allowedFields(procedure, client.scopes)
        for (const input of c.answers) {
          const out = c.minimise(input, { allowed })
          for (const p of problems(c, input, out, allowed)) {
            found.push(`${procedure.code} ${input.citizenId}: ${p}`)
          }
        }
      }
      t.same(found.slice(0, 5), [], `${c.kind} for ${client.id}`)
    }
  }
})

// The converse: minimisation that dropped everything would pass the test above.
const READ_ALL = ['population:read', 'civil-status:read', 'documents:read', 'verify']
t.test('every allowed part the answer holds survives when no fields are asked for', async (t) => {
  for (const c of CASES) {
    const found: string[] = []
    for (const procedure of catalogue.all()) {
      const allowed = allowedFields(procedure, READ_ALL)
      for (const input of c.answers) {
        const want = carriedPaths(c.kind, input).filter((p) => allowed.has(p))
        const got = new Set(carriedPaths(c.kind, c.minimise(input, { allowed }).answer))
        const lost = want.filter((p) => !got.has(p))
        for (const p of lost) found.push(`${procedure.code} ${input.citizenId}: lost ${p}`)
      }
    }
    t.same(found.slice(0, 5), [], c.kind)
  }
})

const VOCABULARY: Record<Kind, string[]> = {
  profile: ['identity', 'identity.fullName', 'identity.sex', 'residence.current', 'household',
    'lifeStatus', 'maritalStatus'],
  'civil-status': ['maritalStatus', 'events', 'events.birth', 'events.death', 'events.marriage'],
  'document-list': ['account', 'number', 'valid', 'data', 'expiresOn'],
  'document-detail': ['number', 'valid', 'status', 'issuer'],
  verify: ['fullName', 'sex', 'householdId', 'permanentAddress']
}

function someFields (rng: Rng, kind: Kind): string[] {
  return VOCABULARY[kind].filter(() => rng.chance(0.4))
}

function under (path: string, asked: string[]): boolean {
  const bare = path.replace(/^[a-zA-Z]+:/, '')
  const tail = bare.split('.').slice(-1)[0]
  return asked.some((f) => related(bare, f) || f === tail)
}

t.test('asking for fields only narrows what the client may receive', async (t) => {
  const rng = createRng('minimise-fields')
  const counter = clients.find((c) => c.id === 'demo-counter')!
  for (const c of CASES) {
    const found: string[] = []
    for (let i = 0; i < 300; i++) {
      const procedure = rng.pick(catalogue.all())
      const input = rng.pick(c.answers)
      const asked = someFields(rng, c.kind)
      if (asked.length === 0) continue
      const allowed = allowedFields(procedure, counter.scopes)
      const out = c.minimise(input, { allowed, fields: asked.join(',') })
      for (const p of problems(c, input, out, allowed)) found.push(`${procedure.code}: ${p}`)
      const data = carriedPaths(c.kind, out.answer).filter((p) => !/^vneid:[a-z-]+$/.test(p))
      for (const p of data) if (!under(p, asked)) found.push(`${asked.join(',')} kept ${p}`)
      const full = c.minimise(input, { allowed }).answer.withheld
      if (String(out.answer.withheld) !== String(full)) found.push(`${asked.join(',')} changed withheld`)
    }
    t.same(found.slice(0, 5), [], c.kind)
  }
})

t.test('withheld depends on the procedure and scopes, never on the citizen', async (t) => {
  const counter = clients.find((c) => c.id === 'demo-counter')!
  for (const c of CASES) {
    for (const procedure of catalogue.all()) {
      const allowed = allowedFields(procedure, counter.scopes)
      const lists = new Set(c.answers.map((a) =>
        JSON.stringify(c.minimise(a, { allowed }).answer.withheld)))
      if (lists.size !== 1) t.fail(`${c.kind} ${procedure.code} gives ${lists.size} withheld lists`)
    }
  }
  t.pass('one withheld list per kind and procedure')
})
