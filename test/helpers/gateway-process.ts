// Runs the real entry point (src/main.ts through tap's TypeScript loader) as a
// child process on free ports, killed with the test. Its audit log and signing key
// live in the test's own directory unless the test says otherwise, so no test ever
// writes to the repository's data/.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { Test } from 'tap'
import { fromRoot } from '../../src/paths.js'
import { testDir } from './audit-stores.js'

export interface GatewayProcess {
  child: ChildProcess
  /** Every JSON line the process wrote to stdout, parsed. */
  lines: Array<Record<string, any>>
  stderr: () => string
  /** Where this process keeps its SQLite audit log and its signing key. */
  auditFile: string
  keyFile: string
}

export function runGateway (t: Test, env: Record<string, string>): GatewayProcess {
  const dir = testDir(t)
  const auditFile = env.AUDIT_SQLITE_FILE ?? join(dir, 'audit.db')
  const keyFile = env.AUDIT_SIGNING_KEY_FILE ?? join(dir, 'audit-signing-key.pem')
  const main = fromRoot('src', 'main.ts')
  const child = spawn(process.execPath, ['--import', '@tapjs/typescript/import', main], {
    cwd: fromRoot(),
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      POPULATION_SIM_PORT: '0',
      CIVIL_STATUS_SIM_PORT: '0',
      VNEID_SIM_PORT: '0',
      AUDIT_SQLITE_FILE: auditFile,
      AUDIT_SIGNING_KEY_FILE: keyFile,
      ...env
    }
  })
  const lines: Array<Record<string, any>> = []
  let err = ''
  let buffer = ''
  child.stdout!.on('data', (chunk) => {
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    for (const line of parts) if (line.startsWith('{')) lines.push(JSON.parse(line))
  })
  child.stderr!.on('data', (chunk) => { err += chunk })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  return { child, lines, stderr: () => err, auditFile, keyFile }
}

// Start-up goes through tap's TypeScript loader, which transpiles every module on
// the way: on a loaded two-core machine that alone can take over ten seconds.
const READY_WAIT_MS = 60_000
const POLL_MS = 50

/** The process's `gateway ready` log line, once it has written it. */
export async function ready (r: GatewayProcess): Promise<Record<string, any>> {
  for (let i = 0; i < READY_WAIT_MS / POLL_MS; i++) {
    const line = r.lines.find((l) => l.msg === 'gateway ready')
    if (line !== undefined) return line
    if (r.child.exitCode !== null) throw new Error(`exited: ${r.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error('the gateway did not become ready')
}
