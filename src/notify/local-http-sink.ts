// Test support: an HTTP server on 127.0.0.1 (random port) that records every request and answers with whatever the
// test's handler decides. Used by the channel and LLM tests; never by production code.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type SinkRequest = {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}
export type SinkReply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }

export type LocalHttpSink = {
  readonly url: string
  readonly requests: SinkRequest[]
  close(): Promise<void>
}

/** @example const sink = await startLocalHttpSink(() => ({ status: 200, body: 'ok' })); …; await sink.close() */
export async function startLocalHttpSink(handle: (req: SinkRequest) => SinkReply): Promise<LocalHttpSink> {
  const requests: SinkRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      const reply = handle(request)
      const send = () => {
        if (res.destroyed) return
        res.writeHead(reply.status, reply.headers ?? { 'content-type': 'text/plain' })
        res.end(reply.body ?? '')
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref()
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A loopback port with nothing listening: bind, note the port, close. */
export async function findClosedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
