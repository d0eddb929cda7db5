/** Shapes of the /v1 responses the dashboard reads (see /docs for the full API). */

export type Role = 'admin' | 'marketing' | 'sales' | 'rep' | 'ingest'

export type Permission =
  | 'events:write'
  | 'records:write'
  | 'records:read'
  | 'agreement:read'
  | 'agreement:propose'
  | 'agreement:sign'
  | 'leads:read'
  | 'leads:read_own'
  | 'leads:act_own'
  | 'leads:act_any'
  | 'metrics:read'
  | 'reviews:write'
  | 'keys:manage'
  | 'settings:manage'
  | 'reps:read'
  | 'reps:set_status'
  | 'reps:set_own_status'

export type Session = {
  principal: {
    kind: 'api_key' | 'user'
    id: number
    workspaceId: number
    name: string
    role: Role
    repId: string | null
  }
  csrfToken: string | null
  expiresAt: string | null
  permissions: Permission[]
}

export type Side = 'marketing' | 'sales'
export type VersionState = 'proposed' | 'scheduled' | 'active' | 'superseded' | 'withdrawn'

export type AgreementVersion = {
  id: number
  hash: string
  title: string
  effectiveFrom: string
  state: VersionState
  proposedBy: string
  proposedAt: string
  signatures: { side: Side; signer: string; signedAt: string }[]
}

export type AgreementVersionWithSource = AgreementVersion & { source: string; document: AgreementDocument }

export type AgreementChange = { kind: 'added' | 'removed' | 'changed'; section: string; path: string; summary: string }

export type VersionDiff = {
  from: { id: number; hash: string }
  to: { id: number; hash: string }
  changes: AgreementChange[]
  text: string
}

export type ValidationResult = {
  valid: true
  hash: string
  diffAgainstActive: { changes: AgreementChange[]; text: string } | null
}

export type ApiKey = {
  id: number
  name: string
  role: Role
  prefix: string
  rep_id: string | null
  created_at: string
  revoked_at: string | null
}

export type CreatedKey = { id: number; name: string; role: Role; prefix: string; secret: string }

export type User = {
  id: number
  username: string
  display_name: string
  role: Exclude<Role, 'ingest'>
  rep_id: string | null
  created_at: string
  disabled_at: string | null
}

/** Durations arrive parsed: `{ ms }` for calendar time, `{ businessMs }` for business time. */
export type Duration = { ms: number }
export type BusinessDuration = { businessMs: number }
export type PropertyMatcher = {
  equals?: string | number | boolean
  in?: (string | number)[]
  prefix?: string
  contains?: string
  regex?: string
  gte?: number
  lte?: number
  exists?: boolean
  ignore_case?: boolean
}
export type EventMatch = Record<string, PropertyMatcher>
type Person = { name: string; email: string; slack?: string }

/** The validated Agreement as the API returns it (snake_case, as written in the YAML). */
export type AgreementDocument = {
  agreement: string
  effective_from: string
  owners: { marketing: Person; sales: Person }
  lists: Record<string, string[]>
  account_signal_types: string[]
  event_types: string[]
  icp: {
    fit: {
      id: string
      name: string
      description?: string
      kind: 'firmographic' | 'technographic' | 'situational'
      when: string
      points: number
      within?: Duration
    }[]
    disqualify: { id: string; name: string; description?: string; when: string; reason: string }[]
  }
  personas: {
    id: string
    name: string
    titles: string[]
    title_patterns: string[]
    exclude: string[]
    seniority?: string[]
  }[]
  buying_committee?: { personas: string[]; min_engaged: number }
  intent: {
    half_life: Duration
    max: number
    rules: { id: string; name?: string; type: string; match?: EventMatch; points: number; cap?: number }[]
    signals: Record<
      string,
      | { kind: 'count'; description?: string; type: string; match?: EventMatch; at_least: number; within: Duration }
      | { kind: 'any'; description?: string; of: { type: string; match?: EventMatch }[]; within: Duration }
      | { kind: 'inactivity'; description?: string; for: Duration }
    >
  }
  stages: Record<string, { description: string; when?: string } | undefined>
  tiers: {
    name: string
    description?: string
    when: string
    sla: { first_touch: BusinessDuration; disposition?: BusinessDuration } | null
  }[]
  handoff: { required_fields: string[] }
  calendars: Record<
    string,
    {
      time_zone: string
      hours: Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>
      holidays?: {
        country?: string
        state?: string
        add: { date: string; name: string }[]
        remove: { date: string; name?: string }[]
      }
      overrides: { date: string; hours: string[]; note?: string }[]
    }
  >
  teams: Record<string, { name?: string; manager: Person; calendar: string; slack_channel?: string }>
  reps: {
    id: string
    name: string
    email: string
    team: string
    calendar?: string
    role: string
    active: boolean
    out_of_office: { from: string; to: string; note?: string }[]
    capacity?: { daily?: number; weekly?: number }
  }[]
  pools: Record<
    string,
    {
      name?: string
      members: { rep: string; weight: number }[]
      backup?: string
      respect_working_hours: boolean
      respect_capacity: boolean
    }
  >
  routing: { name: string; when?: string; to: 'account_owner' | { pool: string } | { rep: string } }[]
  sla: {
    warn_at: number
    pause_when: string[]
    escalate: {
      after: BusinessDuration
      notify?: string[]
      reassign?: 'backup_pool' | { pool: string }
    }[]
  }
  dispositions: {
    accept: { code: string; label: string; description?: string; requires_note: boolean }[]
    reject: { code: string; label: string; description?: string; requires_note: boolean }[]
    recycle: { code: string; label: string; description?: string; requires_note: boolean; nurture_for: Duration }[]
  }
  attribution: {
    model: string
    lookback: Duration
    locked_from: string
    half_life?: Duration
    weights?: Record<string, number>
    order?: number
  }
  targets: {
    period: string
    pipeline?: number
    bookings?: number
    mqls?: number
    sqls?: number
    opportunities?: number
    sla_compliance?: number
  }[]
}
