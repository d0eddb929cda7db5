import { CalendarSpecError } from './calendar-spec-error.ts'
import type { TimeWindow } from './calendar-types.ts'

const WINDOW = /^\s*(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})\s*(\+\s*1)?\s*$/

/** Reads a window or explains, in one sentence, why it cannot. */
export function readWindow(text: string): TimeWindow | { readonly error: string } {
  const m = WINDOW.exec(text)
  if (!m) return { error: `"${text}" is not a window; write "09:00-17:00", or "22:00-06:00+1" for one ending next day` }
  const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number]
  const nextDay = m[5] !== undefined
  if (sh > 23 || sm > 59) return { error: `"${text}": start ${m[1]}:${m[2]} is not a time of day` }
  if (eh > 24 || em > 59 || (eh === 24 && em !== 0)) return { error: `"${text}": end ${m[3]}:${m[4]} is not a time` }
  const start = sh * 60 + sm
  const endOfDay = eh * 60 + em
  if (nextDay) {
    if (endOfDay > start) {
      return { error: `"${text}": a window ending next day at ${m[3]}:${m[4]} would last more than 24 hours` }
    }
    return { start, end: endOfDay + 1440 }
  }
  if (endOfDay <= start) {
    return {
      error: `"${text}": end ${m[3]}:${m[4]} is not after start ${m[1]}:${m[2]}; write "${m[1]}:${m[2]}-${m[3]}:${m[4]}+1" for a window that ends the next day`,
    }
  }
  return { start, end: endOfDay }
}

/**
 * Parses a working window written as text. Overnight windows carry an explicit "+1".
 * @example parseWindow('22:00-06:00+1') // { start: 1320, end: 1800 }
 * @throws CalendarSpecError (path 'window') when the text is not a valid window.
 */
export function parseWindow(text: string): TimeWindow {
  const read = readWindow(text)
  if ('error' in read) throw new CalendarSpecError([{ path: 'window', message: read.error }])
  return read
}

/** The text form parseWindow reads back: { start: 1320, end: 1800 } → '22:00-06:00+1'. */
export function formatWindow(window: TimeWindow): string {
  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  return window.end > 1440
    ? `${hhmm(window.start)}-${hhmm(window.end - 1440)}+1`
    : `${hhmm(window.start)}-${hhmm(window.end)}`
}
