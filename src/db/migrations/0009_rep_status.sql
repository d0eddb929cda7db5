-- The operational rep status: who is out of office this week, who is switched off today. The signed Agreement
-- lists reps, teams, calendars and pools; availability changes day to day and must not wait for both owners to
-- sign a new version, so it lives here and routing merges it into the Agreement's reps before every decision
-- (src/core/routing/apply-rep-statuses.ts). One row per rep that has a status; no row = as the Agreement says.
-- Every change is also written to audit_log in the same transaction.
create table rep_status (
  workspace_id bigint not null references workspace(id),
  rep_id text not null,
  -- null: follow the Agreement's `active`; true/false: override it until cleared.
  active boolean,
  -- [{ "from": "2026-11-23", "to": "2026-11-24", "note": "Flu" }]: added to the Agreement's out_of_office.
  -- Dates are inclusive local dates in the rep's calendar zone; date-times carry their offset.
  out_of_office jsonb not null default '[]' check (jsonb_typeof(out_of_office) = 'array'),
  note text,
  updated_by text not null,
  updated_at timestamptz not null,
  primary key (workspace_id, rep_id)
);
