-- The shared numbers: generated review packs and their action items, and the indexes the dashboard's metric
-- queries read through (src/analytics/*.queries.ts). No pre-aggregated tables: measured on a 1,000,000-lead,
-- 10,000,000-event workspace (bench/metrics.bench.ts), indexes and set-based SQL keep the scoreboard in budget.

create table review_pack (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  kind text not null check (kind in ('weekly_pipeline', 'monthly_sla_health', 'quarterly_icp')),
  -- The period label ('2026-W47', '2026-11', '2026-Q4'): one pack per kind and period, regenerated in place.
  period text not null,
  generated_at timestamptz not null,
  markdown text not null,
  html text not null,
  -- The pack as data (src/core/reviews ReviewPack): the next pack's "changes since the last pack" read it.
  data jsonb not null,
  unique (workspace_id, kind, period)
);
create index review_pack_recent on review_pack (workspace_id, kind, generated_at desc);

create table action_item (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  pack_kind text not null check (pack_kind in ('weekly_pipeline', 'monthly_sla_health', 'quarterly_icp')),
  -- The item's stable id in packs ('stalled:bob', 'pacing:2026-Q4:pipeline'): a regenerated pack never duplicates it.
  key text not null,
  text text not null,
  owner text,
  status text not null default 'open' check (status in ('open', 'done')),
  created_at timestamptz not null default now(),
  closed_at timestamptz,
  unique (workspace_id, pack_kind, key)
);

-- Pipeline created / closed in a period.
create index opportunity_opened on opportunity (workspace_id, opened_at);
create index opportunity_closed on opportunity (workspace_id, closed_at) where closed_at is not null;
-- A lead enters the funnel's first stage at its first event (no transition row records it).
create index lead_funnel_entry on lead (workspace_id, (coalesce(first_event_at, created_at)));
-- Opportunities imported with an account name (Maven, spreadsheets) find their account by name.
create index account_name_lower on account (workspace_id, lower(name)) where name is not null;
-- The touch ledger: an account's marketing touches (events carrying a source, medium or campaign) in time order.
create index event_account_touch on event (account_id, occurred_at)
  where account_id is not null and (source is not null or medium is not null or campaign is not null);
