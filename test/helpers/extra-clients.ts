// Clients besides the stack's own, for tests about scopes the test client lacks:
// an auditor, a citizen portal, an inspector allowed a covert procedure.
import { randomBytes } from 'node:crypto'
import { hashKey, type ClientRecord } from '../../src/access/client-registry.js'
import type { CallOptions, Reply, Stack } from './gateway-stack.js'

export interface ExtraClient {
  key: string
  record: ClientRecord
}

export function extraClient (id: string, name: string, scopes: string[],
  procedures: string[] = []): ExtraClient {
  const key = `test_${id}_${randomBytes(18).toString('base64url')}`
  return {
    key,
    record: {
      id,
      name,
      demo: false,
      keys: [{ id: 'k1', sha256: hashKey(key).toString('hex'), createdAt: '2026-12-01T00:00:00Z' }],
      scopes,
      procedures
    }
  }
}

/** Calls the stack as `client`, without purpose headers unless given in `headers`. */
export function callAs (stack: Stack, client: ExtraClient) {
  return (path: string, opts: CallOptions = {}): Promise<Reply> => stack.call(path, {
    purpose: false,
    ...opts,
    auth: false,
    headers: { authorization: `Bearer ${client.key}`, ...opts.headers }
  })
}

export const auditor = () => extraClient('auditor', 'Thanh tra (test)', ['audit'])
