/**
 * Records the simulator produces, exactly in the HTTP API's ingest shapes (snake_case, as JSON arrives at
 * `POST /v1/accounts`, `/v1/people`, `/v1/events`, `/v1/opportunities`). Sub-objects may be shared between events
 * (one `context` per campaign, one `properties` per page path), so every field is read-only.
 */

export type Region = 'NA' | 'EMEA' | 'APAC' | 'LATAM'
export type Segment = 'smb' | 'mid_market' | 'enterprise'

export type SimAccount = {
  readonly domain: string
  readonly name: string
  readonly industry: string
  readonly employees: number
  /** Annual revenue in USD. */
  readonly revenue: number
  /** ISO-3166 alpha-2. */
  readonly country: string
  readonly region: Region
  /** US state code, present only for US accounts. */
  readonly state?: string
  readonly technologies: readonly string[]
  /** Rep id of the named-account owner, or null when the account is unassigned. */
  readonly owner: string | null
  readonly segment: Segment
}

/** A situational fact about an account from an enrichment provider (POST /v1/account-signals). */
export type SimAccountSignal = {
  readonly domain: string
  readonly type: string
  readonly at: string
  readonly source: string
}

export type SimPerson = {
  /** Always lower-case. */
  readonly email: string
  readonly first_name: string
  readonly last_name: string
  readonly title: string
  readonly country?: string
  /** Absent for free-mail, university and job-seeker addresses: nothing in the address ties them to an account. */
  readonly account_domain?: string
}

export type EventType =
  | 'page_view'
  | 'form_submit'
  | 'demo_request'
  | 'webinar_registered'
  | 'webinar_attended'
  | 'email_open'
  | 'email_click'
  | 'chat_conversation'
  | 'trial_start'
  | 'product_signal'

export type EventContext = {
  readonly source: string
  readonly medium: string
  readonly campaign: string | null
}

/** At least one of the two is present; both together stitch an anonymous visitor to a known person. */
export type EventPerson = { readonly email?: string; readonly anonymous_id?: string }

export type SimEvent = {
  /** Unique and deterministic: `sim_<seed>_<n>` (quarter) or `sim_<seed>_b<n>` (benchmark stream). */
  id: string
  readonly type: EventType
  /** ISO-8601 UTC with milliseconds, e.g. `2026-10-06T14:03:27.120Z`. */
  readonly occurred_at: string
  readonly person: EventPerson
  readonly properties: Readonly<Record<string, string | number | boolean>>
  readonly context: EventContext
}

export type OpportunityStage = 'discovery' | 'proposal' | 'negotiation' | 'closed_won' | 'closed_lost'
export type ContactRole = 'champion' | 'decision_maker' | 'economic_buyer' | 'technical_evaluator' | 'influencer'

export type SimOpportunity = {
  readonly external_id: string
  readonly account_domain: string
  readonly name: string
  /** USD. */
  readonly amount: number
  readonly stage: OpportunityStage
  readonly created_at: string
  readonly closed_at: string | null
  readonly owner: string | null
  readonly lost_reason: string | null
  readonly contacts: readonly { readonly email: string; readonly role: ContactRole }[]
}

/** The selling company's reps; `SimAccount.owner` and `SimOpportunity.owner` refer to `id`. */
export type SimRep = {
  readonly id: string
  readonly name: string
  /** On example.com (RFC 2606), so a demo that sends notifications never reaches a real mailbox. */
  readonly email: string
  readonly role: 'sdr' | 'ae'
  readonly region: Region
  /** IANA zone the rep works in. */
  readonly time_zone: string
}

export type PersonKind = 'employee' | 'student' | 'job_seeker'

/**
 * What the simulator knows and the ingest API never sees (camelCase: not an ingest shape): the ground truth behind the records. Tests use it to check
 * correlations; later simulators (rep dispositions with reasons) read it to act realistically.
 */
export type AccountTruth = {
  readonly domain: string
  /** Hidden ICP fit in [0, 1] that drives buying, win probability and deal size. */
  readonly fit: number
  /** In a buying cycle this quarter. */
  readonly inMarket: boolean
}

export type PersonTruth = {
  readonly email: string
  readonly kind: PersonKind
  /** The account the person really works for, even when the address is free-mail; null for students/job seekers. */
  readonly accountDomain: string | null
  readonly seniority: Seniority
  readonly department: Department
  readonly freeMail: boolean
  readonly anonymousId: string
  /** First identified event (form fill, webinar registration, tracked email click), or null if never identified. */
  readonly identifiedAt: string | null
  readonly firstDemoRequestAt: string | null
}

export type Seniority = 'c_level' | 'vp' | 'director' | 'manager' | 'individual'
export type Department =
  | 'marketing'
  | 'sales'
  | 'revops'
  | 'it'
  | 'engineering'
  | 'finance'
  | 'operations'
  | 'customer_success'
  | 'executive'
  | 'none'
