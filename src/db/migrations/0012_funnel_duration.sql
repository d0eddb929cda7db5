-- The funnel's time in stage stored once per entry, in integer microseconds.
--
-- A quarter's funnel reads every exited entry's time in stage (~100,000 entries on a 1M-lead workspace). Computing
-- `extract(epoch from exited_at - at) * 1000` per entry and per read, as a numeric turned into text, was most of the
-- funnel's database time. duration_us holds it exactly (exited_at - at in microseconds, null while in the stage),
-- written by the refresh from the one definition below, and the index of exited entries carries it instead of
-- exited_at, so the read stays index-only and sends the integers packed.

alter table funnel_entry add column duration_us bigint;

-- The entries of some leads, from the ledger (as in 0007, with the time in stage appended as the table's last column).
create or replace function funnel_entries_of(ids bigint[]) returns setof funnel_entry language sql stable as $$
  select e.workspace_id, e.lead_id, e.seq, e.stage, e.at,
    lag(e.at) over (partition by e.lead_id, e.stage order by e.at, e.seq) as prev_at,
    x.exited_at, x.later_stages,
    l.source, l.medium, l.campaign, l.tier, l.owner_rep_id, a.segment, a.industry,
    (extract(epoch from x.exited_at - e.at) * 1000000)::bigint as duration_us
  from (
    select l.workspace_id, l.id as lead_id, 0::bigint as seq, 'Lead'::text as stage,
      coalesce(l.first_event_at, l.created_at) as at
    from lead l where l.id = any(ids)
    union all
    select t.workspace_id, t.lead_id, t.id, t.to_stage, t.at from stage_transition t where t.lead_id = any(ids)
  ) e
  join lead l on l.id = e.lead_id
  left join account a on a.id = l.account_id
  cross join lateral (
    select min(n.at) filter (where n.at > e.at or n.id > e.seq) as exited_at,
      coalesce(array_agg(distinct n.to_stage), '{}') as later_stages
    from stage_transition n where n.lead_id = e.lead_id and n.at >= e.at
  ) x
$$;

-- Existing entries. Only duration_us changes, so funnel_day's counts do not: its update trigger is off meanwhile
-- (it would add and subtract every entry), in this transaction only. The index goes first and is built once after.
drop index funnel_entry_exited;
alter table funnel_entry disable trigger funnel_day_entry_update;
update funnel_entry set duration_us = (extract(epoch from exited_at - at) * 1000000)::bigint
where exited_at is not null;
alter table funnel_entry enable trigger funnel_day_entry_update;
alter table funnel_entry add constraint funnel_entry_duration check ((duration_us is null) = (exited_at is null));

-- The entries with a time in stage, read on their own for the durations (0011's index, carrying duration_us).
create index funnel_entry_exited on funnel_entry (workspace_id, at) include (stage, prev_at, duration_us, source,
  medium, campaign, tier, owner_rep_id, segment, industry) where exited_at is not null;
analyze funnel_entry;
