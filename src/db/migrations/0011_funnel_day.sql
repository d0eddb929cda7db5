-- The funnel's counts pre-aggregated per UTC day, and the entries that carry a time in stage indexed on their own.
--
-- funnel_day: how many first entries (funnel_entry rows with prev_at null) each (day, stage, breakdown value, stages
-- entered later) holds, one breakdown at a time: `dim` is '' for every entry (value null) or one of source, medium,
-- campaign, tier, owner, segment, industry with the entry's value of it. A breakdown's groups are never combined
-- with another's, so one row per single value is enough — a quarter's funnel reads tens of thousands of rows here
-- instead of every entry (src/analytics/funnel.queries.ts). `later_stages` stays in the key because "advanced"
-- depends on the stage list of the request. Re-entries (prev_at not null: counted only when prev_at is before the
-- period), the partial days at a period's edges and the durations (exact medians and p90s) are read from
-- funnel_entry.
--
-- What must stay true: for every key, the sum of `entered` over its rows equals funnel_day_of() computed from
-- funnel_entry at this instant. A statement trigger on funnel_entry inserts the change of every statement (its new
-- rows counted +1, its old rows -1) in the writing transaction, so a crash never leaves it behind. Rows are only
-- ever inserted by writers — never updated — so concurrent ingestion never waits on a shared counter; the worker's
-- compaction (funnel_day_compact) later merges a day's rows into one per key.

create table funnel_day (
  workspace_id bigint not null,
  day date not null,
  stage text not null,
  dim text not null,
  value text,
  later_stages text[] not null,
  -- A change (negative for entries removed) until compacted.
  entered int not null,
  -- false for the rows a trigger wrote; the compaction writes one row per key with true.
  compacted boolean not null default false
);
create index funnel_day_read on funnel_day (workspace_id, dim, day) include (stage, value, later_stages, entered);
create index funnel_day_pending on funnel_day (workspace_id, day) where not compacted;

-- The breakdown values of an entry, one row per dim ('' = every entry).
create function funnel_day_dims(source text, medium text, campaign text, tier text, owner_rep_id text, segment text,
  industry text) returns table (dim text, value text) language sql immutable as $$
  values ('', null::text), ('source', source), ('medium', medium), ('campaign', campaign), ('tier', tier),
    ('owner', owner_rep_id), ('segment', segment), ('industry', industry)
$$;

-- The one definition of the counts, from funnel_entry: the backfill below uses it, the tests compare the table with it.
create function funnel_day_of(ws bigint) returns table (day date, stage text, dim text, value text,
  later_stages text[], entered int) language sql stable as $$
  select (f.at at time zone 'UTC')::date, f.stage, d.dim, d.value, f.later_stages, count(*)::int
  from funnel_entry f
  cross join lateral funnel_day_dims(f.source, f.medium, f.campaign, f.tier, f.owner_rep_id, f.segment, f.industry) d
  where f.workspace_id = ws and f.prev_at is null
  group by 1, 2, 3, 4, 5
$$;

-- Every write of funnel_entry (the refresh's delete and insert, the dimension updates of lead and account triggers)
-- adds its change. An insert trigger has no old table and a delete trigger no new one: each branch names only its own.
create function funnel_day_on_entry_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into funnel_day (workspace_id, day, stage, dim, value, later_stages, entered)
    select e.workspace_id, (e.at at time zone 'UTC')::date, e.stage, d.dim, d.value, e.later_stages, count(*)::int
    from new_rows e
    cross join lateral funnel_day_dims(e.source, e.medium, e.campaign, e.tier, e.owner_rep_id, e.segment, e.industry) d
    where e.prev_at is null
    group by 1, 2, 3, 4, 5, 6;
  elsif tg_op = 'DELETE' then
    insert into funnel_day (workspace_id, day, stage, dim, value, later_stages, entered)
    select e.workspace_id, (e.at at time zone 'UTC')::date, e.stage, d.dim, d.value, e.later_stages, -count(*)::int
    from old_rows e
    cross join lateral funnel_day_dims(e.source, e.medium, e.campaign, e.tier, e.owner_rep_id, e.segment, e.industry) d
    where e.prev_at is null
    group by 1, 2, 3, 4, 5, 6;
  else
    insert into funnel_day (workspace_id, day, stage, dim, value, later_stages, entered)
    select e.workspace_id, (e.at at time zone 'UTC')::date, e.stage, d.dim, d.value, e.later_stages, sum(e.n)::int
    from (select n.*, 1 as n from new_rows n union all select o.*, -1 from old_rows o) e
    cross join lateral funnel_day_dims(e.source, e.medium, e.campaign, e.tier, e.owner_rep_id, e.segment, e.industry) d
    where e.prev_at is null
    group by 1, 2, 3, 4, 5, 6
    having sum(e.n) <> 0;
  end if;
  return null;
end $$;
create trigger funnel_day_entry_insert after insert on funnel_entry
  referencing new table as new_rows for each statement execute function funnel_day_on_entry_change();
create trigger funnel_day_entry_update after update on funnel_entry
  referencing old table as old_rows new table as new_rows for each statement
  execute function funnel_day_on_entry_change();
create trigger funnel_day_entry_delete after delete on funnel_entry
  referencing old table as old_rows for each statement execute function funnel_day_on_entry_change();

-- Merges the rows of up to max_days days holding trigger-written rows into one row per key (a key summing to zero
-- leaves none); returns the number of days merged. Safe beside writers and other compactions: the delete takes only
-- rows committed before it began (a writer's later rows stay for the next round), and a row another compaction
-- already deleted is skipped, so every row is summed exactly once.
create function funnel_day_compact(ws bigint, max_days int) returns int language sql as $$
  with days as (
    select distinct day from funnel_day where workspace_id = ws and not compacted order by day limit max_days
  ), gone as (
    delete from funnel_day f using days d where f.workspace_id = ws and f.day = d.day
    returning f.day, f.stage, f.dim, f.value, f.later_stages, f.entered
  ), merged as (
    insert into funnel_day (workspace_id, day, stage, dim, value, later_stages, entered, compacted)
    select ws, day, stage, dim, value, later_stages, sum(entered)::int, true from gone
    group by day, stage, dim, value, later_stages
    having sum(entered) <> 0
  )
  select count(distinct day)::int from gone
$$;

-- The entries with a time in stage (exited_at set), read on their own for the durations: a quarter's funnel reads a
-- fraction of its entries here (most leads are still in Lead) and its counts from funnel_day.
create index funnel_entry_exited on funnel_entry (workspace_id, at) include (stage, prev_at, exited_at, source, medium,
  campaign, tier, owner_rep_id, segment, industry) where exited_at is not null;
-- Re-entries, counted in a period when their previous entry into the stage is before it.
create index funnel_entry_reentry on funnel_entry (workspace_id, at) include (stage, prev_at, later_stages, source,
  medium, campaign, tier, owner_rep_id, segment, industry) where prev_at is not null;

-- Existing entries, in the migration's transaction: the table is complete from the moment it exists.
insert into funnel_day (workspace_id, day, stage, dim, value, later_stages, entered, compacted)
select w.id, c.day, c.stage, c.dim, c.value, c.later_stages, c.entered, true
from workspace w cross join lateral funnel_day_of(w.id) c;
analyze funnel_day;
