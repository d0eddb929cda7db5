/**
 * What-if replay: the stored history run through a candidate Agreement, in memory, with the same engine that runs
 * live, and compared with the Agreement in force — MQLs per week, tier mix, leads gained and lost with their
 * reasons, and how those leads actually converted where outcomes are known. Nothing is written.
 *
 * Outcomes: a lead "reached SAL" when its person has a stage transition into SAL or later; "reached an
 * opportunity" when the person is a contact on an opportunity, or their account opened one after the person's
 * first event; "won" when such an opportunity is won. Outcomes are known for people with an account.
 *
 * The history of the window is held in memory (about 200 bytes an event): a year of a mid-size workspace fits;
 * very large workspaces should replay a quarter at a time with `from`/`to`.
 */
import { sql } from 'kysely'
import { findActiveEngine } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { type Agreement, compileAgreement, hashAgreement } from '../core/agreement/index.ts'
import {
  compareReplays,
  createEngine,
  type KnownOutcome,
  type LeadFacts,
  orderForReplay,
  type ReplayComparison,
  type ReplayEvent,
  replayHistory,
} from '../core/engine/index.ts'
import { AppError } from '../core/errors.ts'
import { ACCOUNT_COLUMN_FIELDS } from '../core/rules/index.ts'
import { accountFacts, personFacts } from './qualify-events.ts'

const DAY = 86_400_000
const PAGE = 50_000

export type ReplayReport = ReplayComparison & {
  window: { from: string; to: string }
  events: number
  people: number
  active: { versionId: number; hash: string }
  candidate: { hash: string; title: string }
  /** personKey → email, for the examples. */
  people_by_key: Record<string, string>
}

export async function replayAgreement(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  input: { candidate: Agreement; from?: number; to?: number; onProgress?: (done: number, total: number) => void },
): Promise<ReplayReport> {
  const to = input.to ?? ctx.clock()
  const from = input.from ?? to - 91 * DAY
  if (!(from < to))
    throw new AppError('invalid_input', 'the replay window is empty', [
      { path: 'from', message: 'must be before `to`' },
    ])
  const active = await findActiveEngine(ctx, workspaceId, to)
  if (!active) throw new AppError('conflict', 'no Agreement is in force to compare with: sign one first')
  const candidateHash = hashAgreement(input.candidate)
  const candidateEngine = createEngine(compileAgreement(input.candidate), { id: 0, hash: candidateHash })

  const total = (
    await sql<{ n: number }>`select count(*)::int as n from event
      where workspace_id = ${workspaceId} and person_id is not null
        and occurred_at >= ${new Date(from)} and occurred_at < ${new Date(to)}`.execute(ctx.db)
  ).rows[0]!.n

  // Keyset pages in (occurred_at, seq) order: the engine needs time order and the history may be large.
  const events: ReplayEvent[] = []
  type EventRow = {
    id: string
    seq: number
    type: string
    occurred_at: Date
    person_id: number
    properties: Record<string, unknown>
    source: string | null
    medium: string | null
    campaign: string | null
  }
  let cursor: { at: Date; seq: number } | null = null
  for (;;) {
    const after: { at: Date; seq: number } | null = cursor
    const page: { rows: EventRow[] } = await sql<{
      id: string
      seq: number
      type: string
      occurred_at: Date
      person_id: number
      properties: Record<string, unknown>
      source: string | null
      medium: string | null
      campaign: string | null
    }>`select id, seq, type, occurred_at, person_id, properties, source, medium, campaign from event
        where workspace_id = ${workspaceId} and person_id is not null
          and occurred_at >= ${new Date(from)} and occurred_at < ${new Date(to)}
          ${after ? sql`and (occurred_at, seq) > (${after.at}, ${after.seq})` : sql``}
        order by occurred_at, seq limit ${PAGE}`.execute(ctx.db)
    for (const r of page.rows) {
      events.push({
        id: r.id,
        type: r.type,
        at: r.occurred_at.getTime(),
        properties: r.properties,
        source: r.source,
        medium: r.medium,
        campaign: r.campaign,
        personKey: String(r.person_id),
      })
    }
    input.onProgress?.(events.length, total * 3)
    if (page.rows.length < PAGE) break
    const last: EventRow = page.rows[page.rows.length - 1]!
    cursor = { at: last.occurred_at, seq: last.seq }
  }

  const personIds = [...new Set(events.map((e) => Number(e.personKey)))]
  const facts = new Map<string, LeadFacts>()
  const emails: Record<string, string> = {}
  if (personIds.length > 0) {
    const people = await sql<{
      id: number
      email: string
      title: string | null
      country: string | null
      account_id: number | null
      attributes: Record<string, unknown>
    }>`select id, email, title, country, account_id, attributes from person where id = any(${personIds}::bigint[])`.execute(
      ctx.db,
    )
    const accountIds = [...new Set(people.rows.flatMap((p) => (p.account_id ? [p.account_id] : [])))]
    const accounts = new Map<number, Record<string, unknown>>()
    const signals = new Map<number, { type: string; at: number }[]>()
    if (accountIds.length > 0) {
      const rows = await ctx.db
        .selectFrom('account')
        .select(['id', ...ACCOUNT_COLUMN_FIELDS, 'attributes'])
        .where('id', 'in', accountIds)
        .execute()
      for (const a of rows)
        accounts.set(a.id, accountFacts({ ...a, attributes: a.attributes as Record<string, unknown> }))
      const sig = await ctx.db
        .selectFrom('account_signal')
        .select(['account_id', 'type', 'at'])
        .where('account_id', 'in', accountIds)
        .execute()
      for (const s of sig)
        signals.set(s.account_id, [...(signals.get(s.account_id) ?? []), { type: s.type, at: s.at.getTime() }])
    }
    for (const p of people.rows) {
      emails[String(p.id)] = p.email
      facts.set(String(p.id), {
        person: personFacts(p),
        account: p.account_id ? (accounts.get(p.account_id) ?? null) : null,
        accountSignals: p.account_id ? (signals.get(p.account_id) ?? []) : [],
      })
    }
  }

  let done = events.length
  const progress = () => {
    done += 10_000
    input.onProgress?.(Math.min(done, total * 3), total * 3)
  }
  const options = { from, to, onProgress: progress, progressEvery: 10_000 }
  // Account by account (each account's events still in time order): the same outcome, and several times faster
  // than time order on large histories, where each event would land on a lead no longer in cache.
  const ordered = orderForReplay(events, facts)
  const activeRun = replayHistory(active.engine, { facts, events: ordered }, options)
  const candidateRun = replayHistory(candidateEngine, { facts, events: ordered }, options)
  input.onProgress?.(total * 3, total * 3)

  const outcomes = await loadOutcomes(ctx, workspaceId, personIds)
  const comparison = compareReplays(activeRun, candidateRun, outcomes)
  return {
    ...comparison,
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    events: events.length,
    people: personIds.length,
    active: { versionId: active.versionId, hash: active.hash },
    candidate: { hash: candidateHash, title: input.candidate.agreement },
    people_by_key: emails,
  }
}

async function loadOutcomes(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  personIds: number[],
): Promise<Map<string, KnownOutcome>> {
  const out = new Map<string, KnownOutcome>()
  if (personIds.length === 0) return out
  const rows = await sql<{ id: number; sal: boolean; opportunity: boolean; won: boolean }>`
    with p as (
      select p.id, p.account_id, (select min(e.occurred_at) from event e where e.person_id = p.id) as first_at
      from person p where p.workspace_id = ${workspaceId} and p.id = any(${personIds}::bigint[]) and p.account_id is not null
    ),
    opps as (
      select p.id, o.is_won from p
      join opportunity o on o.workspace_id = ${workspaceId}
        and (o.account_id = p.account_id and o.opened_at >= p.first_at
             or exists (select 1 from opportunity_contact c where c.opportunity_id = o.id and c.person_id = p.id))
    )
    select p.id,
      exists (select 1 from lead l join stage_transition t on t.lead_id = l.id
              where l.person_id = p.id and t.to_stage in ('SAL', 'SQL', 'Opportunity', 'Won')) as sal,
      exists (select 1 from opps where opps.id = p.id) as opportunity,
      exists (select 1 from opps where opps.id = p.id and opps.is_won) as won
    from p`.execute(ctx.db)
  for (const r of rows.rows) out.set(String(r.id), { sal: r.sal, opportunity: r.opportunity, won: r.won })
  return out
}
