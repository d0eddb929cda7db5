/**
 * Storing SLA clocks, their timers and their history. The clock row's `state` is the core's `SlaClock` (JSON has no
 * Infinity, so a never-due clock stores `"Infinity"`); its columns mirror the state for queries. Timer rows are
 * wake-ups derived from the clock: after every change the unfired ones are re-planned, so a recomputed, paused or met
 * clock never leaves a stale wake-up behind. Every change appends `sla_clock_event` rows: who, when, why.
 *
 * What must stay true: callers hold the clock row's lock (FOR UPDATE) while they change it and its timers, and change
 * a clock only through `saveClock` (or `recordClockEvents` right after inserting one), so no change goes unrecorded.
 */
import { sql } from 'kysely'
import { addBusinessTime, type Calendar } from '../core/calendar/index.ts'
import { type EscalationStep, measureClock, type SlaClock, type SlaTimerKey } from '../core/sla/index.ts'
import type { SlaClockEventKind } from '../db/schema.ts'
import type { Tx } from '../db/transaction.ts'

type Stored = Record<string, unknown>

/** JSON-safe form of a clock (Infinity → "Infinity"). */
export function toStoredClock(clock: SlaClock): Stored {
  const out: Stored = { ...clock }
  for (const k of ['dueAt', 'warnAt'] as const) if (clock[k] === Number.POSITIVE_INFINITY) out[k] = 'Infinity'
  return out
}

export function fromStoredClock(stored: unknown): SlaClock {
  const s = { ...(stored as Stored) }
  for (const k of ['dueAt', 'warnAt']) if (s[k] === 'Infinity') s[k] = Number.POSITIVE_INFINITY
  return s as unknown as SlaClock
}

const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString())

/** The columns mirroring a clock's state. */
export function clockColumns(clock: SlaClock) {
  return {
    status: clock.state,
    late: clock.late,
    calendar: clock.calendarName,
    due_at: iso(clock.dueAt),
    warn_at: iso(clock.warnAt),
    met_at: iso(clock.metAt),
    breached_at: iso(clock.breachedAt),
    cancelled_at: iso(clock.cancelledAt),
    state: JSON.stringify(toStoredClock(clock)),
  }
}

/**
 * Every timer of a clock that has not fired yet, with its instant: the warning, the breach and each escalation step
 * (business time after the breach). Mirrors `decideTimers` without a `now`, so the poller can be woken at each.
 * @example planTimers(clock, steps, calendar) // [{ key: 'warn', at }, { key: 'breach', at }, { key: 'escalation:0', at }]
 */
export function planTimers(
  clock: SlaClock,
  steps: readonly EscalationStep[],
  calendar: Calendar,
): { key: SlaTimerKey; at: number }[] {
  if (clock.state !== 'running' && clock.state !== 'breached') return []
  const fired = new Set(clock.firedTimers)
  const out: { key: SlaTimerKey; at: number }[] = []
  const dueAt = clock.dueAt ?? Number.POSITIVE_INFINITY
  if (clock.state === 'running') {
    if (clock.warnAt !== null && !fired.has('warn') && clock.warnAt < dueAt && Number.isFinite(clock.warnAt))
      out.push({ key: 'warn', at: clock.warnAt })
    if (Number.isFinite(dueAt) && !fired.has('breach')) out.push({ key: 'breach', at: dueAt })
  }
  const breachAt = clock.breachedAt ?? dueAt
  if (Number.isFinite(breachAt)) {
    steps.forEach((step, index) => {
      const key = `escalation:${index}` as const
      if (fired.has(key)) return
      const at = addBusinessTime(breachAt, step.afterBreachMs, calendar)
      if (Number.isFinite(at)) out.push({ key, at })
    })
  }
  return out
}

/**
 * Re-plans a clock's timer rows: fired keys are marked fired (with `outcome`), unfired ones get their current
 * instant, and wake-ups the clock no longer plans (met, cancelled, paused, overtaken warning) are marked obsolete.
 */
export async function syncTimers(
  tx: Tx,
  input: {
    workspaceId: number
    clockId: number
    clock: SlaClock
    steps: readonly EscalationStep[]
    calendar: Calendar
    now: number
    outcomes?: ReadonlyMap<string, string>
  },
): Promise<void> {
  const planned = planTimers(input.clock, input.steps, input.calendar)
  const nowIso = new Date(input.now).toISOString()
  const fired = [...input.clock.firedTimers]
  if (fired.length > 0) {
    const rows = fired.map((key) => ({ key, outcome: input.outcomes?.get(key) ?? 'fired' }))
    await sql`update sla_timer t set fired_at = ${nowIso}, outcome = r.outcome
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(key text, outcome text)
        where t.clock_id = ${input.clockId} and t.key = r.key and t.fired_at is null`.execute(tx)
  }
  const keep = planned.map((p) => p.key)
  await sql`update sla_timer set fired_at = ${nowIso}, outcome = ${`obsolete: the clock is ${input.clock.state}`}
      where clock_id = ${input.clockId} and fired_at is null and not (key = any(${keep}::text[]))`.execute(tx)
  if (planned.length > 0) {
    const rows = planned.map((p) => ({ key: p.key, due_at: new Date(p.at).toISOString() }))
    await sql`insert into sla_timer (workspace_id, clock_id, key, due_at)
        select ${input.workspaceId}, ${input.clockId}, r.key, r.due_at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(key text, due_at timestamptz)
        on conflict (clock_id, key) do update set due_at = excluded.due_at, fired_at = null, outcome = null
        where sla_timer.due_at is distinct from excluded.due_at or sla_timer.fired_at is not null`.execute(tx)
  }
}

/** One history entry of a clock; `actor` defaults to `system` (routing, the timer poller, the re-planner). */
export type ClockEvent = {
  kind: SlaClockEventKind
  at: number
  reason: string
  actor?: string
  reasonCode?: string | null
  note?: string | null
}

type ClockWrite = {
  workspaceId: number
  clockId: number
  clock: SlaClock
  calendar: Calendar
  /** The Agreement version the clock counts under after this change (re-planning re-stamps it). */
  agreementVersionId: number
  now: number
  events: readonly ClockEvent[]
}

/** Appends history rows for a clock, each with the clock's status, business time used and due instant. */
export async function recordClockEvents(tx: Tx, input: ClockWrite): Promise<void> {
  if (input.events.length === 0) return
  const { clock } = input
  await tx
    .insertInto('sla_clock_event')
    .values(
      input.events.map((e) => ({
        workspace_id: input.workspaceId,
        clock_id: input.clockId,
        kind: e.kind,
        at: new Date(e.at).toISOString(),
        actor: e.actor ?? 'system',
        reason_code: e.reasonCode ?? null,
        note: e.note ?? null,
        reason: e.reason,
        status: clock.state,
        consumed_ms: Math.round(measureClock(clock, e.at, input.calendar).consumedMs),
        due_at: iso(clock.dueAt),
        agreement_version_id: input.agreementVersionId,
        recorded_at: new Date(input.now).toISOString(),
      })),
    )
    .execute()
}

/**
 * Writes a changed clock in the caller's transaction: its row, its timers re-planned, and its history.
 * @example await saveClock(tx, { workspaceId, clockId, clock: change.clock, steps, calendar, agreementVersionId, now,
 *   events: [{ kind: 'paused', at: now, actor: 'rep:ana_ruiz', reasonCode: 'waiting_on_lead', reason: change.reason }] })
 */
export async function saveClock(
  tx: Tx,
  input: ClockWrite & { steps: readonly EscalationStep[]; outcomes?: ReadonlyMap<string, string> },
): Promise<void> {
  await tx
    .updateTable('sla_clock')
    .set({
      ...clockColumns(input.clock),
      agreement_version_id: input.agreementVersionId,
      updated_at: new Date(input.now).toISOString(),
    })
    .where('id', '=', input.clockId)
    .execute()
  await syncTimers(tx, {
    workspaceId: input.workspaceId,
    clockId: input.clockId,
    clock: input.clock,
    steps: input.steps,
    calendar: input.calendar,
    now: input.now,
    ...(input.outcomes ? { outcomes: input.outcomes } : {}),
  })
  await recordClockEvents(tx, input)
}
