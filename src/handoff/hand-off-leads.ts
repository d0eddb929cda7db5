/**
 * The handoff, inside the transaction that qualified the leads: route each ready lead (assignment + routing trace),
 * start its SLA clock with the tier's target in the owner's calendar (stamped with calendar and Agreement version)
 * and write its timers, build the brief, and write the outbox rows for the owner's endpoints. All of it commits
 * with the events that caused it, or not at all.
 *
 * What must stay true: leads are handed off in id order (pool rows are then locked in one global order per
 * transaction), and a lead with an open assignment is never routed again by a repeated `ready`.
 */
import { sql } from 'kysely'
import type { ActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { type LeadState, scoreAt } from '../core/engine/index.ts'
import type { RoutingInput } from '../core/routing/index.ts'
import { startClock } from '../core/sla/index.ts'
import type { Tx } from '../db/transaction.ts'
import { accountFacts, type Handoff, personFacts } from '../leads/qualify-events.ts'
import { storedLeadState } from '../leads/stored-state.ts'
import { clockColumns, recordClockEvents, syncTimers } from './clock-store.ts'
import { enqueueNotifications } from './enqueue-notifications.ts'
import { findOwnerRepId, getHandoffPlan, type HandoffPlan } from './handoff-plan.ts'
import { loadLeadBrief } from './lead-brief.ts'
import { routeLead } from './route-lead.ts'

export type HandoffOutcome = {
  leadId: number
  repId: string | null
  assignmentId: number
  clockId: number | null
  dueAt: number | null
  notifications: number
}

type LeadRow = {
  id: number
  state: LeadState
  tier: string | null
  person: Record<string, unknown>
  account: Record<string, unknown> | null
}

/** Routing reads the same fields as stage conditions, plus the tier. */
export async function loadRoutingInput(
  tx: Tx,
  plan: HandoffPlan,
  active: Pick<ActiveEngine, 'engine'>,
  leadId: number,
  now: number,
): Promise<{ input: RoutingInput; state: LeadState; tier: string | null }> {
  const r = await sql<LeadRow>`select l.id, ${storedLeadState('l')} as state, l.tier,
        to_jsonb(p.*) as person, case when a.id is null then null else to_jsonb(a.*) end as account
      from lead l join person p on p.id = l.person_id left join account a on a.id = l.account_id
      where l.id = ${leadId}`.execute(tx)
  const row = r.rows[0]!
  const p = row.person as {
    email: string
    title: string | null
    country: string | null
    attributes: Record<string, unknown>
  }
  const a = row.account as Parameters<typeof accountFacts>[0] | null
  const score = scoreAt(active.engine, row.state, now)
  const fields = {
    person: { ...personFacts(p), ...(row.state.persona ? { persona: row.state.persona } : {}) },
    account: a ? accountFacts({ ...a, technologies: a.technologies ?? [], attributes: a.attributes ?? {} }) : null,
    lead: row.state.lead,
    fit: row.state.fit.score,
    intent: score.intent,
    stage: row.state.stage,
    signals: score.signals,
    tier: row.tier,
  }
  return {
    input: { accountOwnerId: findOwnerRepId(plan, a?.owner), accountDomain: a?.domain ?? null, fields },
    state: row.state,
    tier: row.tier,
  }
}

/**
 * Hands off the `ready` leads of a qualification result. Returns what was done per lead.
 * @example await handOffLeads(tx, ctx, workspaceId, active, result.handoffs, ctx.clock())
 */
export async function handOffLeads(
  tx: Tx,
  ctx: Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  active: ActiveEngine,
  handoffs: readonly Handoff[],
  now: number,
): Promise<HandoffOutcome[]> {
  const ready = handoffs.filter((h) => h.decision.kind === 'ready').sort((a, b) => a.leadId - b.leadId)
  if (ready.length === 0) return []
  const plan = getHandoffPlan(active.engine, now)
  const open = await tx
    .selectFrom('assignment')
    .select('lead_id')
    .where(
      'lead_id',
      'in',
      ready.map((h) => h.leadId),
    )
    .where('ended_at', 'is', null)
    .where('rep_id', 'is not', null)
    .execute()
  const assigned = new Set(open.map((o) => o.lead_id))
  const out: HandoffOutcome[] = []
  for (const h of ready) {
    if (assigned.has(h.leadId)) continue
    out.push(await handOffLead(tx, ctx, workspaceId, plan, active, h.leadId, now))
  }
  return out
}

async function handOffLead(
  tx: Tx,
  ctx: Partial<Pick<Ctx, 'config'>>,
  workspaceId: number,
  plan: HandoffPlan,
  active: ActiveEngine,
  leadId: number,
  now: number,
): Promise<HandoffOutcome> {
  const { input, state } = await loadRoutingInput(tx, plan, active, leadId, now)
  const routed = await routeLead(tx, { workspaceId, plan, leadId, input, now, reason: 'routed' })
  const repId = routed.decision.kind === 'assigned' ? routed.decision.repId : null
  let clockId: number | null = null
  let dueAt: number | null = null
  const sla = state.tier?.sla ?? null
  if (repId && sla) {
    const started = await startLeadClock(tx, {
      workspaceId,
      plan,
      leadId,
      assignmentId: routed.assignmentId,
      repId,
      now,
      targetMs: sla.firstTouchBusinessMs,
    })
    clockId = started.clockId
    dueAt = started.dueAt
  }
  let notifications = 0
  if (repId) {
    const { brief } = await loadLeadBrief(tx, plan, workspaceId, leadId, now)
    notifications = await enqueueNotifications(tx, plan, workspaceId, now, {
      topic: 'lead.handed_off',
      subject: `assignment:${routed.assignmentId}`,
      leadId,
      repId,
      audiences: ['rep'],
      title: brief.headline,
      lines: [brief.trigger, ...brief.whyThisRep, brief.due ? `Due ${brief.due}` : 'No SLA clock'],
      brief: { brief, links: linksFor(ctx, leadId) },
      data: {
        lead_id: leadId,
        rep_id: repId,
        assignment_id: routed.assignmentId,
        tier: state.tier?.name ?? null,
        due_at: dueAt !== null && Number.isFinite(dueAt) ? new Date(dueAt).toISOString() : null,
        agreement_version: plan.hash,
        brief,
      },
    })
  }
  return { leadId, repId, assignmentId: routed.assignmentId, clockId, dueAt, notifications }
}

/** Links in briefs point at the dashboard's lead page. */
export function linksFor(ctx: Partial<Pick<Ctx, 'config'>>, leadId: number) {
  return { leadUrl: `${ctx.config?.publicUrl ?? 'http://127.0.0.1:4600'}/leads/${leadId}` }
}

/** Starts the first-touch clock of an assignment in the rep's calendar, and writes its timers. */
export async function startLeadClock(
  tx: Tx,
  a: {
    workspaceId: number
    plan: HandoffPlan
    leadId: number
    assignmentId: number
    repId: string
    now: number
    targetMs: number
  },
): Promise<{ clockId: number | null; dueAt: number | null }> {
  const { plan } = a
  const calendarName = plan.calendarOf(a.repId)
  // The Agreement validator guarantees every rep a calendar (own or team's); an unknown rep has no clock.
  if (!calendarName) return { clockId: null, dueAt: null }
  const calendar = plan.calendar(calendarName, a.now, a.now + 90 * 86_400_000)
  const warn = plan.compiled.sla.warnAt
  const clock = startClock({
    at: a.now,
    targetMs: a.targetMs,
    warnAtFraction: warn > 0 && warn < 1 ? warn : null,
    calendar,
  })
  const row = await tx
    .insertInto('sla_clock')
    .values({
      workspace_id: a.workspaceId,
      lead_id: a.leadId,
      assignment_id: a.assignmentId,
      rep_id: a.repId,
      agreement_version_id: plan.versionId,
      target_ms: a.targetMs,
      started_at: new Date(a.now).toISOString(),
      ...clockColumns(clock),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await syncTimers(tx, {
    workspaceId: a.workspaceId,
    clockId: row.id,
    clock,
    steps: plan.escalation.steps,
    calendar,
    now: a.now,
  })
  await recordClockEvents(tx, {
    workspaceId: a.workspaceId,
    clockId: row.id,
    clock,
    calendar,
    agreementVersionId: plan.versionId,
    now: a.now,
    events: [{ kind: 'started', at: a.now, reason: `started for ${a.repId}: ${clock.dueReason}` }],
  })
  return { clockId: row.id, dueAt: clock.dueAt }
}
