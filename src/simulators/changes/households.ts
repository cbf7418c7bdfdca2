import type {
  Address,
  Household,
  PopulationRecord
} from '../../sources/types.js'
import type { SimulatorStore } from '../store.js'
import type { ChangeContext } from './change.js'

type Member = Household['members'][number]

/**
 * Takes a person off their household's list, as a death or a move does.
 * The last member leaving strikes the household off. Returns the household
 * id if a household was altered (the person's may name none that exists).
 */
export function leaveHousehold (
  { store, at }: ChangeContext, person: PopulationRecord
): string | undefined {
  const id = person.householdId
  const household = id === null ? undefined : store.population.household(id)
  if (household === undefined) return undefined
  const members = household.members
    .filter((member) => member.citizenId !== person.citizenId)
  if (members.length === 0) {
    store.population.removeHousehold(household.householdId)
    return household.householdId
  }
  const headId = household.headId === person.citizenId
    ? successor(store, members)
    : household.headId
  store.population.putHousehold({
    ...household, headId, members: withHead(members, headId), updatedAt: at.iso
  })
  return household.householdId
}

/** A new household at `address`, with the person as its head and only member. */
export function foundHousehold (
  { store, at }: ChangeContext, person: PopulationRecord, address: Address
): string {
  const taken = (id: string) => store.population.household(id) !== undefined
  const householdId = store.ids.next('HK', taken)
  store.population.putHousehold({
    householdId,
    headId: person.citizenId,
    address,
    members: [{ citizenId: person.citizenId, relationship: 'head' }],
    updatedAt: at.iso
  })
  return householdId
}

// The spouse takes over, else the eldest member. The others keep the
// relationship they had to the former head, which may now read oddly (a
// grandchild of the old head under their own parent): working out the new
// relationships is beyond the sandbox.
function successor (store: SimulatorStore, members: Member[]): string {
  const spouse = members.find((member) => member.relationship === 'spouse')
  if (spouse !== undefined) return spouse.citizenId
  const born = (member: Member) =>
    store.population.person(member.citizenId)?.dateOfBirth ?? '9999'
  const eldest = [...members].sort((a, b) => born(a) < born(b) ? -1 : 1)
  return eldest[0].citizenId
}

function withHead (members: Member[], headId: string): Member[] {
  return members.map((member) => member.citizenId === headId
    ? { ...member, relationship: 'head' }
    : member)
}
