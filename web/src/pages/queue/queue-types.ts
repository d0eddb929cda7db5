/**
 * Shapes of the handoff API as My queue reads them (server: src/handoff/handoff.queries.ts, src/core/brief,
 * src/handoff/record-touch.ts, src/handoff/record-disposition.ts). Instants are ISO strings in UTC.
 */

export type SlaStatus = 'running' | 'paused' | 'breached' | 'met' | 'cancelled'

/**
 * A clock in business time as the server measured it at `as_of` (src/handoff/handoff.queries.ts `ClockNow`):
 * business ms used and left in the owner's calendar (left < 0 once past due), whether it was ticking, and when the
 * calendar next opens or closes. Null fields when the lead has no clock.
 */
export type ClockNow = {
  time_zone: string | null
  as_of: string | null
  consumed_business_ms: number | null
  remaining_business_ms: number | null
  ticking: boolean | null
  calendar_open: boolean | null
  next_change_at: string | null
}

/** One row of `GET /v1/queue`: an open lead of the rep, most urgent SLA first. */
export type QueueLead = ClockNow & {
  lead_id: number
  email: string
  name: string | null
  company: string | null
  stage: string
  tier: string | null
  assigned_at: string | null
  sla_status: SlaStatus | null
  due_at: string | null
  warn_at: string | null
  breached_at: string | null
  calendar: string | null
  target_ms: number | null
  /** The reason code of the pause while the clock is paused (the Agreement's sla.pause_when). */
  pause_reason: string | null
}

export type Queue = { rep: string; leads: QueueLead[] }

/** `GET /v1/leads/:ref/brief` → `brief`: the handoff brief, every line already in the rep's time zone. */
export type Brief = {
  leadId: string
  agreementVersion: string
  headline: string
  who: string
  company: string
  whatTheyDid: string[]
  contentEngaged: string[]
  trigger: string
  whyThisRep: string[]
  due: string | null
  icpMatched: string[]
  scores: string
  suggestedOpener: string
  owner: string
  facts: Record<string, string>
}

export type BriefResponse = { lead_id: number; brief: Brief; markdown: string; text: string }

/** One entry of a clock's history (sla_clock_event). */
export type ClockHistoryEntry = {
  kind: 'started' | 'paused' | 'resumed' | 'recomputed' | 'warned' | 'breached' | 'escalated' | 'met' | 'cancelled'
  at: string
  actor: string
  reason_code: string | null
  note: string | null
  reason: string
  status: SlaStatus
  consumed_ms: number
  due_at: string | null
}

export type SlaClock = ClockNow & {
  id: number
  rep_id: string
  kind: string
  calendar: string
  status: SlaStatus
  late: boolean
  target_ms: number
  started_at: string
  due_at: string | null
  warn_at: string | null
  met_at: string | null
  breached_at: string | null
  cancelled_at: string | null
  due_reason: string | null
  history: ClockHistoryEntry[]
}

export type SlaResponse = { lead_id: number; clocks: SlaClock[] }

export const TOUCH_CHANNELS = ['call', 'email', 'linkedin', 'meeting'] as const
export type TouchChannel = (typeof TOUCH_CHANNELS)[number]

export type TouchResult = {
  leadId: number
  activityId: number
  firstTouch: boolean
  duplicate: boolean
  clock: { id: number; status: string; late: boolean; reason: string } | null
}

export type Outcome = 'accept' | 'reject' | 'recycle'

export type DispositionResult = {
  leadId: number
  dispositionId: number
  outcome: Outcome
  reasonCode: string
  stage: string
  nurtureUntil: string | null
  explanation: string
}
