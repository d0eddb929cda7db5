/**
 * Reads for the handoff API and the dashboard: a rep's queue ordered by SLA urgency, a lead's assignment with its
 * routing trace, its SLA clocks with their timers, and the outbox (dead letters included).
 */
import { sql } from 'kysely'
import { getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { explainRoute, type RouteTrace } from '../core/routing/index.ts'
import { measureClock } from '../core/sla/index.ts'
import type { OutboxStatus } from '../db/schema.ts'
import { fromStoredClock } from './clock-store.ts'
import { getHandoffPlan } from './handoff-plan.ts'

/**
 * A stored clock in business time as of `now`, in the calendar it counts in (the owner's): business ms used and left
 * (negative once past due), whether it is ticking, and when its calendar next opens or closes — what a countdown needs
 * to run on its own between reads.
 */
export type ClockNow = {
  /** The calendar's time zone: where the owner's business hours are. */
  time_zone: string
  as_of: string
  consumed_business_ms: number
  remaining_business_ms: number
  ticking: boolean
  calendar_open: boolean
  next_change_at: string | null
}

async function measureStored(
  ctx: Pick<Ctx, 'db'>,
  row: { agreement_version_id: number; started_at: Date; state: unknown },
  now: number,
): Promise<ClockNow> {
  const plan = getHandoffPlan(await getEngineForVersion(ctx, row.agreement_version_id), now)
  const clock = fromStoredClock(row.state)
  const calendar = plan.calendar(clock.calendarName, row.started_at.getTime(), now + 90 * 86_400_000)
  const m = measureClock(clock, now, calendar)
  return {
    time_zone: calendar.timeZone,
    as_of: new Date(now).toISOString(),
    consumed_business_ms: Math.round(m.consumedMs),
    remaining_business_ms: Math.round(m.remainingMs),
    ticking: m.ticking,
    calendar_open: m.calendarOpen,
    next_change_at: m.nextChangeAt === null ? null : new Date(m.nextChangeAt).toISOString(),
  }
}

/**
 * A rep's open leads (owned, not yet accepted, rejected or recycled), most urgent first: breached, then running by
 * due instant, then paused, then leads without a clock. Each lead with a clock carries it in business time as of
 * `now` (`ClockNow`, null fields without a clock) and, while paused, the pause's reason code.
 * @example await listQueue(ctx, workspaceId, 'ana_ruiz', now)
 * // [{ lead_id, email, sla_status: 'running', due_at, remaining_business_ms: 1_200_000, ticking: true, … }]
 */
export async function listQueue(ctx: Pick<Ctx, 'db'>, workspaceId: number, repId: string, now: number) {
  const rows = await sql<{
    lead_id: number
    email: string
    name: string | null
    company: string | null
    stage: string
    tier: string | null
    assigned_at: Date | null
    sla_status: string | null
    due_at: Date | null
    warn_at: Date | null
    breached_at: Date | null
    calendar: string | null
    target_ms: number | null
    pause_reason: string | null
    agreement_version_id: number | null
    started_at: Date | null
    state: unknown
  }>`select l.id as lead_id, p.email, nullif(concat_ws(' ', p.first_name, p.last_name), '') as name,
        coalesce(a.name, a.domain) as company, l.stage, l.tier, asg.assigned_at,
        c.status as sla_status, c.due_at, c.warn_at, c.breached_at, c.calendar, c.target_ms,
        case when c.status = 'paused' then (select e.reason_code from sla_clock_event e
          where e.clock_id = c.id and e.kind = 'paused' order by e.id desc limit 1) end as pause_reason,
        c.agreement_version_id, c.started_at, c.state
      from lead l
      join person p on p.id = l.person_id
      left join account a on a.id = l.account_id
      left join assignment asg on asg.lead_id = l.id and asg.ended_at is null
      left join lateral (select id, status, due_at, warn_at, breached_at, calendar, target_ms, agreement_version_id,
          started_at, state from sla_clock
        where lead_id = l.id order by id desc limit 1) c on true
      where l.workspace_id = ${workspaceId} and l.owner_rep_id = ${repId} and l.stage in ('MQL', 'AQL')
      order by case c.status when 'breached' then 0 when 'running' then 1 when 'paused' then 2 else 3 end,
        c.due_at nulls last, asg.assigned_at, l.id`.execute(ctx.db)
  const none: { [K in keyof ClockNow]: null } = {
    time_zone: null,
    as_of: null,
    consumed_business_ms: null,
    remaining_business_ms: null,
    ticking: null,
    calendar_open: null,
    next_change_at: null,
  }
  return Promise.all(
    rows.rows.map(async ({ agreement_version_id, started_at, state, ...row }) => ({
      ...row,
      target_ms: row.target_ms === null ? null : Number(row.target_ms),
      ...(agreement_version_id === null || started_at === null
        ? none
        : await measureStored(ctx, { agreement_version_id, started_at, state }, now)),
    })),
  )
}

/** The lead's assignments, newest first, each with its trace and the trace as sentences. */
export async function listAssignments(ctx: Pick<Ctx, 'db'>, leadId: number) {
  const rows = await ctx.db
    .selectFrom('assignment as s')
    .leftJoin('agreement_version as v', 'v.id', 's.agreement_version_id')
    .select([
      's.id',
      's.rep_id',
      's.rule',
      's.pool',
      's.via_backup',
      's.pool_version',
      's.reason',
      's.assigned_at',
      's.ended_at',
      's.trace',
      'v.hash as agreement_hash',
    ])
    .where('s.lead_id', '=', leadId)
    .orderBy('s.id', 'desc')
    .execute()
  return rows.map((r) => ({ ...r, explanation: explainRoute(r.trace as RouteTrace) }))
}

/**
 * The lead's SLA clocks, newest first, with their timers, their history (oldest first) and their business time as
 * of `now`.
 */
export async function listClocks(ctx: Pick<Ctx, 'db'>, leadId: number, now: number) {
  const clocks = await ctx.db
    .selectFrom('sla_clock')
    .select([
      'id',
      'assignment_id',
      'rep_id',
      'kind',
      'calendar',
      'agreement_version_id',
      'status',
      'late',
      'target_ms',
      'started_at',
      'due_at',
      'warn_at',
      'met_at',
      'breached_at',
      'cancelled_at',
      sql<string>`state->>'dueReason'`.as('due_reason'),
      'state',
    ])
    .where('lead_id', '=', leadId)
    .orderBy('id', 'desc')
    .execute()
  if (clocks.length === 0) return []
  const timers = await ctx.db
    .selectFrom('sla_timer')
    .select(['clock_id', 'key', 'due_at', 'fired_at', 'outcome'])
    .where(
      'clock_id',
      'in',
      clocks.map((c) => c.id),
    )
    .orderBy('due_at')
    .execute()
  const history = await ctx.db
    .selectFrom('sla_clock_event')
    .select(['clock_id', 'kind', 'at', 'actor', 'reason_code', 'note', 'reason', 'status', 'consumed_ms', 'due_at'])
    .where(
      'clock_id',
      'in',
      clocks.map((c) => c.id),
    )
    .orderBy('id')
    .execute()
  return Promise.all(
    clocks.map(async ({ state, ...c }) => ({
      ...c,
      target_ms: Number(c.target_ms),
      ...(await measureStored(ctx, { ...c, state }, now)),
      timers: timers.filter((t) => t.clock_id === c.id).map(({ clock_id: _, ...t }) => t),
      history: history.filter((h) => h.clock_id === c.id).map(({ clock_id: _, ...h }) => h),
    })),
  )
}

/** Outbox rows, newest first; `status=dead` is the dead-letter view. */
export async function listOutbox(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  filter: { status?: OutboxStatus; leadId?: number; endpointId?: number; limit?: number },
) {
  let q = ctx.db
    .selectFrom('outbox as o')
    .innerJoin('notification_endpoint as e', 'e.id', 'o.endpoint_id')
    .select([
      'o.id',
      'o.idempotency_id',
      'o.topic',
      'o.kind',
      'o.lead_id',
      'o.status',
      'o.attempts',
      'o.next_attempt_at',
      'o.last_error',
      'o.created_at',
      'o.delivered_at',
      'e.id as endpoint_id',
      'e.name as endpoint_name',
    ])
    .where('o.workspace_id', '=', workspaceId)
  if (filter.status) q = q.where('o.status', '=', filter.status)
  if (filter.leadId !== undefined) q = q.where('o.lead_id', '=', filter.leadId)
  if (filter.endpointId !== undefined) q = q.where('o.endpoint_id', '=', filter.endpointId)
  return q
    .orderBy('o.id', 'desc')
    .limit(filter.limit ?? 100)
    .execute()
}

/** Dispositions, newest first: what marketing reads to learn which leads sales will not work, and why. */
export async function listDispositions(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  filter: { leadId?: number; limit?: number },
) {
  let q = ctx.db
    .selectFrom('disposition')
    .select([
      'id',
      'lead_id',
      'outcome',
      'reason_code',
      'note',
      'by_actor',
      'rep_id',
      'at',
      'nurture_until',
      'source',
      'campaign',
    ])
    .where('workspace_id', '=', workspaceId)
  if (filter.leadId !== undefined) q = q.where('lead_id', '=', filter.leadId)
  return q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute()
}
