// npm run clients:add -- --file F --id ID [--name N --scopes a,b --procedures c1,c2|*]
//   [--rotate] [--demo] [--catalogue fixtures/procedures.json]
// Prints the new key once, on stdout, and nowhere else: not in the file, not in a log.
import { parseArgs } from 'node:util'
import { Catalogue } from './catalogue.js'
import { AccessFileInvalid } from './errors.js'
import { addClient, AddClientRefused, type AddClientOptions } from './add-client.js'
import { fromRoot } from '../paths.js'

const USAGE = 'usage: clients:add --file F --id ID [--name N --scopes a,b ' +
  '--procedures c1,c2|*] [--rotate] [--demo] [--catalogue F]'

function list (value: string | undefined): string[] | undefined {
  return value?.split(',').map((v) => v.trim()).filter((v) => v !== '')
}

function options (argv: string[]): AddClientOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      file: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      procedures: { type: 'string' },
      rotate: { type: 'boolean' },
      demo: { type: 'boolean' },
      catalogue: { type: 'string' }
    }
  })
  if (values.file === undefined || values.id === undefined) throw new AddClientRefused(USAGE)
  const catalogue = Catalogue.fromFile(values.catalogue ?? fromRoot('fixtures', 'procedures.json'))
  return {
    file: values.file,
    catalogue,
    id: values.id,
    name: values.name,
    scopes: list(values.scopes),
    procedures: list(values.procedures),
    rotate: values.rotate,
    demo: values.demo
  }
}

function main (argv: string[]): number {
  try {
    const added = addClient(options(argv))
    process.stderr.write(`added key ${added.keyId} to client ${added.clientId}\n`)
    process.stdout.write(`${added.key}\n`)
    return 0
  } catch (error) {
    const known = error instanceof AddClientRefused || error instanceof AccessFileInvalid ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true
    process.stderr.write(`${known ? (error as Error).message : String(error)}\n`)
    return 1
  }
}

process.exitCode = main(process.argv.slice(2))
