import { readdirSync, readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { fromRoot } from '../paths.js'
import { UpstreamBadResponse } from '../gateway/errors.js'
import type { SourceName } from './types.js'

const dir = fromRoot('schemas', 'sources')
const validators = new Map<string, ValidateFunction>()

// Compiled once at import: a register answer is checked on every miss, so the cost
// must be a compiled function call, not a schema walk.
function compileAll (): void {
  const ajv = new Ajv2020({ allErrors: false, strict: false })
  addFormats.default(ajv)
  const files = readdirSync(dir).filter((f) => f.endsWith('.schema.json'))
  for (const file of files) {
    ajv.addSchema(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')))
  }
  for (const file of files) {
    const schema = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))
    validators.set(file.replace('.schema.json', ''), ajv.getSchema(schema.$id)!)
  }
}
compileAll()

/**
 * Returns the record when it has the shape the register's contract promises; a record
 * that does not is a bad upstream answer (502), never something to pass on.
 */
export function checkRecord<T> (source: SourceName, schema: string, data: unknown): T {
  const validate = validators.get(schema)
  if (validate === undefined) throw new Error(`no source schema named ${schema}`)
  if (!validate(data)) {
    const first = validate.errors?.[0]
    const where = `${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim()
    throw new UpstreamBadResponse(source, {
      cause: new Error(`${schema} failed its schema at ${where}`)
    })
  }
  return data as T
}
