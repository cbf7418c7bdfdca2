import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/**
 * Node's server.close() only ends keep-alive sockets that have finished a
 * response; one that connected but has not sent a request yet counts as
 * busy and holds close() until a server timeout (over a minute). undici
 * opens such a socket right after a request is aborted, so a sandbox test
 * that cut a dripping answer would wait for it. This tracks the sockets
 * with no request in progress so that close can end them at once.
 */
export function trackIdleSockets (server: Server): () => void {
  const busy = new Map<Socket, number>()
  const open = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => { open.delete(socket); busy.delete(socket) })
  })
  server.on('request', (request, response) => {
    const socket = request.socket
    busy.set(socket, (busy.get(socket) ?? 0) + 1)
    response.once('close', () => {
      const left = (busy.get(socket) ?? 1) - 1
      if (left > 0) busy.set(socket, left)
      else busy.delete(socket)
    })
  })
  return function endIdleSockets () {
    for (const socket of open) {
      if (!busy.has(socket)) socket.destroy()
    }
  }
}
