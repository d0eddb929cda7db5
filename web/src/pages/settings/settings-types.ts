/** Shapes of the Settings APIs (server: src/reps/*.queries.ts, src/calendar/describe-agreement-calendars.ts,
 * src/handoff/manage-endpoints.ts, src/handoff/handoff.queries.ts). */

export type Unavailability =
  | { kind: 'unknown_rep' | 'zero_weight' }
  | { kind: 'inactive'; source?: 'agreement' | 'rep_status' }
  | { kind: 'out_of_office'; until: string; timeZone: string; note?: string; source?: 'agreement' | 'rep_status' }
  | { kind: 'unreadable_out_of_office'; index: number; text: string }
  | { kind: 'outside_hours'; opensAtMs: number | null; timeZone: string }
  | { kind: 'daily_cap' | 'weekly_cap'; cap: number; count: number }

export type Absence = {
  from: string
  to: string
  until: string
  note: string | null
  source: 'agreement' | 'rep_status'
}

export type OutOfOfficeEntry = { from: string; to: string; note?: string }

export type RepStatus = {
  rep_id: string
  active: boolean | null
  out_of_office: OutOfOfficeEntry[]
  note: string | null
  updated_by: string
  updated_at: string
}

export type OpenNow = { open_now: boolean; next_change_at: string | null }

export type RepView = {
  id: string
  name: string
  email: string
  role: string
  slack: string | null
  team: { id: string; name: string }
  calendar: { name: string; time_zone: string } & OpenNow
  active: boolean
  active_in_agreement: boolean
  availability: { available: boolean; reason: Unavailability | null; text: string | null }
  out_of_office: { current: Absence | null; upcoming: Absence[] }
  status: RepStatus | null
  capacity: { daily: number | null; weekly: number | null }
  load: { today: number; this_week: number }
  pools: { pool: string; weight: number }[]
  open_leads: number
  sla: { running: number; breached: number }
}

export type RepsResponse = { as_of: string; agreement: { version_id: number; hash: string }; reps: RepView[] }

export type RepDetail = RepView & {
  as_of: string
  history: { at: string; actor: string; after: Pick<RepStatus, 'active' | 'out_of_office' | 'note'> | null }[]
}

export type TeamView = {
  id: string
  name: string
  manager: { name: string; email: string; slack: string | null }
  slack_channel: string | null
  calendar: { name: string; time_zone: string } & OpenNow
  reps: string[]
  available_now: number
  open_leads: number
  breached: number
}

export type PoolMemberView = {
  rep: string
  name: string
  weight: number
  share: number
  status: 'next' | 'available' | 'skipped'
  reason: Unavailability | null
  reason_text: string | null
  capacity: { daily: number | null; weekly: number | null }
  load: { today: number; this_week: number }
}

export type PoolView = {
  id: string
  name: string
  backup: string | null
  backup_for: string[]
  respect_working_hours: boolean
  respect_capacity: boolean
  rules: { number: number; name: string }[]
  state: { version: number; updated_at: string } | null
  next_rep: string | null
  available: number
  members: PoolMemberView[]
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

export type CalendarView = {
  name: string
  time_zone: string
  local_now: string
  weekly: { day: Weekday; windows: { start: number; end: number; text: string }[] }[]
  weekly_minutes: number
  holidays: {
    country: string | null
    state: string | null
    year: number
    dates: { date: string; weekday: Weekday; name: string; source: 'seeded' | 'added' }[]
    removed: { date: string; name: string }[]
  }
  overrides: { date: string; hours: string[]; note: string | null }[]
  used_by: { teams: string[]; reps: string[] }
} & OpenNow

export type DueAnswer = {
  calendar: string
  time_zone: string
  from: string
  duration: string
  business: string
  due: string | null
  due_utc: string | null
  elapsed_ms: number | null
  reason: string | null
}

export type EndpointKind = 'slack' | 'email' | 'webhook'

export type Endpoint = {
  id: number
  kind: EndpointKind
  name: string
  url: string | null
  email_to: string | null
  rep_id: string | null
  team: string | null
  topics: string[]
  created_at: string
  disabled_at: string | null
  deliveries: {
    delivered: number
    pending: number
    dead: number
    last_delivered_at: string | null
    last_error: string | null
  }
}

export type CreatedEndpoint = Omit<Endpoint, 'deliveries' | 'disabled_at'> & { secret: string | null }

export type TestSend = {
  ok: boolean
  status: number | null
  detail: string
  outbox_id: number
  duration_ms: number
}

export type OutboxRow = {
  id: number
  idempotency_id: string
  topic: string
  kind: EndpointKind
  lead_id: number | null
  status: 'pending' | 'delivered' | 'dead'
  attempts: number
  next_attempt_at: string
  last_error: string | null
  created_at: string
  delivered_at: string | null
  endpoint_id: number
  endpoint_name: string
}

export const ENDPOINT_TOPICS = [
  'lead.handed_off',
  'lead.reassigned',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'lead.disposition',
] as const
