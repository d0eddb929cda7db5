// The SLA clock as data: one row per handoff (sla_clock table), changed only by the pure transitions in
// transition-clock.ts and apply-timer-event.ts. Instants are UTC epoch ms; durations are business ms in the
// owner's calendar.

/**
 * running   — counting business time toward dueAt.
 * paused    — not counting; dueAt and warnAt are null until resumed.
 * breached  — dueAt passed without a first touch; escalations keep firing until the first touch or a cancel.
 * met       — first touch recorded. `late` tells "met within SLA" (false) from "touched late" (true).
 * cancelled — stopped without a touch (lead disqualified, recycled, reassigned); breachedAt says if it breached first.
 *
 * Metrics: met within SLA = met && !late; touched late = met && late; breached untouched = breached, or
 * cancelled with breachedAt set.
 */
export type SlaClockState = 'running' | 'paused' | 'breached' | 'met' | 'cancelled'

export type SlaTimerKey = 'warn' | 'breach' | `escalation:${number}`

export type SlaClock = {
  readonly state: SlaClockState
  /** The calendar the business time is counted in (the owner's). */
  readonly calendarName: string
  /** The SLA target in business ms. */
  readonly targetMs: number
  /** Warn when this fraction of the target is used (0 < f < 1), or null for no warning. */
  readonly warnAtFraction: number | null
  readonly startedAt: number
  /** Business ms used before `runningSince` (or in total once paused, met or cancelled). */
  readonly consumedMs: number
  /** Start of the current running stretch: the start, the last resume, or the last calendar recompute. */
  readonly runningSince: number | null
  readonly pausedAt: number | null
  /** Null while paused. Infinity when the calendar never opens long enough (never due). Kept once met. */
  readonly dueAt: number | null
  readonly warnAt: number | null
  readonly breachedAt: number | null
  readonly metAt: number | null
  /** True once met after dueAt. A touch at exactly dueAt is in time. */
  readonly late: boolean
  readonly cancelledAt: number | null
  /** Timer events already applied, so a timer fires once however often the poller looks. */
  readonly firedTimers: readonly SlaTimerKey[]
  /** Why dueAt is what it is, for the rep and the audit ('due 2026-11-23T09:30-05:00: 1 business hour from …'). */
  readonly dueReason: string
}

/** Result of every transition: the new clock, whether anything changed, and why (for the audit log). */
export type SlaClockChange = { readonly clock: SlaClock; readonly changed: boolean; readonly reason: string }

export type EscalationAction =
  | { readonly kind: 'notify'; readonly who: 'manager' | 'marketing' | 'owner' }
  /** `to` is 'backup_pool' (the owner's backup pool) or the name of a routing pool. */
  | { readonly kind: 'reassign'; readonly to: string }

/** Fires `afterBreachMs` of business time after the breach (0 = at the breach). Keyed by its index in the list. */
export type EscalationStep = { readonly afterBreachMs: number; readonly action: EscalationAction }

export type SlaTimerEvent =
  | { readonly kind: 'warn'; readonly key: 'warn'; readonly at: number; readonly reason: string }
  | { readonly kind: 'breach'; readonly key: 'breach'; readonly at: number; readonly reason: string }
  | {
      readonly kind: 'escalate'
      readonly key: `escalation:${number}`
      readonly step: number
      readonly action: EscalationAction
      readonly at: number
      readonly reason: string
    }

/** What a timer poller must do now (`due`, in order) and when to look again (`next`, or null for never). */
export type SlaTimerDecision = {
  readonly due: readonly SlaTimerEvent[]
  readonly next: SlaTimerEvent | null
  readonly reason: string
}
