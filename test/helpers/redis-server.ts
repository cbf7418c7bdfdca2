// A redis-server of a test's own, on a free port, that the test may stop, freeze
// and restart on the same port to play an outage. It dies with the test.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'

const READY_TIMEOUT_MS = 5000
const POLL_MS = 25

export interface RedisServer {
  port: number
  url: string
  /** Starts (again) on the same port and waits until it answers PING. */
  start: () => Promise<void>
  /** Kills the server (SIGKILL, as in a crash) and waits for it to exit. */
  stop: () => Promise<void>
  /** Freezes it (SIGSTOP): sockets stay open but nothing answers. */
  pause: () => void
  resume: () => void
}

/** A free port on 127.0.0.1, chosen by the kernel. */
export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/** A server for this test; `running: false` gives the port without starting it. */
export async function startRedisServer (t: Test,
  opts: { running?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      if (child !== undefined) throw new Error('redis-server is already running')
      child = spawnServer(port)
      await waitForPong(port, child)
    },
    stop: async () => {
      if (child === undefined) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
      child = undefined
    },
    pause: () => { child?.kill('SIGSTOP') },
    resume: () => { child?.kill('SIGCONT') }
  }
  t.teardown(() => server.stop())
  if (opts.running !== false) await server.start()
  return server
}

function spawnServer (port: number): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no']
  return spawn('redis-server', args, { stdio: 'ignore' })
}

async function waitForPong (port: number, child: ChildProcess): Promise<void> {
  const until = performance.now() + READY_TIMEOUT_MS
  while (performance.now() < until) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${child.exitCode}`)
    if (await pong(port)) return
    await sleep(POLL_MS)
  }
  throw new Error(`redis-server on port ${port} did not answer PING`)
}

async function pong (port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1')
  socket.setTimeout(POLL_MS * 4, () => socket.destroy(new Error('no answer')))
  try {
    await once(socket, 'connect')
    socket.write('PING\r\n')
    const [data] = await once(socket, 'data') as [Buffer]
    return data.toString().startsWith('+PONG')
  } catch {
    return false
  } finally {
    socket.destroy()
  }
}
