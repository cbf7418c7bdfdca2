// The three register simulators as one process, for teams that run the
// gateway elsewhere and want a sandbox to point it at.
import closeWithGrace from 'close-with-grace'
import { pino } from 'pino'
import { readSimulatorEnv } from './simulators/env.js'
import { startSimulators } from './simulators/start.js'
import { rootDir } from './paths.js'
const SHUTDOWN_GRACE_MS = 10_000

async function main (): Promise<void> {
  const settings = readSimulatorEnv(process.env, rootDir)
  const logger = pino({ level: settings.logLevel })
  const running = await startSimulators({ ...settings, logger })
  for (const [register, url] of Object.entries(running.urls)) {
    process.stdout.write(`${register} simulator listening at ${url}\n`)
  }
  // A gateway elsewhere needs this key in VNEID_PUBLIC_KEYS; without
  // VNEID_SIGNING_KEY it is new at every start.
  const { keyId } = running.documentSigning
  process.stdout.write(`vneid documents signed with key ${keyId}: ` +
    `${running.urls.vneid}/keys/document-signing\n`)
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger }, async ({ err }) => {
    if (err !== undefined) logger.error({ err }, 'closing after an error')
    await running.close()
  })
}

main().catch((err: Error) => {
  process.stderr.write(`simulators did not start: ${err.message}\n`)
  process.exitCode = 1
})
