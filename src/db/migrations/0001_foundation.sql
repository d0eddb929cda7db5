-- Foundation: workspaces, keys, the Agreement's versions, the records (accounts, people, opportunities) and the
-- append-only event log. Every row carries workspace_id (the future Citus distribution key).

create table workspace (
  id bigint generated always as identity primary key,
  slug text not null unique,
  name text not null,
  created_at timestamptz not null default now()
);

create table api_key (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  name text not null,
  role text not null check (role in ('admin', 'marketing', 'sales', 'rep', 'ingest')),
  -- The visible start of the key ("acc_ab12cd34"), for listing; the secret is stored only as a SHA-256 hash.
  prefix text not null,
  hash text not null unique,
  -- For `rep` keys: the rep (Agreement rep id) whose leads the key may act on.
  rep_id text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_key_workspace on api_key (workspace_id);

create table agreement_version (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  -- sha256 of the canonical content: the version's identity.
  hash text not null,
  title text not null,
  source text not null,
  document jsonb not null,
  effective_from timestamptz not null,
  status text not null check (status in ('proposed', 'signed', 'active', 'superseded', 'withdrawn')),
  proposed_by text not null,
  proposed_at timestamptz not null default now(),
  activated_at timestamptz,
  superseded_at timestamptz,
  unique (workspace_id, hash)
);
create index agreement_version_status on agreement_version (workspace_id, status, effective_from);

create table agreement_signature (
  agreement_version_id bigint not null references agreement_version(id),
  workspace_id bigint not null references workspace(id),
  side text not null check (side in ('marketing', 'sales')),
  signer text not null,
  key_id bigint references api_key(id),
  signed_at timestamptz not null default now(),
  primary key (agreement_version_id, side)
);

create table account (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  domain text not null,
  name text,
  industry text,
  employees integer,
  revenue numeric,
  country text,
  region text,
  state text,
  segment text,
  technologies text[] not null default '{}',
  owner text,
  external_id text,
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, domain)
);

create table person (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  email text not null,
  first_name text,
  last_name text,
  title text,
  phone text,
  country text,
  account_id bigint references account(id),
  external_id text,
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, email)
);
create index person_account on person (account_id);

-- An anonymous visitor id stitched to the person who later identified with it. First identification wins.
create table anonymous_identity (
  workspace_id bigint not null references workspace(id),
  anonymous_id text not null,
  person_id bigint not null references person(id),
  stitched_at timestamptz not null default now(),
  primary key (workspace_id, anonymous_id)
);

create table event (
  workspace_id bigint not null references workspace(id),
  -- The sender's id: the idempotency key.
  id text not null,
  seq bigint generated always as identity,
  type text not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  person_id bigint references person(id),
  anonymous_id text,
  account_id bigint references account(id),
  properties jsonb not null default '{}',
  source text,
  medium text,
  campaign text,
  content text,
  term text,
  primary key (workspace_id, id)
);
create index event_person_time on event (person_id, occurred_at) where person_id is not null;
create index event_anonymous on event (workspace_id, anonymous_id) where anonymous_id is not null and person_id is null;
create index event_workspace_time on event (workspace_id, occurred_at);

create table opportunity (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  external_id text not null,
  account_id bigint references account(id),
  name text,
  amount numeric,
  stage text not null,
  is_closed boolean not null default false,
  is_won boolean not null default false,
  opened_at timestamptz,
  closed_at timestamptz,
  owner text,
  source text,
  lost_reason text,
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);
create index opportunity_account on opportunity (account_id);

create table opportunity_contact (
  opportunity_id bigint not null references opportunity(id),
  person_id bigint not null references person(id),
  role text,
  primary key (opportunity_id, person_id)
);

create table audit_log (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  subject text,
  details jsonb not null default '{}'
);
create index audit_log_workspace_at on audit_log (workspace_id, at);
