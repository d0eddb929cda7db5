/**
 * Shapes of `GET /v1/leads` and `GET /v1/leads/:ref` as the dashboard reads them (server: src/leads/leads.queries.ts).
 * Instants inside the engine's explanation (`stages[].enteredAt`) are epoch milliseconds; row timestamps are ISO.
 */

import type { SlaStatus } from '../queue/queue-types.ts'

export const STAGES = [
  'Lead',
  'MQL',
  'AQL',
  'SAL',
  'SQL',
  'Opportunity',
  'Won',
  'Lost',
  'Recycled',
  'Disqualified',
] as const

export type HandoffStatus = 'not_qualified' | 'needs_data' | 'ready'

export type LeadRow = {
  id: number
  stage: string
  stage_entered_at: string
  tier: string | null
  fit: number
  intent: number
  needs_data: string[]
  owner_rep_id: string | null
  source: string | null
  campaign: string | null
  last_event_at: string | null
  /** The latest SLA clock's state and due instant (null: the lead never had a clock). */
  sla_status: SlaStatus | null
  sla_due_at: string | null
  email: string
  first_name: string | null
  last_name: string | null
  title: string | null
  domain: string | null
  account_name: string | null
}

export type LeadList = { leads: LeadRow[]; total: number; limit: number; offset: number }

export type LeadDetail = {
  id: number
  cycle: number
  person: {
    email: string
    first_name: string | null
    last_name: string | null
    title: string | null
    persona: string | null
  }
  account: {
    domain: string
    name: string | null
    industry: string | null
    employees: number | null
    country: string | null
  } | null
  stage: string
  stage_entered_at: string
  tier: string | null
  /** null for a lead loaded without the engine's state (see `scores_unavailable`). */
  handoff: HandoffStatus | null
  needs_data: string[]
  disqualified_reason: string | null
  owner_rep_id: string | null
  agreement: { version_id: number | null; hash: string | null }
  source: string | null
  medium: string | null
  campaign: string | null
  first_event_at: string | null
  last_event_at: string | null
  /** The last transition's sentence. */
  explanation: string | null
  /** The stored figures the list shows; `scores` explains them. */
  fit: number | null
  intent: number | null
  /** Why `scores` is null: scored before any Agreement, or a row loaded without the engine's state (bench, seeds). */
  scores_unavailable: 'no_agreement' | 'no_engine_state' | null
  scores: {
    as_of: string
    fit: {
      score: number
      parts: { id: string; name: string; points: number }[]
      unknown: { id: string; name: string; kind: 'criterion' | 'disqualifier'; missing: string[] }[]
      disqualifier: { id: string; name: string; reason: string; reasons: string[] } | null
      lines: string[]
    }
    intent: { score: number; lines: string[] }
    signals: { name: string; holds: boolean; line: string }[]
  } | null
  stages: { stage: string; enteredAt: number; exitedAt: number | null; durationMs: number; line: string }[]
  transitions: {
    from_stage: string
    to_stage: string
    at: string
    rule: string
    reasons: unknown
    explanation: string
    actor: string
    agreement_version_id: number | null
    agreement_hash: string | null
  }[]
}
