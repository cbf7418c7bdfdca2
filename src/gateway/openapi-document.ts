import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { parse } from 'yaml'
import { fromRoot } from '../paths.js'

type Json = unknown
type Doc = Record<string, any>

function schemaName (file: string, schema: Doc): string {
  if (typeof schema.title === 'string') return schema.title
  return basename(file, '.schema.json')
    .split('-')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('')
}

/**
 * openapi.yaml refers to the JSON Schemas in schemas/ by file path, so one set of files
 * serves both the validator and the document. Browsers and code generators want one
 * self-contained document, so every file reference becomes a component schema here.
 */
export function bundleOpenApi (path = fromRoot('openapi.yaml')): Doc {
  const doc = parse(readFileSync(path, 'utf8')) as Doc
  const components: Record<string, Json> = {}
  const byFile = new Map<string, string>()

  const load = (file: string): string => {
    const known = byFile.get(file)
    if (known !== undefined) return known
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Doc
    const name = schemaName(file, schema)
    byFile.set(file, name)
    delete schema.$id
    delete schema.$schema
    components[name] = walk(schema, dirname(file))
    return name
  }

  const walk = (node: Json, base: string): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, base))
    if (node === null || typeof node !== 'object') return node
    const out: Doc = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        out.$ref = `#/components/schemas/${load(resolve(base, value))}`
      } else {
        out[key] = walk(value, base)
      }
    }
    return out
  }

  const bundled = walk(doc, dirname(path)) as Doc
  bundled.components = bundled.components ?? {}
  bundled.components.schemas = { ...bundled.components.schemas, ...components }
  return bundled
}
