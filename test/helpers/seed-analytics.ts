/**
 * Factories for the analytics tests: rows written straight into the tables the metric queries read (accounts,
 * people, leads and their stage transitions, opportunities, events, SLA clocks, dispositions), so each test states
 * its data in a few lines and its expected numbers can be checked by hand.
 *
 * Example: `const lead = await seedLead(db, ws, { email: 'a@acme.com', account: acme, firstEventAt: '2026-10-05', stages: [['MQL', '2026-10-06']] })`
 */

import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { RouteTrace } from '../../src/core/routing/index.ts'
import type { SlaClock } from '../../src/core/sla/index.ts'
import type { DB } from '../../src/db/schema.ts'

const at = (d: string) => new Date(d.length === 10 ? `${d}T00:00:00Z` : d)

export async function seedAccount(
  db: Kysely<DB>,
  workspaceId: number,
  a: { domain: string; name?: string; segment?: string; industry?: string; employees?: number },
): Promise<number> {
  const r = await db
    .insertInto('account')
    .values({
      workspace_id: workspaceId,
      domain: a.domain,
      name: a.name ?? a.domain,
      segment: a.segment ?? null,
      industry: a.industry ?? null,
      employees: a.employees ?? null,
      attributes: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export type SeedLead = {
  email: string
  account: number | null
  firstEventAt: string
  /** Transitions in order: [to_stage, at, rule?]. */
  stages?: [string, string, string?][]
  source?: string | null
  medium?: string | null
  campaign?: string | null
  tier?: string | null
  owner?: string | null
  fit?: number | null
  /** Names of the ICP criteria the lead matched. */
  matched?: string[]
}

export async function seedLead(db: Kysely<DB>, workspaceId: number, l: SeedLead): Promise<number> {
  const person = await db
    .insertInto('person')
    .values({ workspace_id: workspaceId, email: l.email, account_id: l.account, attributes: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const stages = l.stages ?? []
  const last = stages.at(-1)
  const state = { fit: { parts: (l.matched ?? []).map((name, i) => ({ id: `c${i}`, name, points: 10 })) } }
  const lead = await db
    .insertInto('lead')
    .values({
      workspace_id: workspaceId,
      person_id: person.id,
      account_id: l.account,
      stage: last ? last[0] : 'Lead',
      stage_entered_at: at(last ? last[1] : l.firstEventAt),
      first_event_at: at(l.firstEventAt),
      source: l.source ?? null,
      medium: l.medium ?? null,
      campaign: l.campaign ?? null,
      tier: l.tier ?? null,
      owner_rep_id: l.owner ?? null,
      fit: l.fit ?? null,
      state: JSON.stringify(state),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  let from = 'Lead'
  for (const [to, when, rule] of stages) {
    await db
      .insertInto('stage_transition')
      .values({
        workspace_id: workspaceId,
        lead_id: lead.id,
        from_stage: from,
        to_stage: to,
        at: at(when),
        rule: rule ?? `stages.${to}`,
        reasons: '[]',
        explanation: `${from} → ${to}`,
      })
      .execute()
    from = to
  }
  return lead.id
}

export async function seedOpportunity(
  db: Kysely<DB>,
  workspaceId: number,
  o: {
    id: string
    account: number | null
    amount: number
    openedAt: string
    closedAt?: string | null
    won?: boolean
    owner?: string
    source?: string
  },
): Promise<void> {
  const closed = o.closedAt !== undefined && o.closedAt !== null
  await db
    .insertInto('opportunity')
    .values({
      workspace_id: workspaceId,
      external_id: o.id,
      account_id: o.account,
      name: `Deal ${o.id}`,
      amount: o.amount,
      stage: closed ? (o.won ? 'closedwon' : 'closedlost') : 'proposal',
      is_closed: closed,
      is_won: closed && o.won === true,
      opened_at: at(o.openedAt),
      closed_at: closed ? at(o.closedAt!) : null,
      owner: o.owner ?? null,
      source: o.source ?? null,
      attributes: '{}',
    })
    .execute()
}

export async function seedTouch(
  db: Kysely<DB>,
  workspaceId: number,
  e: { id: string; account: number; at: string; source?: string; medium?: string; campaign?: string },
): Promise<void> {
  await db
    .insertInto('event')
    .values({
      workspace_id: workspaceId,
      id: e.id,
      type: 'page_view',
      occurred_at: at(e.at),
      account_id: e.account,
      properties: '{}',
      source: e.source ?? null,
      medium: e.medium ?? null,
      campaign: e.campaign ?? null,
    })
    .execute()
}

/** An SLA clock (with the assignment it belongs to) in the columns migration 0005 defines. */
export async function seedSlaClock(
  db: Kysely<DB>,
  workspaceId: number,
  c: {
    lead: number
    rep: string
    agreementVersionId: number
    startedAt: string
    dueAt: string
    status: 'running' | 'paused' | 'breached' | 'met' | 'cancelled'
    metAt?: string
    late?: boolean
    breachedAt?: string
    consumedMs?: number
  },
): Promise<void> {
  const startedAt = at(c.startedAt).getTime()
  // The trace and the clock's state in the shapes routing and src/core/sla write, so the lead's brief and routing
  // trace read these rows as they read real ones.
  const trace: RouteTrace = { atMs: startedAt, rules: [] }
  const clock: SlaClock = {
    state: c.status,
    calendarName: 'new_york',
    targetMs: 3_600_000,
    warnAtFraction: null,
    startedAt,
    consumedMs: c.consumedMs ?? 0,
    runningSince: c.status === 'running' ? startedAt : null,
    pausedAt: null,
    dueAt: at(c.dueAt).getTime(),
    warnAt: null,
    breachedAt: c.breachedAt ? at(c.breachedAt).getTime() : null,
    metAt: c.metAt ? at(c.metAt).getTime() : null,
    late: c.late ?? false,
    cancelledAt: null,
    firedTimers: [],
    dueReason: 'seeded',
  }
  const assignment = await sql<{
    id: number
  }>`insert into assignment (workspace_id, lead_id, rep_id, trace, reason, assigned_at)
      values (${workspaceId}, ${c.lead}, ${c.rep}, ${JSON.stringify(trace)}::jsonb, 'routed', ${at(c.startedAt)}) returning id`.execute(
    db,
  )
  await sql`insert into sla_clock (workspace_id, lead_id, assignment_id, rep_id, calendar, agreement_version_id, status,
      late, target_ms, due_at, started_at, met_at, breached_at, state)
    values (${workspaceId}, ${c.lead}, ${assignment.rows[0]!.id}, ${c.rep}, 'new_york', ${c.agreementVersionId}, ${c.status},
      ${c.late ?? false}, 3600000, ${at(c.dueAt)}, ${at(c.startedAt)}, ${c.metAt ? at(c.metAt) : null},
      ${c.breachedAt ? at(c.breachedAt) : null}, ${JSON.stringify(clock)}::jsonb)`.execute(db)
}

export async function seedDisposition(
  db: Kysely<DB>,
  workspaceId: number,
  d: { lead: number; outcome: 'accept' | 'reject' | 'recycle'; reason: string; at: string; rep?: string },
): Promise<void> {
  await sql`insert into disposition (workspace_id, lead_id, outcome, reason_code, by_actor, rep_id, at)
    values (${workspaceId}, ${d.lead}, ${d.outcome}, ${d.reason}, 'test', ${d.rep ?? null}, ${at(d.at)})`.execute(db)
}
