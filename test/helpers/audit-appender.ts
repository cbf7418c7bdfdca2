// A child process for the durability test: appends without end from several
// concurrent loops and prints each resolved append's seq on its own line, until
// it is killed. The store and key come from the environment.
import { auditEvent, openStore, type StoreKind } from './audit-stores.js'

const WORKERS = 20

const store = openStore({
  kind: process.env.AUDIT_KIND as StoreKind,
  location: process.env.AUDIT_TARGET!
}, { signingKey: process.env.AUDIT_SIGNING_KEY!, checkpointEvery: 100 })

async function loop (): Promise<never> {
  for (;;) {
    const record = await store.append(auditEvent())
    process.stdout.write(`${record.seq}\n`)
  }
}

await Promise.all(Array.from({ length: WORKERS }, loop))
