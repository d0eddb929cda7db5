-- Dashboard log-in: people with a username and password created by an admin, and server-side sessions behind the
-- HTTP-only `accord_session` cookie. A session stands for exactly one principal: an API key or a user.

create table app_user (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  username text not null,
  display_name text not null,
  -- `ingest` is refused: an ingest principal sends data and never logs in.
  role text not null check (role in ('admin', 'marketing', 'sales', 'rep')),
  -- For `rep` users: the rep (Agreement rep id) whose leads they see and act on.
  rep_id text,
  -- `scrypt$N$r$p$<salt base64url>$<hash base64url>`: the parameters travel with the hash so they can be raised
  -- later without invalidating existing passwords.
  password_hash text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check (role <> 'rep' or rep_id is not null)
);
-- Usernames are compared case-insensitively: "Priya" and "priya" are one person.
create unique index app_user_workspace_username on app_user (workspace_id, lower(username));

create table session (
  -- sha256 (hex) of the random token in the cookie: a database read never yields a usable cookie.
  id text primary key,
  workspace_id bigint not null references workspace(id),
  api_key_id bigint references api_key(id),
  user_id bigint references app_user(id),
  role text not null check (role in ('admin', 'marketing', 'sales', 'rep')),
  rep_id text,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now(),
  check ((api_key_id is null) <> (user_id is null))
);
create index session_by_user on session (user_id) where user_id is not null;
create index session_by_api_key on session (api_key_id) where api_key_id is not null;
create index session_by_expiry on session (expires_at);
