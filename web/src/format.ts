/** Formatting for people: durations as written in the Agreement, dates in the reader's locale. */

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
]

/** 1_209_600_000 → "14d", 5_400_000 → "1h30m" (days at most, as the Agreement is usually written). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0'
  let rest = ms
  let out = ''
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size)
    if (n > 0) {
      out += `${n}${unit}`
      rest -= n * size
    }
  }
  return out || `${ms}ms`
}

/** "4 business hours", "1h30m of business time" */
export function formatBusiness(ms: number): string {
  if (ms % 3_600_000 === 0) {
    const h = ms / 3_600_000
    return `${h} business hour${h === 1 ? '' : 's'}`
  }
  return `${formatDuration(ms)} business time`
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`
}

export function formatMoney(n: number): string {
  return n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US')
}

export function formatDate(iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)
  return d.toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    ...(iso.length === 10 ? { timeZone: 'UTC' } : {}),
  })
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12)
}

export function humanize(id: string): string {
  const s = id.replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}
