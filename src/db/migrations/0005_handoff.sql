-- The handoff: round-robin pool state, assignments with their routing trace, SLA clocks and their timers, first
-- touches and other rep activity, dispositions, notification endpoints and the transactional outbox.
-- Everything a handoff causes (assignment, clock, timers, outbox rows) is written in the transaction that
-- qualified the lead, so a crash can delay a notification or a timer but never lose it.

-- One row per routing pool: the fair round-robin state, locked (FOR UPDATE, in pool-name order) around every
-- routing decision that may use it. `version` goes up by one per decision; the update checks it.
create table pool_state (
  workspace_id bigint not null references workspace(id),
  pool text not null,
  state jsonb not null,
  version integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, pool)
);

-- Who owns a lead and why. `rep_id` null: routing found nobody (parked; the trace says why). The open
-- assignment of a lead is the one with `ended_at` null.
create table assignment (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  lead_id bigint not null references lead(id),
  rep_id text,
  rule text,
  pool text,
  via_backup boolean not null default false,
  -- The pool_state version this decision read (null for named owners): two decisions never share one.
  pool_version integer,
  trace jsonb not null,
  reason text not null check (reason in ('routed', 'reassigned', 'manual')),
  agreement_version_id bigint references agreement_version(id),
  assigned_at timestamptz not null,
  ended_at timestamptz
);
create unique index assignment_open_lead on assignment (lead_id) where ended_at is null;
create index assignment_rep_at on assignment (workspace_id, rep_id, assigned_at) where rep_id is not null;
create unique index assignment_pool_version on assignment (workspace_id, pool, pool_version)
  where pool_version is not null;

-- The SLA clock of one assignment, stamped with the calendar it counts in and the Agreement version it was
-- started under. `state` is the pure core's SlaClock (src/core/sla); the columns mirror it for queries.
-- `due_at` is null while paused and when the calendar never opens (the core's Infinity).
create table sla_clock (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  lead_id bigint not null references lead(id),
  assignment_id bigint not null references assignment(id),
  rep_id text not null,
  kind text not null default 'first_touch' check (kind in ('first_touch')),
  calendar text not null,
  agreement_version_id bigint not null references agreement_version(id),
  status text not null check (status in ('running', 'paused', 'breached', 'met', 'cancelled')),
  late boolean not null default false,
  target_ms bigint not null,
  due_at timestamptz,
  warn_at timestamptz,
  started_at timestamptz not null,
  met_at timestamptz,
  breached_at timestamptz,
  cancelled_at timestamptz,
  state jsonb not null,
  updated_at timestamptz not null default now()
);
create index sla_clock_lead on sla_clock (lead_id);
create index sla_clock_open on sla_clock (workspace_id, rep_id, due_at) where status in ('running', 'paused', 'breached');

-- Wake-ups for the timer poller: one per clock and timer key (warn, breach, escalation:N). The clock's state is
-- the authority (a timer fires once because the clock records it); these rows only say when to look.
create table sla_timer (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  clock_id bigint not null references sla_clock(id),
  key text not null,
  due_at timestamptz not null,
  fired_at timestamptz,
  outcome text,
  unique (clock_id, key)
);
create index sla_timer_due on sla_timer (due_at) where fired_at is null;

-- What a rep did with a lead: the first touch (call, email, meeting…), from the API, the CLI or a CRM sync.
-- `external_id` makes a synced activity idempotent.
create table lead_activity (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  lead_id bigint not null references lead(id),
  kind text not null,
  channel text,
  rep_id text,
  actor text not null,
  at timestamptz not null,
  note text,
  external_id text,
  recorded_at timestamptz not null default now()
);
create index lead_activity_lead on lead_activity (lead_id, at);
create unique index lead_activity_external on lead_activity (workspace_id, external_id) where external_id is not null;

create table disposition (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  lead_id bigint not null references lead(id),
  outcome text not null check (outcome in ('accept', 'reject', 'recycle')),
  reason_code text not null,
  note text,
  by_actor text not null,
  rep_id text,
  at timestamptz not null,
  nurture_until timestamptz,
  agreement_version_id bigint references agreement_version(id),
  -- Denormalised for the feedback loop: marketing reads reasons by source, campaign and segment.
  source text,
  campaign text
);
create index disposition_lead on disposition (lead_id);
create index disposition_reason on disposition (workspace_id, outcome, reason_code, at);

-- Where notifications go. A webhook's secret is stored readable: signing each attempt needs it (see
-- docs/decisions.md). `email_to` null: send to the person concerned (rep, manager, owner) from the Agreement.
-- Scope: `rep_id` / `team` narrow an endpoint to one rep's or one team's notifications; `topics` empty = all.
create table notification_endpoint (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  kind text not null check (kind in ('slack', 'email', 'webhook')),
  name text not null,
  url text,
  secret text,
  email_to text,
  rep_id text,
  team text,
  topics text[] not null default '{}',
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((kind = 'email') = (url is null)),
  check ((kind = 'webhook') = (secret is not null))
);
create index notification_endpoint_workspace on notification_endpoint (workspace_id) where disabled_at is null;

-- The transactional outbox: one row per notification and endpoint, written with the change that caused it.
-- A worker claims a row by pushing `next_attempt_at` one lease ahead (FOR UPDATE SKIP LOCKED), sends, then records
-- the outcome; a worker that dies mid-send leaves the row to be claimed again when the lease runs out, with the
-- same idempotency id.
create table outbox (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  endpoint_id bigint not null references notification_endpoint(id),
  kind text not null check (kind in ('slack', 'email', 'webhook')),
  idempotency_id text not null unique,
  topic text not null,
  lead_id bigint references lead(id),
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_error text,
  created_at timestamptz not null,
  delivered_at timestamptz
);
create index outbox_pending on outbox (next_attempt_at) where status = 'pending';
create index outbox_status on outbox (workspace_id, status, created_at);
