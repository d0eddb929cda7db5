/**
 * Time on My queue: instants in the rep's time zone (their calendar's, not the browser's), countdowns in business
 * time to the second, and the urgency of a lead from its SLA clock as of the reader's now.
 */
import { useEffect, useState } from 'react'
import type { AgreementDocument } from '../../types.ts'
import type { ClockNow, SlaStatus } from './queue-types.ts'

/** The reader's clock, re-read every `everyMs` so countdowns tick. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(id)
  }, [everyMs])
  return now
}

/** The rep's zone: their calendar, else their team's (as the server starts SLA clocks); null when unknown. */
export function repTimeZone(doc: AgreementDocument | undefined, repId: string): string | null {
  if (!doc) return null
  const rep = doc.reps.find((r) => r.id === repId)
  const calendar = rep?.calendar ?? (rep ? doc.teams[rep.team]?.calendar : undefined)
  return calendar ? (doc.calendars[calendar]?.time_zone ?? null) : null
}

export function calendarTimeZone(doc: AgreementDocument | undefined, calendar: string): string | null {
  return doc?.calendars[calendar]?.time_zone ?? null
}

function parts(ms: number, timeZone: string | undefined, withZone: boolean) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(withZone ? { timeZoneName: 'short' } : {}),
  })
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]))
  return p as Record<string, string>
}

/** 2026-11-23T15:05Z in America/New_York → "Mon 23 Nov, 10:05 EST" (the brief writes due instants the same way). */
export function formatInZone(iso: string | number, timeZone: string | null): string {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso)
  const p = parts(ms, timeZone ?? undefined, true)
  return `${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute} ${p.timeZoneName ?? ''}`.trim()
}

/** "10:05 EST" — for instants on the same day as the reader's now, in that zone. */
export function formatTimeInZone(iso: string | number, timeZone: string | null): string {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso)
  const p = parts(ms, timeZone ?? undefined, true)
  return `${p.hour}:${p.minute} ${p.timeZoneName ?? ''}`.trim()
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The server's instant now, read from a response: its `as_of` plus what the reader's clock says has passed since the
 * response arrived (`fetchedAt`, the reader's clock then). The reader's clock only measures elapsed time, so a
 * browser whose clock is off by minutes still counts down right.
 */
export function serverNow(asOf: string | null, fetchedAt: number, readerNow: number): number {
  return asOf === null ? readerNow : Date.parse(asOf) + Math.max(0, readerNow - fetchedAt)
}

export type BusinessCountdown = {
  /** Business ms left at `at` (negative: overdue by that much business time). */
  remainingMs: number
  /** True while business time is being used: the clock runs and the owner's calendar is open. */
  ticking: boolean
  /** When the calendar opens next, while it is closed (the countdown waits for it). */
  opensAt: number | null
}

/**
 * A clock's business time left at `at` (a server instant), from the server's measure at `as_of`: business time runs
 * only while the calendar is open, so the countdown moves from `as_of` until `next_change_at` if the calendar was
 * open, and from `next_change_at` on if it was closed. Past `next_change_at` the page refetches to learn the next one.
 * Null for a lead without a clock.
 */
export function businessCountdown(
  clock: ClockNow & { status: SlaStatus | null },
  at: number,
): BusinessCountdown | null {
  if (clock.remaining_business_ms === null || clock.as_of === null) return null
  const counting = clock.status === 'running' || clock.status === 'breached'
  const asOf = Date.parse(clock.as_of)
  const change = clock.next_change_at === null ? Number.POSITIVE_INFINITY : Date.parse(clock.next_change_at)
  const open = clock.calendar_open === true
  let used = 0
  if (counting) used = open ? Math.max(0, Math.min(at, change) - asOf) : Math.max(0, at - change)
  const ticking = counting && (open ? at < change : at >= change)
  return {
    remainingMs: clock.remaining_business_ms - used,
    ticking,
    opensAt: counting && !ticking && !open && Number.isFinite(change) ? change : null,
  }
}

/**
 * A business-time countdown to the second, in hours (business days are not 24 h): 3_725_000 → "1 h 02 min 05 s",
 * 65_000 → "1 min 05 s"; from 10 hours on, seconds are dropped ("27 h 10 min").
 */
export function formatBusinessCountdown(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h >= 10) return `${h} h ${pad(m)} min`
  if (h > 0) return `${h} h ${pad(m)} min ${pad(sec)} s`
  if (m > 0) return `${m} min ${pad(sec)} s`
  return `${sec} s`
}

/** How long until the page should refetch: when the earliest calendar change has passed, at most a minute. */
export function refetchDelay(clocks: readonly ClockNow[], fetchedAt: number, readerNow: number): number {
  let delay = 60_000
  for (const c of clocks) {
    if (c.next_change_at === null || c.as_of === null) continue
    const until = Date.parse(c.next_change_at) - serverNow(c.as_of, fetchedAt, readerNow) + 1000
    delay = Math.min(delay, Math.max(1000, until))
  }
  return delay
}

export type Urgency = 'overdue' | 'warned' | 'on_track' | 'paused' | 'stopped' | 'no_sla'

/**
 * How urgent a lead is right now. The server marks a clock breached only when its timer fires; the page does not
 * wait for that — a running clock whose due instant has passed is overdue on screen the same second.
 */
export function urgencyOf(
  clock: { status: SlaStatus | null; due_at: string | null; warn_at: string | null },
  now: number,
): Urgency {
  switch (clock.status) {
    case null:
      return 'no_sla'
    case 'paused':
      return 'paused'
    case 'met':
    case 'cancelled':
      return 'stopped'
    case 'breached':
      return 'overdue'
    case 'running':
      if (clock.due_at && Date.parse(clock.due_at) <= now) return 'overdue'
      if (clock.warn_at && Date.parse(clock.warn_at) <= now) return 'warned'
      return 'on_track'
  }
}

export const URGENCY_RANK: Record<Urgency, number> = {
  overdue: 0,
  warned: 1,
  on_track: 2,
  paused: 3,
  stopped: 4,
  no_sla: 5,
}

export const URGENCY_LABEL: Record<Urgency, string> = {
  overdue: 'Overdue',
  warned: 'Due soon',
  on_track: 'On track',
  paused: 'Paused',
  stopped: 'Clock stopped',
  no_sla: 'No SLA',
}

/**
 * The server's sentence for a stopped clock, split for display:
 * "met at 2026-11-23T09:28-05:00 after 23 business minutes, within 1 business hour (due …)"
 *   → { used: '23 business minutes', target: '1 business hour' }.
 * Null when the sentence has another shape (met late, met while paused): the page then shows the sentence itself.
 */
export function readMetReason(reason: string): { used: string; target: string } | null {
  const m = /^met at \S+ after (.+?), within (.+?) \(due /.exec(reason)
  return m ? { used: m[1]!, target: m[2]! } : null
}
