import { readFileSync } from 'node:fs'
import t from 'tap'
import {
  allowedFields,
  parseCatalogue,
  type Condition,
  type Procedure,
  type RequirementSource
} from '../../src/access/catalogue.js'
import { fromRoot } from '../../src/paths.js'

const text = readFileSync(fromRoot('fixtures', 'procedures.json'), 'utf8')
const procedures = parseCatalogue(text)
const READ_SCOPES = ['population:read', 'civil-status:read', 'documents:read']

// Written out again here rather than imported: the test states what each source is
// read through, so a change to the loader's own mapping cannot make it pass.
function readThrough (source: RequirementSource): string[] {
  switch (source.register) {
    case 'population':
      return [`population:${{ identity: 'identity.fullName', residence: 'residence.permanent', household: 'household' }[source.record]}`]
    case 'civilStatus':
      return 'event' in source
        ? [`civilStatus:events.${source.event}`]
        : ['civilStatus:maritalStatus', 'population:maritalStatus']
    case 'vneid':
      return [`vneid:${source.documentType}`]
  }
}

function toldFrom (condition: Condition): string {
  return condition.is === 'minor' || condition.is === 'adult'
    ? 'population:identity.dateOfBirth'
    : 'population:maritalStatus'
}

/** A copy of the fixture catalogue with one procedure changed by `edit`. */
function broken (code: string, edit: (p: Procedure & Record<string, any>) => void): string {
  const doc = JSON.parse(text)
  edit(doc.procedures.find((p: Procedure) => p.code === code))
  return JSON.stringify(doc)
}

const requirement = (p: Procedure, id: string) => p.requirements.find((r) => r.id === id)!
// The edits below write what the types forbid: that is the point of them.
const loose = (p: any, id: string): any => requirement(p, id)

t.test('every procedure names its parties, the applicant first among them', async (t) => {
  for (const p of procedures) {
    t.same(p.parties[0], { role: 'applicant', required: true }, p.code)
  }
})

t.test('every dossier procedure lists its documents, most of them some a register holds', async (t) => {
  const covert = procedures.filter((p) => p.covert)
  t.ok(covert.length > 0)
  for (const p of covert) t.same(p.requirements, [], `${p.code}: an inspection has no dossier`)
  const open = procedures.filter((p) => !p.covert)
  t.same(open.filter((p) => p.requirements.length === 0).map((p) => p.code), [])
  const fromRegisters = open.filter((p) => p.requirements.some((r) => r.source !== null))
  t.ok(fromRegisters.length >= 25, `${fromRegisters.length} procedures reuse register data`)
  const nowhere = procedures.flatMap((p) => p.requirements).filter((r) => r.source === null)
  t.ok(nowhere.some((r) => r.documentType === 'photo'), 'a photo comes from nowhere')
})

t.test('each source and condition is readable under the procedure\'s own data', async (t) => {
  const unreadable: string[] = []
  for (const p of procedures) {
    const allowed = allowedFields(p, READ_SCOPES)
    for (const r of p.requirements) {
      const paths = [
        ...(r.source === null ? [] : readThrough(r.source)),
        ...(r.condition === null ? [] : [toldFrom(r.condition)])
      ]
      for (const path of paths) if (!allowed.has(path)) unreadable.push(`${p.code} ${r.id}: ${path}`)
      if (r.source?.register === 'vneid') {
        const field = [...allowed].some((a) => a.startsWith(`vneid:${r.documentType}.`))
        if (!field) unreadable.push(`${p.code} ${r.id}: no field of ${r.documentType}`)
      }
    }
  }
  t.same(unreadable, [])
})

t.test('the parties of each requirement are parties of its procedure', async (t) => {
  for (const p of procedures) {
    const roles = p.parties.map((x) => x.role)
    const ids = p.requirements.map((r) => r.id)
    t.equal(new Set(ids).size, ids.length, `${p.code}: requirement ids are unique`)
    for (const r of p.requirements) {
      const named = [...r.parties, ...(r.condition === null ? [] : [r.condition.party])]
      t.ok(named.every((role) => roles.includes(role)), `${p.code} ${r.id}`)
    }
  }
})

t.test('the marriage registration checks both parties, and a divorce or a death only when there was one', async (t) => {
  const marriage = procedures.find((p) => p.code === '1.000894')!
  t.same(marriage.parties, [{ role: 'applicant', required: true }, { role: 'spouse', required: true }])
  t.same(requirement(marriage, 'party-id-card').source, { register: 'vneid', documentType: 'id-card', release: 'law' })
  t.same(requirement(marriage, 'marital-status').source, { register: 'civilStatus', record: 'marital-status' })
  t.same(requirement(marriage, 'spouse-divorce-judgment').condition, { party: 'spouse', is: 'divorced' })
  t.same(requirement(marriage, 'applicant-death-certificate').source, { register: 'civilStatus', event: 'death' })
})

t.test('a birth registration takes the father as optional and the parents\' marriage only if married', async (t) => {
  const birth = procedures.find((p) => p.code === '1.001193')!
  t.same(birth.parties.find((x) => x.role === 'father'), { role: 'father', required: false })
  t.equal(requirement(birth, 'birth-medical-certificate').source, null)
  const marriage = requirement(birth, 'parents-marriage-certificate')
  t.same(marriage.parties, ['mother', 'father'])
  t.same(marriage.condition, { party: 'mother', is: 'married' })
})

t.test('a catalogue whose dossier breaks the rules is refused, naming procedure and requirement', async (t) => {
  const cases: Array<[string, string, (p: any) => void, RegExp]> = [
    ['a role the procedure does not have', '1.000894',
      (p) => { loose(p, 'party-id-card').parties.push('child') },
      /procedure 1\.000894: requirement party-id-card refers to role child/],
    ['a condition on a role the procedure does not have', '1.001193',
      (p) => { loose(p, 'parents-marriage-certificate').condition.party = 'spouse' },
      /procedure 1\.001193: requirement parents-marriage-certificate refers to role spouse/],
    ['a role outside the vocabulary', '1.000894',
      (p) => { loose(p, 'party-id-card').parties = ['bride'] },
      /procedure 1\.000894, requirement party-id-card: \/procedures\/\d+\/requirements\/\d+\/parties\/0 /],
    ['a condition outside the vocabulary', '1.000894',
      (p) => { loose(p, 'applicant-divorce-judgment').condition.is = 'engaged' },
      /procedure 1\.000894, requirement applicant-divorce-judgment: .*condition\/is /],
    ['a document type outside the vocabulary', '1.001193',
      (p) => { loose(p, 'birth-medical-certificate').documentType = 'hospital-note' },
      /procedure 1\.001193, requirement birth-medical-certificate: .*documentType /],
    ['a population source with a document type', '1.000894',
      (p) => { loose(p, 'party-residence').source.documentType = 'id-card' },
      /procedure 1\.000894, requirement party-residence: .*source\/documentType is not allowed here/],
    ['a civil-status event the data does not list', '1.000894',
      (p) => { p.data.civilStatus = p.data.civilStatus.filter((x: string) => x !== 'events.divorce') },
      /procedure 1\.000894: requirement applicant-divorce-judgment needs civilStatus:events\.divorce/],
    ['a VNeID type the data does not list', '1.000894',
      (p) => { p.data.vneid.documentTypes = [] },
      /procedure 1\.000894: requirement party-id-card needs vneid:id-card with a field, which the procedure's data does not list/],
    ['a VNeID type listed without a single field', '1.000894',
      (p) => { p.data.vneid.fields = [] },
      /requirement party-id-card needs vneid:id-card/],
    ['a marital status only one register may be read for', '1.000894',
      (p) => { p.data.population = p.data.population.filter((x: string) => x !== 'maritalStatus') },
      /procedure 1\.000894: requirement marital-status needs population:maritalStatus/],
    ['a condition the data cannot tell', '1.001193',
      (p) => { p.data.population = p.data.population.filter((x: string) => x !== 'maritalStatus') },
      /requirement parents-marriage-certificate needs population:maritalStatus/],
    ['a VNeID source of another type than the paper', '1.000894',
      (p) => { loose(p, 'party-id-card').documentType = 'passport' },
      /requirement party-id-card is a passport but reads the VNeID id-card/],
    ['one VNeID type released both by law and by consent', '1.001193',
      (p) => { loose(p, 'parent-id-card').source.release = 'consent' },
      /procedure 1\.001193: releases the VNeID id-card both by law and by consent/],
    ['one requirement id twice', '1.000894',
      (p) => { p.requirements.push(structuredClone(p.requirements[1])) },
      /procedure 1\.000894: requirement id party-id-card twice/],
    ['no applicant', '1.004873',
      (p) => { p.parties = [{ role: 'child', required: true }] },
      /procedure 1\.004873: the applicant must be a required party/],
    ['an optional applicant', '1.004873',
      (p) => { p.parties[0].required = false },
      /procedure 1\.004873: the applicant must be a required party/],
    ['one role twice', '1.000894',
      (p) => { p.parties.push({ role: 'spouse', required: false }) },
      /procedure 1\.000894: party spouse twice/],
    ['no parties or requirements at all', '1.004194',
      (p) => { delete p.requirements },
      /procedure 1\.004194: .*requirements/]
  ]
  for (const [what, code, edit, message] of cases) {
    t.throws(() => parseCatalogue(broken(code, edit)), { code: 'ACCESS_FILE_INVALID', message }, what)
  }
  t.throws(() => parseCatalogue('{"procedures": ['), { code: 'ACCESS_FILE_INVALID', message: /not valid JSON/ })
})
