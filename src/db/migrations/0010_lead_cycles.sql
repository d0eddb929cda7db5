-- Lead cycles and versions: indexes for the re-evaluation sweep and for starting a new cycle after a closed one.

-- Open leads by the Agreement version they were last decided under. When a new version becomes active, the
-- re-evaluation sweep (src/leads/reevaluate-open-leads.ts) reads the open leads decided under any other version
-- through this index, a batch at a time, until none are left; a workspace whose leads are all current costs two
-- empty index probes per round.
create index lead_open_version on lead (workspace_id, agreement_version_id) where closed_at is null;

-- A person's closed lead cycles (Won, Lost), newest first: the person's next event starts cycle N + 1 from the
-- latest one (src/leads/qualify-events.ts).
create index lead_closed_person on lead (person_id, cycle desc) where closed_at is not null;
