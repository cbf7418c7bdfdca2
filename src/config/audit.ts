import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Logger } from 'pino'
import {
  PostgresAuditStore, SqliteAuditStore, type AuditStore, type CommitInfo
} from '../audit/index.js'
import { ConfigError, type Env } from './env.js'

export interface AuditSetupOptions {
  env: Env
  logger: Logger
  /** Resolves a relative file path from the environment. */
  path: (value: string) => string
  onCommit?: (info: CommitInfo) => void
}

// Environments flatten newlines in different ways: a PEM given as one line with
// literal \n sequences is read as the PEM it stands for.
function pemFromEnv (value: string): string {
  return value.includes('\\n') ? value.replaceAll('\\n', '\n') : value
}

/** Each PEM block of a bundle, for AUDIT_VERIFY_KEYS. */
export function pemBlocks (bundle: string): string[] {
  return pemFromEnv(bundle).match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? []
}

/**
 * The checkpoint signing key. In production it must come from AUDIT_SIGNING_KEY:
 * whoever holds it can re-sign a rewritten log, so it belongs in the secret store,
 * not beside the database. Elsewhere a key is generated once into
 * AUDIT_SIGNING_KEY_FILE (mode 0600), so restarts keep signing with the same key
 * and `npm run audit:verify` keeps passing on a developer's machine.
 */
export function signingKey (env: Env, path: (value: string) => string, logger: Logger): string {
  if (env.AUDIT_SIGNING_KEY !== undefined) return pemFromEnv(env.AUDIT_SIGNING_KEY)
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('invalid configuration: AUDIT_SIGNING_KEY is required in production')
  }
  const file = path(env.AUDIT_SIGNING_KEY_FILE)
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const pem = generateKeyPairSync('ed25519').privateKey
    .export({ type: 'pkcs8', format: 'pem' }).toString()
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' })
  logger.warn({ file }, 'audit signing key not set: generated one for development')
  return pem
}

/** PostgreSQL when AUDIT_URL is set, else the SQLite file. */
export function createAuditStore (opts: AuditSetupOptions): AuditStore {
  const { env, logger } = opts
  const common = {
    signingKey: signingKey(env, opts.path, logger),
    verifyKeys: env.AUDIT_VERIFY_KEYS === undefined ? [] : pemBlocks(env.AUDIT_VERIFY_KEYS),
    checkpointEvery: env.AUDIT_CHECKPOINT_EVERY,
    checkpointIntervalMs: env.AUDIT_CHECKPOINT_INTERVAL_S * 1000,
    logger: logger.child({ component: 'audit' }),
    onCommit: opts.onCommit
  }
  if (env.AUDIT_URL !== undefined) return new PostgresAuditStore({ ...common, url: env.AUDIT_URL })
  const file = opts.path(env.AUDIT_SQLITE_FILE)
  mkdirSync(dirname(file), { recursive: true })
  return new SqliteAuditStore({ ...common, file })
}
