/**
 * The handoff brief of a lead, assembled from storage: person, account, recent events, the qualifying transition,
 * the current assignment's routing trace and the SLA clock's due instant, then built by the pure
 * `src/core/brief`. Used in the handoff transaction (for the notifications) and by `GET /v1/leads/:ref/brief`.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { type Brief, type BriefEvent, type BriefInput, buildBrief } from '../core/brief/index.ts'
import { isEngineState } from '../core/engine/index.ts'
import { explainRoute, type RouteTrace } from '../core/routing/index.ts'
import type { DB } from '../db/schema.ts'
import { storedLeadState } from '../leads/stored-state.ts'
import { fromStoredClock } from './clock-store.ts'
import type { HandoffPlan } from './handoff-plan.ts'

const TIMELINE_EVENTS = 60

export type LeadBrief = { brief: Brief; input: BriefInput; repId: string | null }

/**
 * @example const { brief } = await loadLeadBrief(tx, plan, workspaceId, leadId, ctx.clock())
 */
export async function loadLeadBrief(
  db: Kysely<DB>,
  plan: HandoffPlan,
  workspaceId: number,
  leadId: number,
  now: number,
): Promise<LeadBrief> {
  const lead = await db
    .selectFrom('lead as l')
    .innerJoin('person as p', 'p.id', 'l.person_id')
    .leftJoin('account as a', 'a.id', 'l.account_id')
    .select([
      'l.id',
      'l.person_id',
      storedLeadState('l').as('state'),
      'l.tier',
      'l.fit',
      'l.intent',
      'p.email',
      'p.first_name',
      'p.last_name',
      'p.title',
      'a.name as account_name',
      'a.domain',
      'a.industry',
      'a.employees',
      'a.country',
      'a.technologies',
    ])
    .where('l.id', '=', leadId)
    .where('l.workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  // A row loaded outside the engine (bench, seeds) stores no state: the brief then uses the row's own fit.
  const state = isEngineState(lead.state) ? lead.state : null
  const events = await sql<{
    type: string
    occurred_at: Date
    properties: Record<string, unknown>
    source: string | null
    medium: string | null
    campaign: string | null
  }>`select type, occurred_at, properties, source, medium, campaign from event
      where person_id = ${lead.person_id} order by occurred_at desc limit ${TIMELINE_EVENTS}`.execute(db)
  const timeline: BriefEvent[] = events.rows.map((e) => ({
    type: e.type,
    at: e.occurred_at.getTime(),
    properties: flatProperties(e.properties),
    source: e.source,
    medium: e.medium,
    campaign: e.campaign,
  }))
  const transition = await db
    .selectFrom('stage_transition')
    .select(['to_stage', 'at', 'explanation'])
    .where('lead_id', '=', leadId)
    .where('to_stage', 'in', ['MQL', 'AQL'])
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst()
  const assignment = await db
    .selectFrom('assignment')
    .select(['rep_id', 'trace'])
    .where('lead_id', '=', leadId)
    .orderBy('ended_at', (ob) => ob.desc().nullsFirst())
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const stored = await db
    .selectFrom('sla_clock')
    .select(['state'])
    .where('lead_id', '=', leadId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const repId = assignment?.rep_id ?? null
  const rep = repId ? plan.repById.get(repId) : undefined
  const calendarName = repId ? plan.calendarOf(repId) : null
  const zone = (calendarName && plan.compiled.agreement.calendars[calendarName]?.time_zone) || 'UTC'
  const name = [lead.first_name, lead.last_name].filter(Boolean).join(' ') || null
  const clock = stored ? fromStoredClock(stored.state) : null
  const target = clock ? { timeZone: zone, targetMs: clock.targetMs } : null
  const due: BriefInput['due'] =
    !clock || !target
      ? null
      : clock.state === 'paused'
        ? { ...target, at: null, remainingMs: Math.max(0, clock.targetMs - clock.consumedMs) }
        : clock.dueAt !== null
          ? { ...target, at: clock.dueAt }
          : null
  const input: BriefInput = {
    leadId: String(leadId),
    person: { name, email: lead.email, title: lead.title, persona: state?.persona ?? null },
    account: lead.domain
      ? {
          name: lead.account_name,
          domain: lead.domain,
          industry: lead.industry,
          employees: lead.employees,
          country: lead.country,
          technologies: lead.technologies ?? [],
        }
      : null,
    timeline,
    trigger: transition
      ? {
          kind: 'stage',
          name: transition.to_stage,
          at: transition.at.getTime(),
          explanation: transition.explanation,
        }
      : { kind: 'tier', name: lead.tier ?? 'handoff', at: now, explanation: state?.explanation ?? 'handed off' },
    fit: state
      ? { score: state.fit.score, criteria: state.fit.parts.map((p) => ({ name: p.name, points: p.points })) }
      : { score: lead.fit ?? 0, criteria: [] },
    intent: Math.round(lead.intent ?? 0),
    tier: lead.tier,
    routingReasons: assignment ? explainRoute(assignment.trace as RouteTrace) : ['not routed yet'],
    owner: { name: rep?.name ?? repId ?? 'nobody yet', timeZone: zone },
    due,
    agreementVersion: plan.hash,
  }
  return { brief: buildBrief(input, { now }), input, repId }
}

function flatProperties(p: Record<string, unknown>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [k, v] of Object.entries(p ?? {}))
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v
  return out
}
