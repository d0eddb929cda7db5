-- The part of a lead's engine state that every event moves, stored apart from the rest.
--
-- Each scored event moves a lead's intent aggregates, its event count and its latest event instant; the rest of the
-- state (fit with its parts, the aggregates' layout, the stage history, lead fields, tier, explanation — ~2 KB of the
-- state's ~2.4 KB) changes on ~4 % of a lead's updates (measured on the demo quarter). Rewriting the whole document
-- for every batch cost PostgreSQL ~70 µs a lead (parsing, compressing and logging ~2 KB). `state_hot` holds those
-- three keys when they are newer than `state`'s; the state is `state || coalesce(state_hot, '{}')` (src/leads/stored-state.ts),
-- and a write of the whole state sets `state_hot` back to null.
alter table lead add column state_hot jsonb;
