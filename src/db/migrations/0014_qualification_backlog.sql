-- Events stored now and qualified shortly after, in larger chunks (src/leads/qualify-backlog.ts).
--
-- `POST /v1/events?qualify=queued` stores a batch with rows here naming the events qualification must apply (those
-- with a person, and the visitors' earlier events the batch re-pointed), one per share (`part`) of the accounts, in
-- the batch's transaction. One qualifier per workspace and share takes its rows in id order, as many as make up to
-- ~10,000 events, qualifies them in one transaction and deletes them there: a killed process leaves its rows for the
-- next qualifier, nothing is applied twice.
create table qualification_backlog (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspace(id),
  part smallint not null,
  event_ids text[] not null,
  created_at timestamptz not null default now()
);
create index qualification_backlog_workspace on qualification_backlog (workspace_id, part, id);
