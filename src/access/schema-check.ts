import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { fromRoot } from '../paths.js'

const validators = new Map<string, ValidateFunction>()

function compile (name: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false })
  addFormats.default(ajv)
  const file = fromRoot('schemas', 'catalogue', `${name}.schema.json`)
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')))
}

/**
 * Checks `data` against schemas/catalogue/<name>.schema.json and returns a one-line
 * reason when it fails. The reason names a JSON pointer and a rule, never a value:
 * a registry file holds key hashes, which have no business in a log line.
 */
export function schemaProblem (name: string, data: unknown): string | undefined {
  let validate = validators.get(name)
  if (validate === undefined) {
    validate = compile(name)
    validators.set(name, validate)
  }
  if (validate(data)) return undefined
  const first = validate.errors?.[0]
  return `${first?.instancePath === '' ? '/' : first?.instancePath} ${first?.message ?? ''}`
}
