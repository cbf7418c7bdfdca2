// A small dataset for the simulator tests, written fresh into each test's own
// folder, so no test depends on fixtures/ or on another test's data.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type {
  Address,
  CivilEvent,
  Household,
  PopulationRecord,
  VneidDocument,
  VneidWallet
} from '../../src/sources/types.js'

export const AN = '001090000001'
export const BINH = '001192000002'
export const DUC = '001215000003'
export const HOA = '079088000004'
export const UNKNOWN = '099999999999'

const namDinh = { code: '25', name: 'Tỉnh Nam Định' }
const hcm = { code: '79', name: 'Thành phố Hồ Chí Minh' }

function address (province: { code: string, name: string }): Address {
  return {
    street: '12 Trần Hưng Đạo',
    commune: { code: `${province.code}001`, name: 'Phường Một' },
    province
  }
}

function person (
  fields: Partial<PopulationRecord> & Pick<PopulationRecord,
    'citizenId' | 'fullName' | 'dateOfBirth' | 'sex'>
): PopulationRecord {
  return {
    formerNames: [],
    nationality: 'VN',
    ethnicity: 'Kinh',
    religion: null,
    placeOfBirth: address(namDinh),
    placeOfOrigin: address(namDinh),
    permanentResidence: address(namDinh),
    currentResidence: null,
    householdId: 'HH-001',
    maritalStatus: 'single',
    spouseId: null,
    fatherId: null,
    motherId: null,
    lifeStatus: 'alive',
    dateOfDeath: null,
    formerIdentifiers: [],
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...fields
  }
}

export const persons: PopulationRecord[] = [
  person({
    citizenId: AN,
    fullName: 'Nguyễn Văn An',
    dateOfBirth: '1990-05-12',
    sex: 'male',
    maritalStatus: 'married',
    spouseId: BINH,
    formerIdentifiers: [
      { type: 'cmnd9', value: '123456789', issuedOn: '2006-04-01' }
    ]
  }),
  person({
    citizenId: BINH,
    fullName: 'Trần Thị Bình',
    formerNames: [{ fullName: 'Trần Thị Bính', changedOn: '2010-02-03' }],
    dateOfBirth: '1992-03-01',
    sex: 'female',
    maritalStatus: 'married',
    spouseId: AN,
    formerIdentifiers: [
      { type: 'cmnd12', value: '001192004321', issuedOn: '2014-07-09' }
    ]
  }),
  person({
    citizenId: DUC,
    fullName: 'Nguyễn Trần Đức',
    dateOfBirth: '2015-08-20',
    sex: 'male',
    fatherId: AN,
    motherId: BINH
  }),
  person({
    citizenId: HOA,
    fullName: 'Đặng Thị Hoà',
    dateOfBirth: '1990-05-12',
    sex: 'female',
    placeOfOrigin: address(hcm),
    householdId: 'HH-002',
    updatedAt: '2023-06-30T08:00:00.000Z'
  })
]

export const households: Household[] = [{
  householdId: 'HH-001',
  headId: AN,
  address: address(namDinh),
  members: [
    { citizenId: AN, relationship: 'head' },
    { citizenId: BINH, relationship: 'spouse' },
    { citizenId: DUC, relationship: 'child' }
  ],
  updatedAt: '2024-01-01T00:00:00.000Z'
}]

function event (
  fields: Pick<CivilEvent, 'eventId' | 'type' | 'date' | 'parties' |
    'updatedAt'> & Partial<CivilEvent>
): CivilEvent {
  return {
    registrationNumber: `${fields.eventId}/2024`,
    registeredOn: fields.date,
    registeredAt: { code: '25001', name: 'UBND Phường Một' },
    details: {},
    ...fields
  }
}

// Listed out of date order on purpose: the register must sort them.
export const events: CivilEvent[] = [
  event({
    eventId: 'EV-BIRTH-DUC',
    type: 'birth',
    date: '2015-08-20',
    parties: [
      { citizenId: DUC, role: 'child' },
      { citizenId: AN, role: 'father' },
      { citizenId: BINH, role: 'mother' }
    ],
    updatedAt: '2015-08-25T09:00:00.000Z'
  }),
  event({
    eventId: 'EV-MARRIAGE',
    type: 'marriage',
    date: '2014-10-10',
    parties: [
      { citizenId: AN, role: 'spouse' },
      { citizenId: BINH, role: 'spouse' }
    ],
    updatedAt: '2020-01-02T03:04:05.000Z'
  }),
  event({
    eventId: 'EV-NAME-BINH',
    type: 'name-change',
    date: '2010-02-03',
    parties: [{ citizenId: BINH, role: 'subject' }],
    details: { previousName: 'Trần Thị Bính', newName: 'Trần Thị Bình' },
    updatedAt: '2010-02-05T00:00:00.000Z'
  })
]

function doc (
  fields: Pick<VneidDocument, 'documentId' | 'type' | 'number'> &
    Partial<VneidDocument>
): VneidDocument {
  return {
    issuedOn: '2021-01-01',
    expiresOn: '2031-01-01',
    issuer: 'Bộ Công an',
    status: 'active',
    data: {},
    updatedAt: '2021-01-01T00:00:00.000Z',
    ...fields
  }
}

export const wallets: VneidWallet[] = [
  {
    citizenId: AN,
    account: { level: 2, activatedOn: '2022-05-01' },
    documents: [
      doc({ documentId: 'DOC-AN-ID', type: 'id-card', number: AN }),
      doc({
        documentId: 'DOC-AN-DL',
        type: 'driving-licence',
        number: '790123456789',
        data: { classes: ['A1', 'B2'], points: 12, restricted: false }
      }),
      doc({
        documentId: 'DOC-AN-HI',
        type: 'health-insurance',
        number: 'DN4790123456789',
        data: { benefitLevel: 4, hospital: null }
      })
    ],
    consents: [{
      consentId: 'CONS-AN-1',
      grantee: { procedureCode: 'CDG-BHYT-01' },
      documentTypes: ['health-insurance'],
      grantedOn: '2024-02-01',
      validUntil: '2029-01-31'
    }],
    updatedAt: '2024-02-01T00:00:00.000Z'
  },
  {
    citizenId: BINH,
    account: { level: 1, activatedOn: '2023-03-03' },
    documents: [
      doc({ documentId: 'DOC-BINH-PP', type: 'passport', number: 'C1234567' })
    ],
    consents: [],
    updatedAt: '2023-03-03T00:00:00.000Z'
  }
]

export interface DatasetFiles {
  population?: unknown
  civilStatus?: unknown
  vneid?: unknown
}

/**
 * Writes the three files into `folder`; a key set to a string is written as
 * is (to break a file on purpose), and one set to 'missing' is left out.
 */
export function writeDataset (folder: string, files: DatasetFiles = {}) {
  mkdirSync(folder, { recursive: true })
  write(folder, 'population.json', files.population ?? { persons, households })
  write(folder, 'civil-status.json', files.civilStatus ?? { events })
  write(folder, 'vneid.json', files.vneid ?? { wallets })
  return folder
}

function write (folder: string, name: string, content: unknown) {
  if (content === 'missing') return
  const text = typeof content === 'string'
    ? content
    : JSON.stringify(content)
  writeFileSync(join(folder, name), text)
}
