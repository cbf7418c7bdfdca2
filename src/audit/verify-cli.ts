// Verifies an audit store offline:
//   node dist/audit/verify-cli.js --sqlite FILE --public-key FILE
//   node dist/audit/verify-cli.js --postgres URL --public-key FILE
// Prints the result as one JSON line. Exit 0: intact; 1: not intact; 2: the store
// or the key could not be read, or the arguments are wrong.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { PostgresAuditStore } from './postgres-store.js'
import { SqliteAuditStore } from './sqlite-store.js'
import type { AuditStore } from './types.js'

const USAGE = 'usage: verify-cli (--sqlite FILE | --postgres URL) --public-key FILE' +
  ' [--public-key FILE ...]'

class UsageError extends Error {
  override name = 'UsageError'
  code = 'AUDIT_CLI_USAGE'
}

function openStore (argv: string[]): AuditStore {
  const { values } = parseArgs({
    args: argv,
    options: {
      sqlite: { type: 'string' },
      postgres: { type: 'string' },
      'public-key': { type: 'string', multiple: true }
    }
  })
  const keyFiles = values['public-key'] ?? []
  if (keyFiles.length === 0) throw new UsageError(USAGE)
  const verifyKeys = keyFiles.map((file) => readFileSync(file, 'utf8'))
  if (values.sqlite !== undefined && values.postgres === undefined) {
    return new SqliteAuditStore({ file: values.sqlite, verifyKeys })
  }
  if (values.postgres !== undefined && values.sqlite === undefined) {
    return new PostgresAuditStore({ url: values.postgres, verifyKeys, poolMax: 2 })
  }
  throw new UsageError(USAGE)
}

// The driver's message can carry a connection string with its password: print
// only the error's name and code.
function describe (err: unknown): string {
  const { name, code } = err as { name?: string, code?: string }
  if (err instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS') === true) {
    return USAGE
  }
  return `audit verification could not run: ${name ?? 'Error'} ${code ?? ''}`.trim()
}

async function main (argv: string[]): Promise<number> {
  let store: AuditStore | undefined
  try {
    store = openStore(argv)
    const result = await store.verify()
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return result.ok ? 0 : 1
  } catch (err) {
    process.stderr.write(`${describe(err)}\n`)
    return 2
  } finally {
    await store?.close().catch(() => {})
  }
}

process.exitCode = await main(process.argv.slice(2))
