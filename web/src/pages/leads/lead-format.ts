/** How leads read on the Leads pages: names, elapsed time, and the tone of a stage or tier badge. */

type Tone = 'neutral' | 'accent' | 'good' | 'warn' | 'bad' | 'muted'

/** "Ana Ruiz", or the email when the person has no name yet. */
export function personName(p: { first_name: string | null; last_name: string | null; email: string }): string {
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ').trim()
  return name || p.email
}

/** 7_555_492_054 → "87 d 10 h"; 104_834_695 → "1 d 5 h"; 720_000 → "12 min". */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return 'under a minute'
  const min = Math.floor(ms / 60_000)
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 24) return min % 60 === 0 || h >= 10 ? `${h} h` : `${h} h ${min % 60} min`
  const d = Math.floor(h / 24)
  return h % 24 === 0 || d >= 30 ? `${d.toLocaleString('en-US')} d` : `${d} d ${h % 24} h`
}

/** "3 d ago"; the reader's clock is the reference, as the page is read now. */
export function formatAgo(at: string | number | null, now: number): string {
  if (at === null) return '—'
  const t = typeof at === 'number' ? at : Date.parse(at)
  const ms = now - t
  if (ms < 60_000) return 'just now'
  return `${formatElapsed(ms)} ago`
}

export function tierTone(tier: string | null): Tone {
  if (tier === 'hot') return 'bad'
  if (tier === 'warm') return 'warn'
  if (tier === null) return 'muted'
  return 'accent'
}

export function stageTone(stage: string): Tone {
  switch (stage) {
    case 'MQL':
    case 'AQL':
      return 'accent'
    case 'SAL':
    case 'SQL':
    case 'Opportunity':
    case 'Won':
      return 'good'
    case 'Recycled':
      return 'warn'
    case 'Lost':
    case 'Disqualified':
      return 'muted'
    default:
      return 'neutral'
  }
}

/**
 * Splits an explanation line into its label and points, so points align in a column:
 * "chat_with_sales +18.8 (at its cap)" → { label: 'chat_with_sales', points: '+18.8', note: 'at its cap' }.
 */
export function splitPoints(line: string): { label: string; points: string | null; note: string | null } {
  const m = /^(.*) ([+-][\d,.]+)(?: \((.+)\))?$/.exec(line)
  if (!m) return { label: line, points: null, note: null }
  return { label: m[1]!, points: m[2]!, note: m[3] ?? null }
}

/** 20.207024 → "20.2"; 70 → "70". */
export function formatScore(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 })
}
