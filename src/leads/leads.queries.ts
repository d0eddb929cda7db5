/**
 * Reads for the lead API and the dashboard: one lead with everything an analyst asks ("why is this an MQL?"),
 * and a filtered, paged list. A `rep` principal sees only leads they own.
 */
import { sql } from 'kysely'
import { getEngineForVersion } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { explainLead, isEngineState } from '../core/engine/index.ts'
import { AppError } from '../core/errors.ts'
import { normalizeEmail } from '../core/identity/identity.ts'
import { storedLeadState } from './stored-state.ts'

export type LeadScope = { workspaceId: number; ownerRepId?: string | null }

/**
 * A lead by id, or the open (else latest) lead of a person by email. `fit` and `intent` are the stored figures the
 * list shows; `scores` explains them as of now. A row loaded outside the engine (`state` `{}`: the bench's large
 * workspace, test seeds) still answers with what its columns and transitions know: `handoff` and `persona` are null,
 * `explanation` is the last transition's, `scores` is null and `scores_unavailable` says why (`no_engine_state`;
 * `no_agreement` for a lead scored before any Agreement was in force).
 *
 * Example: `(await getLead(ctx, { workspaceId }, 'ana@acme.com')).scores?.fit.score` → `80`
 */
export async function getLead(ctx: Pick<Ctx, 'db' | 'clock'>, scope: LeadScope, ref: string) {
  let q = ctx.db
    .selectFrom('lead as l')
    .innerJoin('person as p', 'p.id', 'l.person_id')
    .leftJoin('account as a', 'a.id', 'l.account_id')
    .leftJoin('agreement_version as v', 'v.id', 'l.agreement_version_id')
    .select([
      'l.id',
      'l.cycle',
      'l.stage',
      'l.stage_entered_at',
      'l.tier',
      'l.fit',
      'l.intent',
      'l.needs_data',
      'l.disqualified_reason',
      'l.owner_rep_id',
      'l.agreement_version_id',
      'v.hash as agreement_hash',
      storedLeadState('l').as('state'),
      'l.source',
      'l.medium',
      'l.campaign',
      'l.first_event_at',
      'l.last_event_at',
      'l.created_at',
      'l.closed_at',
      'p.email',
      'p.first_name',
      'p.last_name',
      'p.title',
      'a.domain',
      'a.name as account_name',
      'a.industry',
      'a.employees',
      'a.country',
    ])
    .where('l.workspace_id', '=', scope.workspaceId)
  if (/^\d+$/.test(ref)) q = q.where('l.id', '=', Number(ref))
  else {
    const email = normalizeEmail(ref)
    if (!email)
      throw new AppError('invalid_input', `"${ref}" is neither a lead id nor an email`, [
        { path: 'ref', message: 'expected a lead id or an email' },
      ])
    q = q.where('p.email', '=', email).orderBy(sql`l.closed_at is null`, 'desc').orderBy('l.cycle', 'desc')
  }
  const row = await q.limit(1).executeTakeFirst()
  if (!row || (scope.ownerRepId !== undefined && row.owner_rep_id !== scope.ownerRepId))
    throw new AppError('not_found', `no lead ${ref}`)

  // A row loaded outside the engine (bench, seeds) has no state to explain: its columns and transitions still say
  // what is known.
  const state = isEngineState(row.state) ? row.state : null
  const now = ctx.clock()
  const explanation =
    state && row.agreement_version_id
      ? explainLead(await getEngineForVersion(ctx, row.agreement_version_id), state, now)
      : null
  const transitions = await ctx.db
    .selectFrom('stage_transition as t')
    .leftJoin('agreement_version as v', 'v.id', 't.agreement_version_id')
    .select([
      't.from_stage',
      't.to_stage',
      't.at',
      't.rule',
      't.reasons',
      't.explanation',
      't.actor',
      't.agreement_version_id',
      'v.hash as agreement_hash',
    ])
    .where('t.lead_id', '=', row.id)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute()
  return {
    id: row.id,
    cycle: row.cycle,
    person: {
      email: row.email,
      first_name: row.first_name,
      last_name: row.last_name,
      title: row.title,
      persona: state?.persona ?? null,
    },
    account: row.domain
      ? {
          domain: row.domain,
          name: row.account_name,
          industry: row.industry,
          employees: row.employees,
          country: row.country,
        }
      : null,
    stage: row.stage,
    stage_entered_at: row.stage_entered_at,
    tier: row.tier,
    handoff: state?.handoff ?? null,
    needs_data: row.needs_data,
    disqualified_reason: row.disqualified_reason,
    owner_rep_id: row.owner_rep_id,
    agreement: { version_id: row.agreement_version_id, hash: row.agreement_hash },
    source: row.source,
    medium: row.medium,
    campaign: row.campaign,
    first_event_at: row.first_event_at,
    last_event_at: row.last_event_at,
    explanation: state ? state.explanation : (transitions.at(-1)?.explanation ?? null),
    fit: row.fit,
    intent: row.intent,
    scores_unavailable: explanation ? null : state ? ('no_agreement' as const) : ('no_engine_state' as const),
    scores:
      explanation && state
        ? {
            as_of: new Date(now).toISOString(),
            fit: {
              score: explanation.fit.score,
              parts: state.fit.parts,
              unknown: state.fit.unknown,
              disqualifier: state.fit.disqualifier,
              lines: explanation.fit.lines,
            },
            intent: { score: explanation.intent.score, lines: explanation.intent.lines },
            signals: explanation.signals,
          }
        : null,
    stages: explanation?.timeline ?? [],
    transitions: transitions.map((t) => ({ ...t, agreement_hash: t.agreement_hash })),
  }
}

export type LeadFilters = {
  stage?: string
  tier?: string
  owner?: string
  source?: string
  needsData?: boolean
  /** The state of the lead's latest SLA clock; `none` for a lead never handed off with a clock. */
  sla?: LeadSlaFilter
  q?: string
  limit: number
  offset: number
}

export const LEAD_SLA_FILTERS = ['running', 'paused', 'breached', 'met', 'cancelled', 'none'] as const
export type LeadSlaFilter = (typeof LEAD_SLA_FILTERS)[number]

/** The lead's latest clock (a reassignment starts a new one). */
const latestClock = (column: 'status' | 'due_at') =>
  sql.raw(`(select c.${column} from sla_clock c where c.lead_id = l.id order by c.id desc limit 1)`)

export async function listLeads(ctx: Pick<Ctx, 'db'>, scope: LeadScope, f: LeadFilters) {
  let q = ctx.db
    .selectFrom('lead as l')
    .innerJoin('person as p', 'p.id', 'l.person_id')
    .leftJoin('account as a', 'a.id', 'l.account_id')
    .where('l.workspace_id', '=', scope.workspaceId)
  if (scope.ownerRepId !== undefined) q = q.where('l.owner_rep_id', '=', scope.ownerRepId)
  if (f.stage) q = q.where('l.stage', '=', f.stage)
  if (f.tier) q = q.where('l.tier', '=', f.tier)
  if (f.owner) q = q.where('l.owner_rep_id', '=', f.owner)
  if (f.source) q = q.where('l.source', '=', f.source)
  if (f.needsData) q = q.where(sql`cardinality(l.needs_data)`, '>', 0)
  if (f.sla === 'none') q = q.where(sql<boolean>`not exists (select 1 from sla_clock c where c.lead_id = l.id)`)
  else if (f.sla) q = q.where(sql`${latestClock('status')}`, '=', f.sla)
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) =>
      eb.or([eb('p.email', 'like', like), eb(sql`lower(a.name)`, 'like', like), eb('a.domain', 'like', like)]),
    )
  }
  const [rows, total] = await Promise.all([
    q
      .select([
        'l.id',
        'l.stage',
        'l.stage_entered_at',
        'l.tier',
        'l.fit',
        'l.intent',
        'l.needs_data',
        'l.owner_rep_id',
        'l.source',
        'l.campaign',
        'l.last_event_at',
        'p.email',
        'p.first_name',
        'p.last_name',
        'p.title',
        'a.domain',
        'a.name as account_name',
        sql<string | null>`${latestClock('status')}`.as('sla_status'),
        sql<Date | null>`${latestClock('due_at')}`.as('sla_due_at'),
      ])
      .orderBy('l.stage_entered_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ])
  return { leads: rows, total: total.n, limit: f.limit, offset: f.offset }
}
