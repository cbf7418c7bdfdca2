import {
  DocumentKeyError, documentKeys, type DocumentKeys
} from '../sources/document-signature.js'
import { pemBlocks } from './audit.js'
import { ConfigError, type Env } from './env.js'

/**
 * The keys VNeID documents are verified with: every key of VNEID_PUBLIC_KEYS (a
 * bundle, so a key can be rotated in before the register signs with it), plus the
 * key of the simulator this process started, if any.
 */
export function vneidDocumentKeys (env: Env, simulatorKeyPem?: string): DocumentKeys {
  const configured = env.VNEID_PUBLIC_KEYS === undefined ? [] : pemBlocks(env.VNEID_PUBLIC_KEYS)
  if (env.VNEID_PUBLIC_KEYS !== undefined && configured.length === 0) {
    throw new ConfigError('invalid configuration: VNEID_PUBLIC_KEYS holds no PEM key')
  }
  const pems = simulatorKeyPem === undefined ? configured : [...configured, simulatorKeyPem]
  try {
    return documentKeys(pems)
  } catch (err) {
    if (!(err instanceof DocumentKeyError)) throw err
    throw new ConfigError(`invalid configuration: VNEID_PUBLIC_KEYS: ${err.message}`)
  }
}
