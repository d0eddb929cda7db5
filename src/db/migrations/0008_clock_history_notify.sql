-- SLA clock history, and wake-ups for the workers.
--
-- sla_clock_event: every change of an SLA clock with when, who and why — started at handoff, paused with a reason
-- code from the Agreement's `sla.pause_when` and resumed, re-planned after a calendar edit, warned, breached,
-- escalated, met by the first touch, cancelled. Written in the transaction that changed the clock. Clocks started
-- before this migration have no history rows.
create table sla_clock_event (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  clock_id bigint not null references sla_clock(id),
  kind text not null check (kind in ('started', 'paused', 'resumed', 'recomputed', 'warned', 'breached', 'escalated',
    'met', 'cancelled')),
  -- When the change took effect (a touch synced later may be earlier than recorded_at).
  at timestamptz not null,
  -- Who: `rep:ana_ruiz`, `sales:Marcus Feld`, `cli:…`, or `system` (routing, the timer poller, the re-planner).
  actor text not null,
  reason_code text,
  note text,
  -- The SLA core's sentence for the change ("paused Mon 09:10: 40 business minutes used of 1 business hour, …").
  reason text not null,
  -- The clock right after the change.
  status text not null,
  consumed_ms bigint not null,
  due_at timestamptz,
  agreement_version_id bigint not null references agreement_version(id),
  recorded_at timestamptz not null
);
create index sla_clock_event_clock on sla_clock_event (clock_id, id);

-- Workers LISTEN on these channels (src/handoff/workers.ts): a new outbox row or a new or moved timer wakes them at
-- once instead of at their next poll. Statement-level triggers, so the NOTIFY is part of the writing transaction
-- (delivered at commit, never for a rolled-back write) and one per statement, however many rows it wrote;
-- PostgreSQL folds identical notifications of one transaction into one. The empty payload only says "look".
create function accord_notify_outbox() returns trigger language plpgsql as $$
begin
  perform pg_notify('accord_outbox', '');
  return null;
end
$$;
create trigger outbox_notify after insert on outbox for each statement execute function accord_notify_outbox();

create function accord_notify_timers() returns trigger language plpgsql as $$
begin
  perform pg_notify('accord_timers', '');
  return null;
end
$$;
create trigger sla_timer_notify after insert or update on sla_timer for each statement
  execute function accord_notify_timers();
