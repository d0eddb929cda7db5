// The load generator for ingestion benches, in its own thread so that sending does not run on the server's event
// loop (a real sender is another process). Plain JavaScript: Node 20 worker threads do not inherit the tsx loader.
import { parentPort, workerData } from 'node:worker_threads'

const { url, key, bodies, concurrency } = workerData
let next = 0
const t0 = performance.now()
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      })
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`)
      await res.arrayBuffer()
    }
  }),
)
parentPort.postMessage(performance.now() - t0)
