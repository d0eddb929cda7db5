/**
 * A large synthetic workspace built with set-based SQL (insert … select generate_series), shared by the metrics bench
 * and the dashboard bench, so the scoreboard is measured on the data the metric queries are tuned for. Sizes scale
 * with `leads` (1,000,000 ≈ 6 minutes on a quiet 2-core machine):
 * - 50,000 accounts (3 segments, 6 industries), one person per lead;
 * - leads whose first event is spread over 2026, with 8 sources × 5 media, 40 campaigns, 3 tiers, 10 owners;
 * - stage transitions: 25% of leads reach MQL, 40% of those SQL, 50% of those Opportunity, 30% of those Won;
 * - one opportunity per lead reaching Opportunity, on the lead's account, 60% closed (60% of those won);
 * - 10 events per lead over the lead's year, 30% of them carrying source/medium/campaign (marketing touches).
 *
 * Example: `await buildLargeWorkspace(ctx.db, workspaceId, 100_000, console.log)`
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../src/db/schema.ts'
import { fmt } from './helpers.ts'

export const EVENTS_PER_LEAD = 10

export async function buildLargeWorkspace(
  db: Kysely<DB>,
  ws: number,
  leads: number,
  log: (line: string) => void,
): Promise<void> {
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t0 = performance.now()
    const r = await q.execute(db)
    log(
      `  ${label.padEnd(28)} ${fmt((performance.now() - t0) / 1000, 1)} s${r.numAffectedRows !== undefined ? `  (${fmt(Number(r.numAffectedRows))} rows)` : ''}`,
    )
  }
  const accounts = Math.min(50_000, Math.max(100, Math.round(leads / 20)))
  await step(
    'accounts',
    sql`insert into account (workspace_id, domain, name, segment, industry, employees)
    select ${ws}, 'acc' || g || '-w' || ${ws} || '.example', 'Account ' || g, (array['smb','mid_market','enterprise'])[1 + g % 3],
      (array['Healthcare','Fintech','Retail','Insurance','Manufacturing','Media'])[1 + g % 6], 10 + (g * 37) % 5000
    from generate_series(1, ${accounts}) g`,
  )
  await step(
    'people',
    sql`insert into person (workspace_id, email, account_id)
    select ${ws}, 'p' || g || '@acc' || (1 + g % ${accounts}) || '.example',
      (select min(id) from account where workspace_id = ${ws}) + g % ${accounts}
    from generate_series(1, ${leads}) g`,
  )
  await step(
    'leads',
    sql`insert into lead (workspace_id, person_id, account_id, stage, stage_entered_at, state, source, medium,
      campaign, tier, owner_rep_id, fit, first_event_at, last_event_at)
    select ${ws}, p.id, p.account_id, 'Lead', t, '{}'::jsonb,
      (array['google','linkedin','newsletter','webinar','g2','partner','direct','events'])[1 + (p.id * 7) % 8],
      (array['cpc','paid_social','email','organic','referral'])[1 + (p.id * 11) % 5],
      'c' || ((p.id * 13) % 40), (array['hot','warm','cold'])[1 + (p.id * 17) % 3],
      (array['ana_ruiz','ben_cho','chloe_adams','diego_santos','erin_park','felix_braun','greta_lind','ana_ruiz','ben_cho','erin_park'])[1 + (p.id * 19) % 10],
      (p.id * 23) % 100, t, t
    from (select id, account_id, timestamptz '2026-01-01' + ((id * 7919) % 31536000) * interval '1 second' as t
          from person where workspace_id = ${ws}) p`,
  )
  await step(
    'stage transitions',
    sql`insert into stage_transition (workspace_id, lead_id, from_stage, to_stage, at, rule, explanation)
    select ${ws}, l.id, s.from_stage, s.to_stage, l.first_event_at + s.days * interval '1 day', 'stages.' || s.to_stage, 'bench'
    from lead l
    cross join lateral (values
      ('Lead', 'MQL', 1 + l.id % 6, 4),
      ('MQL', 'SQL', 8 + l.id % 9, 10),
      ('SQL', 'Opportunity', 20 + l.id % 11, 20),
      ('Opportunity', 'Won', 60 + l.id % 40, 67)) as s(from_stage, to_stage, days, modulo)
    where l.workspace_id = ${ws} and l.id % s.modulo = 0`,
  )
  await step(
    'opportunities',
    sql`insert into opportunity (workspace_id, external_id, account_id, amount, stage, is_closed, is_won,
      opened_at, closed_at, owner, source)
    select ${ws}, 'o' || l.id, l.account_id, 1000 + (l.id * 31) % 90000,
      case when l.id % 5 < 3 then (case when l.id % 5 < 2 then 'closedwon' else 'closedlost' end) else 'proposal' end,
      l.id % 5 < 3, l.id % 5 < 2, t.at,
      case when l.id % 5 < 3 then t.at + (10 + l.id % 80) * interval '1 day' end, l.owner_rep_id, l.source
    from stage_transition t join lead l on l.id = t.lead_id
    where t.workspace_id = ${ws} and t.to_stage = 'Opportunity'`,
  )
  await step(
    'events',
    sql`insert into event (workspace_id, id, type, occurred_at, person_id, account_id, source, medium, campaign)
    select ${ws}, 'e' || l.id || '-' || k, (array['page_view','page_view','page_view','email_open','form_submit'])[1 + (l.id + k) % 5],
      l.first_event_at + ((l.id * 104729 + k * 7907) % 31536000) * interval '1 second', l.person_id, l.account_id,
      case when (l.id + k) % 10 < 3 then l.source end, case when (l.id + k) % 10 < 3 then l.medium end,
      case when (l.id + k) % 10 < 3 then l.campaign end
    from lead l cross join generate_series(1, ${EVENTS_PER_LEAD}) k where l.workspace_id = ${ws}`,
  )
  // Vacuum as autovacuum would after a bulk load: the visibility map lets the funnel and the touch ledger be read
  // index-only, as they are in a steady workspace.
  await step('vacuum analyze', sql`vacuum analyze`)
}
