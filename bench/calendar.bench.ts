// Business-time throughput: addBusinessTime / businessTimeBetween calls per second for typical SLA durations
// (1–4 business hours) from random instants over one year, warm (chunks memoised) and cold (a fresh calendar
// per 1000 calls), against a naive peer that walks local days with Temporal on every call (what a library
// without a precomputed timeline does). Run: npx tsx bench/calendar.bench.ts

import { Temporal } from 'temporal-polyfill'
import {
  addBusinessTime,
  buildCalendar,
  businessTimeBetween,
  type Calendar,
  type CalendarSpec,
  seedHolidays,
} from '../src/core/calendar/index.ts'

const HOUR = 3_600_000
const YEAR_START = Date.parse('2026-01-01T00:00:00Z')
const YEAR_MS = 365 * 86_400_000

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

function specFor(name: string, timeZone: string, country: string, state?: string): CalendarSpec {
  const day = ['09:00-12:30', '13:30-17:30']
  return {
    name,
    timeZone,
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: seedHolidays(country, state, [2026, 2027]),
  }
}

const specs = [
  specFor('new_york', 'America/New_York', 'US'),
  specFor('berlin', 'Europe/Berlin', 'DE', 'BE'),
  specFor('sydney', 'Australia/Sydney', 'AU', 'NSW'),
  specFor('kolkata', 'Asia/Kolkata', 'IN'),
]

function inputs(n: number, seed: number): { starts: Float64Array; durations: Float64Array } {
  const random = lcg(seed)
  const starts = new Float64Array(n)
  const durations = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    starts[i] = YEAR_START + Math.floor(random() * YEAR_MS)
    durations[i] = HOUR + Math.floor(random() * 3 * HOUR)
  }
  return { starts, durations }
}

function perSecond(calls: number, run: () => number): { rate: number; checksum: number } {
  const t0 = performance.now()
  const checksum = run()
  const seconds = (performance.now() - t0) / 1000
  return { rate: calls / seconds, checksum }
}

// The peer: every call walks local dates from the start, converting each window with Temporal.
function naiveAdd(startMs: number, durationMs: number, spec: CalendarSpec, holidays: ReadonlySet<string>): number {
  const tz = spec.timeZone
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  let date = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(tz).toPlainDate().subtract({ days: 1 })
  let remaining = durationMs
  for (;;) {
    const windows = holidays.has(date.toString()) ? [] : (spec.weekly[names[date.dayOfWeek - 1]!] ?? [])
    for (const text of windows) {
      const [from, to] = (text as string).split('-') as [string, string]
      const open = date.toPlainDateTime(Temporal.PlainTime.from(from)).toZonedDateTime(tz).epochMilliseconds
      const close = date.toPlainDateTime(Temporal.PlainTime.from(to)).toZonedDateTime(tz).epochMilliseconds
      const begin = Math.max(open, startMs)
      if (close <= begin) continue
      if (close - begin >= remaining) return begin + remaining
      remaining -= close - begin
    }
    date = date.add({ days: 1 })
  }
}

const N = 1_000_000
const { starts, durations } = inputs(N, 42)
console.log(
  `calendar bench: ${N.toLocaleString('en')} calls per figure, durations 1–4 business hours, starts over 2026`,
)
for (const spec of specs) {
  const calendar: Calendar = buildCalendar(spec)
  const warmup = perSecond(N, () => {
    let sum = 0
    for (let i = 0; i < N; i++) sum += addBusinessTime(starts[i]!, durations[i]!, calendar)
    return sum
  })
  const add = perSecond(N, () => {
    let sum = 0
    for (let i = 0; i < N; i++) sum += addBusinessTime(starts[i]!, durations[i]!, calendar)
    return sum
  })
  const between = perSecond(N, () => {
    let sum = 0
    for (let i = 0; i < N; i++) sum += businessTimeBetween(starts[i]!, starts[i]! + 3 * durations[i]!, calendar)
    return sum
  })
  const coldCalls = 20_000
  const cold = perSecond(coldCalls, () => {
    let sum = 0
    let fresh = calendar
    for (let i = 0; i < coldCalls; i++) {
      if (i % 1000 === 0) fresh = buildCalendar(spec)
      sum += addBusinessTime(starts[i]!, durations[i]!, fresh)
    }
    return sum
  })
  const holidays = new Set(calendar.holidays.keys())
  const naiveCalls = 5_000
  const naive = perSecond(naiveCalls, () => {
    let sum = 0
    for (let i = 0; i < naiveCalls; i++) sum += naiveAdd(starts[i]!, durations[i]!, spec, holidays)
    return sum
  })
  let agree = 0
  for (let i = 0; i < naiveCalls; i++) {
    if (naiveAdd(starts[i]!, durations[i]!, spec, holidays) === addBusinessTime(starts[i]!, durations[i]!, calendar))
      agree++
  }
  const k = (x: number) => `${Math.round(x / 1000).toLocaleString('en')}k/s`
  console.log(
    `${spec.name.padEnd(9)} add ${k(add.rate)} (first pass ${k(warmup.rate)}, cold ${k(cold.rate)})  between ${k(between.rate)}  ` +
      `naive Temporal peer ${k(naive.rate)}  ratio ${(add.rate / naive.rate).toFixed(0)}×  peer agrees ${agree}/${naiveCalls}`,
  )
}
