/**
 * Reads for the handoff API and the dashboard: a rep's queue ordered by SLA urgency, a lead's assignment with its
 * routing trace, its SLA clocks with their timers, and the outbox (dead letters included).
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { explainRoute, type RouteTrace } from '../core/routing/index.ts'
import type { OutboxStatus } from '../db/schema.ts'

/**
 * A rep's open leads (owned, not yet accepted, rejected or recycled), most urgent first: breached, then running by
 * due instant, then paused, then leads without a clock.
 * @example await listQueue(ctx, workspaceId, 'ana_ruiz') // [{ lead_id, email, sla_status: 'running', due_at, … }]
 */
export async function listQueue(ctx: Pick<Ctx, 'db'>, workspaceId: number, repId: string) {
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
  }>`select l.id as lead_id, p.email, nullif(concat_ws(' ', p.first_name, p.last_name), '') as name,
        coalesce(a.name, a.domain) as company, l.stage, l.tier, asg.assigned_at,
        c.status as sla_status, c.due_at, c.warn_at, c.breached_at
      from lead l
      join person p on p.id = l.person_id
      left join account a on a.id = l.account_id
      left join assignment asg on asg.lead_id = l.id and asg.ended_at is null
      left join lateral (select status, due_at, warn_at, breached_at from sla_clock
        where lead_id = l.id order by id desc limit 1) c on true
      where l.workspace_id = ${workspaceId} and l.owner_rep_id = ${repId} and l.stage in ('MQL', 'AQL')
      order by case c.status when 'breached' then 0 when 'running' then 1 when 'paused' then 2 else 3 end,
        c.due_at nulls last, asg.assigned_at, l.id`.execute(ctx.db)
  return rows.rows
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

/** The lead's SLA clocks, newest first, with their timers. */
export async function listClocks(ctx: Pick<Ctx, 'db'>, leadId: number) {
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
  return clocks.map((c) => ({
    ...c,
    target_ms: Number(c.target_ms),
    timers: timers.filter((t) => t.clock_id === c.id).map(({ clock_id: _, ...t }) => t),
  }))
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
