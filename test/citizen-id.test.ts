import t from 'tap'
import { encodeCitizenId, isCitizenId, parseCitizenId } from '../src/reference/citizen-id.js'
import { adminUnits } from '../src/reference/admin-units.js'

const now = new Date('2026-12-01T00:00:00Z')

t.test('parseCitizenId reads province, sex and birth year', async (t) => {
  t.same(parseCitizenId('001085000001', { now }), {
    ok: true, provinceCode: '001', sex: 'male', birthYear: 1985, serial: '000001'
  })
  t.same(parseCitizenId('036188000002', { now }), {
    ok: true, provinceCode: '036', sex: 'female', birthYear: 1988, serial: '000002'
  })
  t.same(parseCitizenId('048319000013', { now }), {
    ok: true, provinceCode: '048', sex: 'female', birthYear: 2019, serial: '000013'
  })
  t.same(parseCitizenId('031226123456', { now }), {
    ok: true, provinceCode: '031', sex: 'male', birthYear: 2026, serial: '123456'
  })
})

t.test('parseCitizenId accepts former and current province codes', async (t) => {
  t.ok(parseCitizenId('006093000020', { now }).ok, 'Bắc Kạn, a former province')
  t.ok(parseCitizenId('019226000001', { now }).ok, 'Thái Nguyên after the merger')
  t.ok(parseCitizenId('096001000001', { now }).ok, 'Cà Mau, the highest code')
  t.equal(isCitizenId('006093000020', { now }), true)
  t.equal(isCitizenId('006493000020', { now }), false)
})

t.test('parseCitizenId refuses malformed ids with a stable reason', async (t) => {
  const cases: Array<[string, string]> = [
    ['00108500000', 'length'],
    ['0010850000011', 'length'],
    ['', 'length'],
    ['00108500000A', 'format'],
    [' 01085000001', 'format'],
    ['００１０８５０００００１', 'format'],
    ['٠٠١٠٨٥٠٠٠٠٠١', 'format'],
    ['003085000001', 'province'],
    ['099085000001', 'province'],
    ['101085000001', 'province'],
    ['000085000001', 'province']
  ]
  for (const [value, reason] of cases) {
    t.same(parseCitizenId(value, { now }), { ok: false, reason }, JSON.stringify(value))
  }
})

t.test('parseCitizenId refuses century digits 4 to 9', async (t) => {
  for (let digit = 4; digit <= 9; digit++) {
    const value = `001${digit}85000001`
    t.same(parseCitizenId(value, { now }), { ok: false, reason: 'century' }, value)
  }
})

t.test('parseCitizenId refuses a birth year after the current year', async (t) => {
  const value = '001227000001'
  t.same(parseCitizenId(value, { now }), { ok: false, reason: 'future-year' })
  t.ok(parseCitizenId(value, { now: new Date('2027-01-01T00:00:00Z') }).ok)
  t.ok(parseCitizenId('001226000001', { now }).ok, 'this year is not the future')
})

t.test('parseCitizenId can be given its own province list', async (t) => {
  const provinceCodes = new Set(['01'])
  t.ok(parseCitizenId('001085000001', { now, provinceCodes }).ok)
  t.same(parseCitizenId('006093000020', { now, provinceCodes }), { ok: false, reason: 'province' })
})

t.test('encodeCitizenId writes what parseCitizenId reads', async (t) => {
  const parts = [
    { provinceCode: '006', sex: 'male', birthYear: 1993, serial: 20 },
    { provinceCode: '079', sex: 'female', birthYear: 1975, serial: 999_999 },
    { provinceCode: '048', sex: 'female', birthYear: 2019, serial: 0 },
    { provinceCode: '031', sex: 'male', birthYear: 2000, serial: 123 }
  ] as const
  for (const part of parts) {
    const id = encodeCitizenId(part)
    const parsed = parseCitizenId(id, { now })
    t.same(parsed, {
      ok: true,
      provinceCode: part.provinceCode,
      sex: part.sex,
      birthYear: part.birthYear,
      serial: String(part.serial).padStart(6, '0')
    }, id)
  }
  const short = { provinceCode: '19', sex: 'female', birthYear: 2026, serial: 7 } as const
  t.equal(encodeCitizenId(short), '019326000007')
})

t.test('encodeCitizenId refuses parts it cannot encode', async (t) => {
  const base = { provinceCode: '001', sex: 'male', birthYear: 1990, serial: 1 } as const
  t.throws(() => encodeCitizenId({ ...base, serial: 1_000_000 }), RangeError)
  t.throws(() => encodeCitizenId({ ...base, serial: 1.5 }), RangeError)
  t.throws(() => encodeCitizenId({ ...base, birthYear: 1899 }), RangeError)
  t.throws(() => encodeCitizenId({ ...base, birthYear: 2100 }), RangeError)
  t.throws(() => encodeCitizenId({ ...base, provinceCode: '1001' }), RangeError)
})

t.test('birthProvince resolves an id prefix to the former and current province', async (t) => {
  const units = adminUnits()
  const bacKan = units.birthProvince('006093000020')
  t.equal(bacKan?.former.name, 'Tỉnh Bắc Kạn')
  t.equal(bacKan?.current.code, '19')
  t.equal(bacKan?.current.name, 'Tỉnh Thái Nguyên')
  const haNoi = units.birthProvince('001')
  t.equal(haNoi?.former.code, '01')
  t.equal(haNoi?.current.name, 'Thành phố Hà Nội')
  t.equal(units.birthProvince('091')?.former.name, 'Tỉnh Kiên Giang')
  t.equal(units.birthProvince('091')?.current.name, 'Tỉnh An Giang')
  t.equal(units.birthProvince('089')?.current.code, '91')
  t.equal(units.birthProvince('003'), undefined)
  t.equal(units.birthProvince('1'), undefined)
})

t.test('admin unit lookups by code', async (t) => {
  const units = adminUnits()
  t.same(units.province('79')?.formerCodes, ['74', '77', '79'])
  t.equal(units.province('74'), undefined, 'Bình Dương is no longer a province')
  t.equal(units.formerProvince('74')?.current.name, 'Thành phố Hồ Chí Minh')
  t.equal(units.formerProvince('00'), undefined)
  const commune = units.commune('00004')
  t.equal(commune?.name, 'Phường Ba Đình')
  t.ok(commune?.former.some((f) => f.commune.name === 'Phường Quán Thánh'))
  t.equal(units.commune('99999'), undefined)
  t.ok(units.communesIn('19').length >= 3)
  t.ok(units.communesIn('19').every((c) => c.province === '19'))
})
