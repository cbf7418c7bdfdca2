// Response schemas serialise exactly the fields of src/sources/types.ts, so a
// stray field in a fixture never reaches a client. They leave out `required`
// on purpose: completeness of the data is the fixture schemas' job, and a
// serialiser that throws on a gap would turn a data slip into a 500.

export const string = { type: 'string' } as const
export const nullableString = { type: ['string', 'null'] } as const
export const integer = { type: 'integer' } as const

export function objectOf (properties: Record<string, unknown>) {
  return { type: 'object', properties } as const
}

export function listOf (items: unknown) {
  return { type: 'array', items } as const
}

export const unit = objectOf({ code: string, name: string })

export const address = objectOf({
  street: nullableString,
  commune: unit,
  province: unit,
  former: objectOf({
    street: nullableString,
    commune: unit,
    district: unit,
    province: unit
  })
})

export const nullableAddress = { ...address, type: ['object', 'null'] }

export const identifierLink = objectOf({
  identifier: string,
  type: string,
  citizenId: string
})

export const problem = objectOf({
  type: string,
  title: string,
  status: integer,
  code: string,
  detail: string,
  eventId: string
})

/** The responses of a data route: its record, or a problem. */
export function answers (ok: unknown) {
  return { 200: ok, '4xx': problem, '5xx': problem }
}

// Inputs. A citizen id is the 12-digit personal identification number; the
// other ids are opaque but kept to characters that need no URL escaping.
export const citizenIdParam = { type: 'string', pattern: '^[0-9]{12}$' }
export const opaqueIdParam = {
  type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$'
}
