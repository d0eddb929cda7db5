/**
 * Progress for long commands: a redrawn bar on a terminal, plain lines (at most every 2 s) otherwise, so CI logs
 * and pipes stay readable.
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now()
  let lastLine = 0
  return {
    update(done: number, total: number, detail = '') {
      const fraction = total > 0 ? Math.min(1, done / total) : 0
      const pct = (fraction * 100).toFixed(0).padStart(3)
      if (stream.isTTY) {
        const width = 30
        const filled = Math.round(fraction * width)
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${detail}   `)
      } else {
        const now = performance.now()
        if (now - lastLine < 2000 && fraction < 1) return
        lastLine = now
        stream.write(`${label}: ${pct}% ${detail}\n`)
      }
    },
    done(summary: string) {
      const secs = ((performance.now() - started) / 1000).toFixed(1)
      stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${label}: ${summary} in ${secs} s\n`)
    },
  }
}
