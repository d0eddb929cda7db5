// The load generator for ingestion benches, in its own thread so that sending does not run on the server's event
// loop (a real sender is another process). Plain JavaScript: Node 20 worker threads do not inherit the tsx loader.
// Says ready once it holds the bodies and starts at the parent's go (copying them is not sending). Reports the
// elapsed ms and this thread's own CPU ms, so the bench can tell the server's CPU from the sender's.
import { readFileSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'

/** CPU ms of this thread (utime + stime, fields 14 and 15 of /proc/thread-self/stat, in ticks of 10 ms). */
function threadCpuMs() {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const { url, key, bodies, concurrency } = workerData
// Ready with the bodies; the parent starts its clock and says go.
parentPort.postMessage('ready')
await new Promise((resolve) => parentPort.once('message', resolve))
let next = 0
const cpu0 = threadCpuMs()
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
parentPort.postMessage({ ms: performance.now() - t0, cpuMs: threadCpuMs() - cpu0 })
