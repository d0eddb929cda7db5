/** Kysely table types: one per table in migrations/*.sql. snake_case columns, as in SQL. */
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>
type Id = ColumnType<number, never, never>

export type WorkspaceTable = { id: Generated<number> & Id; slug: string; name: string; created_at: DefaultTimestamp }

export type Role = 'admin' | 'marketing' | 'sales' | 'rep' | 'ingest'

export type ApiKeyTable = {
  id: Generated<number> & Id
  workspace_id: number
  name: string
  role: Role
  prefix: string
  hash: string
  rep_id: string | null
  created_at: DefaultTimestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export type AgreementStatus = 'proposed' | 'signed' | 'active' | 'superseded' | 'withdrawn'

export type AgreementVersionTable = {
  id: Generated<number> & Id
  workspace_id: number
  hash: string
  title: string
  source: string
  document: Json<unknown>
  effective_from: Timestamp
  status: AgreementStatus
  proposed_by: string
  proposed_at: DefaultTimestamp
  activated_at: Timestamp | null
  superseded_at: Timestamp | null
}

export type AgreementSignatureTable = {
  agreement_version_id: number
  workspace_id: number
  side: 'marketing' | 'sales'
  signer: string
  key_id: number | null
  signed_at: DefaultTimestamp
}

export type AccountTable = {
  id: Generated<number> & Id
  workspace_id: number
  domain: string
  name: string | null
  industry: string | null
  employees: number | null
  revenue: ColumnType<number | null, number | null | undefined, number | null>
  country: string | null
  region: string | null
  state: string | null
  segment: string | null
  technologies: ColumnType<string[], string[] | undefined, string[]>
  owner: string | null
  external_id: string | null
  attributes: Json
  engagement: Json<unknown> | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type PersonTable = {
  id: Generated<number> & Id
  workspace_id: number
  email: string
  first_name: string | null
  last_name: string | null
  title: string | null
  phone: string | null
  country: string | null
  account_id: number | null
  external_id: string | null
  attributes: Json
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type AnonymousIdentityTable = {
  workspace_id: number
  anonymous_id: string
  person_id: number
  stitched_at: DefaultTimestamp
}

export type EventTable = {
  workspace_id: number
  id: string
  seq: Generated<number> & Id
  type: string
  occurred_at: Timestamp
  received_at: DefaultTimestamp
  person_id: number | null
  anonymous_id: string | null
  account_id: number | null
  properties: Json
  source: string | null
  medium: string | null
  campaign: string | null
  content: string | null
  term: string | null
}

export type OpportunityTable = {
  id: Generated<number> & Id
  workspace_id: number
  external_id: string
  account_id: number | null
  name: string | null
  amount: ColumnType<number | null, number | null | undefined, number | null>
  stage: string
  is_closed: boolean
  is_won: boolean
  opened_at: Timestamp | null
  closed_at: Timestamp | null
  owner: string | null
  source: string | null
  lost_reason: string | null
  attributes: Json
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type OpportunityContactTable = { opportunity_id: number; person_id: number; role: string | null }

export type AuditLogTable = {
  id: Generated<number> & Id
  workspace_id: number
  at: DefaultTimestamp
  actor: string
  action: string
  subject: string | null
  details: Json
}

export type LeadTable = {
  id: Generated<number> & Id
  workspace_id: number
  person_id: number
  account_id: number | null
  cycle: ColumnType<number, number | undefined, number>
  stage: string
  stage_entered_at: Timestamp
  fit: number | null
  intent: number | null
  tier: string | null
  needs_data: ColumnType<string[], string[] | undefined, string[]>
  disqualified_reason: string | null
  owner_rep_id: string | null
  agreement_version_id: number | null
  state: Json<unknown>
  /** The state's hot keys when newer than `state`'s (migration 0013, src/leads/stored-state.ts). */
  state_hot: Json<unknown> | null
  engagement_share: Json<unknown> | null
  source: string | null
  medium: string | null
  campaign: string | null
  first_event_at: Timestamp | null
  last_event_at: Timestamp | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  closed_at: Timestamp | null
}

export type StageTransitionTable = {
  id: Generated<number> & Id
  workspace_id: number
  lead_id: number
  from_stage: string | null
  to_stage: string
  at: Timestamp
  rule: string
  agreement_version_id: number | null
  reasons: Json<unknown>
  explanation: string
  actor: ColumnType<string, string | undefined, string>
  recorded_at: DefaultTimestamp
}

export type AccountSignalTable = {
  id: Generated<number> & Id
  workspace_id: number
  account_id: number
  type: string
  at: Timestamp
  details: Json
  source: string | null
}

/** Roles a person may log in with; `ingest` principals never log in. */
export type LoginRole = 'admin' | 'marketing' | 'sales' | 'rep'

export type AppUserTable = {
  id: Generated<number> & Id
  workspace_id: number
  username: string
  display_name: string
  role: LoginRole
  rep_id: string | null
  password_hash: string
  created_at: DefaultTimestamp
  disabled_at: Timestamp | null
}

export type SessionTable = {
  id: string
  workspace_id: number
  api_key_id: number | null
  user_id: number | null
  role: LoginRole
  rep_id: string | null
  csrf_token: string
  created_at: DefaultTimestamp
  expires_at: Timestamp
  last_seen_at: DefaultTimestamp
}

export type DB = {
  workspace: WorkspaceTable
  api_key: ApiKeyTable
  agreement_version: AgreementVersionTable
  agreement_signature: AgreementSignatureTable
  account: AccountTable
  person: PersonTable
  anonymous_identity: AnonymousIdentityTable
  event: EventTable
  opportunity: OpportunityTable
  opportunity_contact: OpportunityContactTable
  audit_log: AuditLogTable
  lead: LeadTable
  stage_transition: StageTransitionTable
  account_signal: AccountSignalTable
  app_user: AppUserTable
  session: SessionTable
  pool_state: PoolStateTable
  assignment: AssignmentTable
  sla_clock: SlaClockTable
  sla_timer: SlaTimerTable
  sla_clock_event: SlaClockEventTable
  lead_activity: LeadActivityTable
  disposition: DispositionTable
  notification_endpoint: NotificationEndpointTable
  outbox: OutboxTable
  review_pack: ReviewPackTable
  action_item: ActionItemTable
  rep_status: RepStatusTable
  funnel_entry: FunnelEntryTable
  funnel_day: FunnelDayTable
  qualification_backlog: QualificationBacklogTable
}

// Handoff (migration 0005): pool state, assignments, SLA clocks and timers, rep activity, dispositions, endpoints
// and the outbox.
export type PoolStateTable = {
  workspace_id: number
  pool: string
  state: Json<unknown>
  version: ColumnType<number, number | undefined, number>
  updated_at: DefaultTimestamp
}

export type AssignmentReason = 'routed' | 'reassigned' | 'manual'

export type AssignmentTable = {
  id: Generated<number> & Id
  workspace_id: number
  lead_id: number
  rep_id: string | null
  rule: string | null
  pool: string | null
  via_backup: ColumnType<boolean, boolean | undefined, boolean>
  pool_version: number | null
  trace: Json<unknown>
  reason: AssignmentReason
  agreement_version_id: number | null
  assigned_at: Timestamp
  ended_at: Timestamp | null
}

export type SlaClockStatus = 'running' | 'paused' | 'breached' | 'met' | 'cancelled'

export type SlaClockTable = {
  id: Generated<number> & Id
  workspace_id: number
  lead_id: number
  assignment_id: number
  rep_id: string
  kind: ColumnType<'first_touch', 'first_touch' | undefined, 'first_touch'>
  calendar: string
  agreement_version_id: number
  status: SlaClockStatus
  late: ColumnType<boolean, boolean | undefined, boolean>
  target_ms: number
  due_at: Timestamp | null
  warn_at: Timestamp | null
  started_at: Timestamp
  met_at: Timestamp | null
  breached_at: Timestamp | null
  cancelled_at: Timestamp | null
  state: Json<unknown>
  updated_at: DefaultTimestamp
}

export type SlaTimerTable = {
  id: Generated<number> & Id
  workspace_id: number
  clock_id: number
  key: string
  due_at: Timestamp
  fired_at: Timestamp | null
  outcome: string | null
}

// Migration 0008: the history of each SLA clock.
export type SlaClockEventKind =
  | 'started'
  | 'paused'
  | 'resumed'
  | 'recomputed'
  | 'warned'
  | 'breached'
  | 'escalated'
  | 'met'
  | 'cancelled'

export type SlaClockEventTable = {
  id: Generated<number> & Id
  workspace_id: number
  clock_id: number
  kind: SlaClockEventKind
  at: Timestamp
  actor: string
  reason_code: string | null
  note: string | null
  reason: string
  status: SlaClockStatus
  consumed_ms: number
  due_at: Timestamp | null
  agreement_version_id: number
  recorded_at: Timestamp
}

export type LeadActivityTable = {
  id: Generated<number> & Id
  workspace_id: number
  lead_id: number
  kind: string
  channel: string | null
  rep_id: string | null
  actor: string
  at: Timestamp
  note: string | null
  external_id: string | null
  recorded_at: DefaultTimestamp
}

export type DispositionOutcome = 'accept' | 'reject' | 'recycle'

export type DispositionTable = {
  id: Generated<number> & Id
  workspace_id: number
  lead_id: number
  outcome: DispositionOutcome
  reason_code: string
  note: string | null
  by_actor: string
  rep_id: string | null
  at: Timestamp
  nurture_until: Timestamp | null
  agreement_version_id: number | null
  source: string | null
  campaign: string | null
}

export type EndpointKind = 'slack' | 'email' | 'webhook'

export type NotificationEndpointTable = {
  id: Generated<number> & Id
  workspace_id: number
  kind: EndpointKind
  name: string
  url: string | null
  secret: string | null
  email_to: string | null
  rep_id: string | null
  team: string | null
  topics: ColumnType<string[], string[] | undefined, string[]>
  created_at: DefaultTimestamp
  disabled_at: Timestamp | null
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead'

export type OutboxTable = {
  id: Generated<number> & Id
  workspace_id: number
  endpoint_id: number
  kind: EndpointKind
  idempotency_id: string
  topic: string
  lead_id: number | null
  payload: Json<unknown>
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Timestamp
  last_error: string | null
  created_at: Timestamp
  delivered_at: Timestamp | null
}

// Analytics (migration 0006): generated review packs and their action items.
export type ReviewPackKindColumn = 'weekly_pipeline' | 'monthly_sla_health' | 'quarterly_icp'

export type ReviewPackTable = {
  id: Generated<number> & Id
  workspace_id: number
  kind: ReviewPackKindColumn
  period: string
  generated_at: Timestamp
  markdown: string
  html: string
  data: Json<unknown>
}

export type ActionItemTable = {
  id: Generated<number> & Id
  workspace_id: number
  pack_kind: ReviewPackKindColumn
  key: string
  text: string
  owner: string | null
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>
  created_at: DefaultTimestamp
  closed_at: Timestamp | null
}

// Rep status (migration 0009): the operational overlay on the Agreement's reps (out of office, active override).
export type RepStatusOutOfOffice = { from: string; to: string; note?: string }

export type RepStatusTable = {
  workspace_id: number
  rep_id: string
  active: boolean | null
  out_of_office: Json<RepStatusOutOfOffice[]>
  note: string | null
  updated_by: string
  updated_at: Timestamp
}

// The funnel's pre-aggregate (migration 0007): one row per stage entry of a lead, kept equal to the ledger by
// triggers. Read by src/analytics/funnel.queries.ts; never written by application code.
export type FunnelEntryTable = {
  workspace_id: number
  lead_id: number
  /** 0 for the entry into Lead at the lead's first event; else the stage transition's id. */
  seq: number
  stage: string
  at: Timestamp
  prev_at: Timestamp | null
  exited_at: Timestamp | null
  later_stages: string[]
  source: string | null
  medium: string | null
  campaign: string | null
  tier: string | null
  owner_rep_id: string | null
  segment: string | null
  industry: string | null
  /** exited_at - at in microseconds (migration 0012); null while in the stage. */
  duration_us: number | null
}

// The funnel's counts per UTC day (migration 0011): first entries per (day, stage, one breakdown value, stages entered
// later), written as changes by a trigger on funnel_entry and merged by funnel_day_compact(). Read by
// src/analytics/funnel.queries.ts; never written by application code.
export type FunnelDayTable = {
  workspace_id: number
  day: string
  stage: string
  /** '' for every entry, else source, medium, campaign, tier, owner, segment or industry. */
  dim: string
  value: string | null
  later_stages: string[]
  entered: number
  compacted: ColumnType<boolean, boolean | undefined, boolean>
}

// Events stored and waiting for qualification (migration 0014, src/leads/qualify-backlog.ts).
export type QualificationBacklogTable = {
  id: Generated<number> & Id
  workspace_id: number
  part: number
  event_ids: string[]
  created_at: DefaultTimestamp
}
