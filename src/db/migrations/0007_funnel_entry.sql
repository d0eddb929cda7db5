-- The funnel's pre-aggregate, and a covering index for the touch ledger (attribution).
--
-- funnel_entry: one row per stage entry of a lead (its entry into Lead at its first event, and every
-- stage transition), with what the funnel measures of it computed once — the previous entry into the same stage, the
-- exit (the lead's next transition), the stages the lead entered at or after it — and the lead's breakdown
-- dimensions copied in. The funnel of a period (src/analytics/funnel.queries.ts) reads a range of this table and
-- nothing else, instead of re-walking every cohort lead's history and joining lead and account.
--
-- What must stay true: every row equals what funnel_entries_of() computes from the ledger (lead, account,
-- stage_transition) at this instant. Triggers on those three tables keep it so, in the writing transaction: every
-- writer (qualification, dispositions, routing, imports, replays, repair scripts, test factories) is covered without
-- having to know about this table, and a crash can never leave it behind the ledger. `team` is not stored: it comes
-- from the Agreement in force (rep -> team) when the funnel is read.

create table funnel_entry (
  workspace_id bigint not null,
  lead_id bigint not null,
  -- 0 for the entry into Lead at the lead's first event (no transition row records it); else the transition's id.
  seq bigint not null,
  stage text not null,
  at timestamptz not null,
  -- The lead's previous entry into the same stage, in (at, seq) order; null for the first. An entry is the one a
  -- period's cohort counts exactly when prev_at is null or before the period's start.
  prev_at timestamptz,
  -- The lead's next transition: the first with (at, id) after this entry's (at, seq); null while in the stage.
  exited_at timestamptz,
  -- Every stage the lead entered by a transition at or after `at` (the funnel's "advanced" for any stage list).
  later_stages text[] not null,
  source text,
  medium text,
  campaign text,
  tier text,
  owner_rep_id text,
  segment text,
  industry text,
  primary key (lead_id, seq)
);
-- A period's entries, read index-only: the table is derived, so the index may carry everything the funnel reads.
create index funnel_entry_period on funnel_entry (workspace_id, at) include (stage, prev_at, exited_at, later_stages,
  source, medium, campaign, tier, owner_rep_id, segment, industry);

-- The entries of some leads, from the ledger. The one definition: the triggers and the backfill below use it, and the
-- tests compare the table with it.
create function funnel_entries_of(ids bigint[]) returns setof funnel_entry language sql stable as $$
  select e.workspace_id, e.lead_id, e.seq, e.stage, e.at,
    lag(e.at) over (partition by e.lead_id, e.stage order by e.at, e.seq) as prev_at,
    x.exited_at, x.later_stages,
    l.source, l.medium, l.campaign, l.tier, l.owner_rep_id, a.segment, a.industry
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

-- Concurrency: every writer of a lead holds that lead's row lock (qualification updates it, actions lock it), so two
-- refreshes of one lead never interleave. An account's segment or industry can change under a refresh, though; the
-- account rows are share-locked first, and each statement here reads a fresh snapshot, so a refresh either waits for
-- that change or is waited for by its trigger — never copies a value about to be replaced.
create function funnel_entry_refresh(ids bigint[]) returns void language plpgsql as $$
begin
  perform 1 from account a where a.id in (select l.account_id from lead l where l.id = any(ids))
    order by a.id for share of a;
  delete from funnel_entry where lead_id = any(ids);
  insert into funnel_entry select * from funnel_entries_of(ids);
end $$;

-- New leads and any change to transitions: the leads concerned are recomputed whole (a lead has a handful of
-- entries). Statement-level with transition tables, so a batch of 500 leads is one set-based refresh.
create function funnel_entry_on_lead_insert() returns trigger language plpgsql as $$
begin
  perform funnel_entry_refresh(array(select id from new_rows));
  return null;
end $$;
create trigger funnel_entry_lead_insert after insert on lead
  referencing new table as new_rows for each statement execute function funnel_entry_on_lead_insert();

create function funnel_entry_on_transition_insert() returns trigger language plpgsql as $$
begin
  perform funnel_entry_refresh(array(select distinct lead_id from new_rows));
  return null;
end $$;
create trigger funnel_entry_transition_insert after insert on stage_transition
  referencing new table as new_rows for each statement execute function funnel_entry_on_transition_insert();

-- The ledger is append-only; a repair that edits or deletes transitions still leaves the funnel true.
create function funnel_entry_on_transition_change() returns trigger language plpgsql as $$
begin
  perform funnel_entry_refresh(array(select lead_id from old_rows union select lead_id from new_rows));
  return null;
end $$;
create trigger funnel_entry_transition_update after update on stage_transition
  referencing old table as old_rows new table as new_rows for each statement
  execute function funnel_entry_on_transition_change();

create function funnel_entry_on_transition_delete() returns trigger language plpgsql as $$
begin
  perform funnel_entry_refresh(array(select distinct lead_id from old_rows));
  return null;
end $$;
create trigger funnel_entry_transition_delete after delete on stage_transition
  referencing old table as old_rows for each statement execute function funnel_entry_on_transition_delete();

create function funnel_entry_on_lead_delete() returns trigger language plpgsql as $$
begin
  delete from funnel_entry where lead_id in (select id from old_rows);
  return null;
end $$;
create trigger funnel_entry_lead_delete after delete on lead
  referencing old table as old_rows for each statement execute function funnel_entry_on_lead_delete();

-- Lead updates are the hot path (every qualified batch rewrites its leads), and few change what the funnel reads:
-- a row trigger whose WHEN is checked without calling anything, so an update that changes none of these costs nothing.
create function funnel_entry_on_lead_update() returns trigger language plpgsql as $$
begin
  if new.first_event_at is distinct from old.first_event_at or new.created_at is distinct from old.created_at then
    perform funnel_entry_refresh(array[new.id]);
  else
    perform 1 from account where id = new.account_id for share;
    update funnel_entry f set source = new.source, medium = new.medium, campaign = new.campaign, tier = new.tier,
        owner_rep_id = new.owner_rep_id, segment = a.segment, industry = a.industry
      from (select 1) one left join account a on a.id = new.account_id
      where f.lead_id = new.id;
  end if;
  return null;
end $$;
create trigger funnel_entry_lead_update after update on lead for each row
  when (new.first_event_at is distinct from old.first_event_at or new.created_at is distinct from old.created_at
    or new.source is distinct from old.source
    or new.medium is distinct from old.medium or new.campaign is distinct from old.campaign
    or new.tier is distinct from old.tier or new.owner_rep_id is distinct from old.owner_rep_id
    or new.account_id is distinct from old.account_id)
  execute function funnel_entry_on_lead_update();

create function funnel_entry_on_account_update() returns trigger language plpgsql as $$
begin
  update funnel_entry f set segment = new.segment, industry = new.industry
    from lead l where l.account_id = new.id and f.lead_id = l.id;
  return null;
end $$;
create trigger funnel_entry_account_update after update on account for each row
  when (new.segment is distinct from old.segment or new.industry is distinct from old.industry)
  execute function funnel_entry_on_account_update();

-- The touch ledger read index-only: attribution reads every marketing touch of the accounts of a period's
-- opportunities (tens of thousands of events scattered over the event log); the covering index keeps them together
-- and spares a heap page per touch. It replaces 0006's event_account_touch, whose key it starts with.
create index event_account_touch_covering on event (account_id, occurred_at) include (seq, source, medium, campaign)
  where account_id is not null and (source is not null or medium is not null or campaign is not null);
drop index event_account_touch;

-- Existing leads, in the migration's transaction: the table is complete from the moment it exists.
select funnel_entry_refresh(array(select id from lead order by id));
analyze funnel_entry;
