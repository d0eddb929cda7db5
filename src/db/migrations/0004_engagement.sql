-- Account engagement for account-qualified leads (AQL): the account's decayed intent sums per persona, kept in
-- the account row and updated in O(1) per event (src/core/engine/account-engagement.ts), and each lead's last
-- share of it, so the engine can replace that share when the lead's intent moves.
alter table account add column engagement jsonb;
alter table lead add column engagement_share jsonb;
