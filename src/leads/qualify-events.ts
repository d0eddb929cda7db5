/**
 * Runs the qualification engine over a batch's events inside the batch's transaction: each affected person's open
 * lead is loaded (or started), every event applied in time order, and the lead, its stage transitions and the
 * account's engagement written back — all committed with the events, so a crash can never leave an event unscored
 * or a transition without its event.
 *
 * What must stay true:
 * - Person rows, then account rows, are locked in id order before leads are read, so two batches for the same
 *   person (or account) serialize instead of overwriting each other's state, and cannot deadlock. The locks are
 *   no-key locks: they leave free the key-share locks that foreign-key checks take, so another batch's identity
 *   resolution (a new person at a locked account, a visitor stitched to a locked person) never waits on them.
 * - Per-event cost is O(rules): the lead's state carries its aggregates; no history is reloaded.
 */
import { sql } from 'kysely'
import type { ActiveEngine } from '../agreement/active-agreement.ts'
import {
  type AccountPeer,
  type ApplyResult,
  applyEvent,
  createEngagementAggregate,
  type EngagementAggregate,
  type EngineEvent,
  type HandoffDecision,
  type LeadFacts,
  type LeadState,
  reevaluate,
  refreshFit,
  scoreAt,
  startNewCycle,
  summarizeForAccount,
  type Transition,
  updateEngagement,
} from '../core/engine/index.ts'
import { isFreeMailDomain } from '../core/identity/identity.ts'
import { ACCOUNT_FIELDS, type FieldSpec, hasFieldType, PERSON_FIELDS } from '../core/rules/index.ts'
import type { Tx } from '../db/transaction.ts'
import type { StoredEvent } from '../ingest/ingest-events.ts'
import { cachedVersions, takeCachedState, type WrittenLeadState } from './lead-state-cache.ts'
import { coldJsonOf, type HotState, hotState, onlyHotChanged, storedLeadState, storedState } from './stored-state.ts'

export type Handoff = { leadId: number; personId: number; decision: HandoffDecision; state: LeadState }
export type QualifyResult = {
  leads: number
  transitions: number
  handoffs: Handoff[]
  /** For src/leads/lead-state-cache.ts. */
  hotWritten: WrittenLeadState[]
}

type PersonRow = {
  id: number
  email: string
  title: string | null
  country: string | null
  account_id: number | null
  attributes: Record<string, unknown>
}
type AccountRow = {
  id: number
  domain: string
  name: string | null
  industry: string | null
  employees: number | null
  revenue: number | null
  country: string | null
  region: string | null
  state: string | null
  segment: string | null
  technologies: string[]
  owner: string | null
  attributes: Record<string, unknown>
  engagement: EngagementAggregate | null
}
type LeadRow = {
  id: number
  person_id: number
  /** The `state` column as text: the state as of its last full write (src/leads/stored-state.ts); null when cached. */
  state_json: string | null
  /** For a lead taken from the cache, its cold keys as this process wrote them (src/leads/lead-state-cache.ts). */
  cold_json: string | null
  state_hot: HotState | null
  engagement_share: AccountPeer | null
}
/** A lead row as loaded: `state_json` and `state_hot` are not read when the cached state is still the row's. */
type LoadedLeadRow = Omit<LeadRow, 'cold_json'> & { version: string }

/**
 * Record fields as the CEL catalogue names them; absent (not null) when unknown. A catalogue field stored with
 * another type than the catalogue's is absent too, so the criteria reading it are `unknown` with the field listed:
 * conditions trust the catalogue's types (`person.seniority.lowerAscii()` would throw on 42). Ingestion refuses such
 * attributes (src/ingest/ingest.schema.ts); this covers rows stored before it did.
 */
function present(fields: Record<string, unknown>, catalogue: Record<string, FieldSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined || v === '') continue
    const spec = Object.hasOwn(catalogue, k) ? catalogue[k] : undefined
    if (spec !== undefined && !hasFieldType(spec.type, v)) continue
    out[k] = v
  }
  return out
}

export function personFacts(p: Omit<PersonRow, 'id' | 'account_id'>): Record<string, unknown> {
  const domain = p.email.slice(p.email.lastIndexOf('@') + 1)
  return present(
    {
      ...p.attributes,
      email: p.email,
      email_domain: domain,
      is_free_email: isFreeMailDomain(domain),
      title: p.title,
      country: p.country,
    },
    PERSON_FIELDS,
  )
}

export function accountFacts(a: Omit<AccountRow, 'id' | 'engagement'>): Record<string, unknown> {
  return present(
    {
      ...a.attributes,
      domain: a.domain,
      name: a.name,
      industry: a.industry,
      employees: a.employees,
      revenue: a.revenue,
      country: a.country,
      region: a.region,
      state: a.state,
      segment: a.segment,
      technologies: a.technologies.length ? a.technologies.map((t) => t.toLowerCase()) : null,
      owner: a.owner,
    },
    ACCOUNT_FIELDS,
  )
}

function toEngineEvent(e: StoredEvent): EngineEvent {
  return {
    id: e.id,
    type: e.type,
    at: Date.parse(e.occurredAt),
    properties: e.properties,
    source: e.source,
    medium: e.medium,
    campaign: e.campaign,
  }
}

type Working = {
  person: PersonRow
  lead: LeadRow | undefined
  state: LeadState
  share: AccountPeer | null
  transitions: Transition[]
  handoff: HandoffDecision | null
  facts: LeadFacts
  aggregate: EngagementAggregate | null
  /** The person's latest closed cycle (Won, Lost) when no cycle is open: their next event starts the next one. */
  closedCycle: LeadState | null
  /** Set when written: whether only the lead's hot keys were. */
  hotOnly?: boolean
  /** Set when written, for a lead taken from the cache: its cold keys as JSON (src/leads/lead-state-cache.ts). */
  coldJson?: string
}

/**
 * Locks the people (then their accounts) in id order and reads what the engine needs about them: their facts, their
 * account's signals and engagement, and their open lead if any. The order matters: every writer of lead state takes
 * these locks the same way, so two transactions for the same person or account serialize and cannot deadlock.
 */
async function loadWorkingSet(
  tx: Tx,
  personIds: readonly number[],
  cache?: object,
): Promise<{ working: Map<number, Working>; engagement: Map<number, EngagementAggregate> }> {
  const sorted = [...personIds].sort((a, b) => a - b)
  const people = await sql<PersonRow>`select id, email, title, country, account_id, attributes from person
      where id = any(${sorted}::bigint[]) order by id for no key update`.execute(tx)
  const accountIds = [...new Set(people.rows.flatMap((p) => (p.account_id ? [p.account_id] : [])))].sort(
    (a, b) => a - b,
  )
  const accounts = new Map<number, AccountRow>()
  const signals = new Map<number, { type: string; at: number }[]>()
  if (accountIds.length > 0) {
    const rows =
      await sql<AccountRow>`select id, domain, name, industry, employees, revenue, country, region, state, segment,
          technologies, owner, attributes, engagement
        from account where id = any(${accountIds}::bigint[]) order by id for no key update`.execute(tx)
    for (const a of rows.rows) accounts.set(a.id, a)
    const sig = await sql<{
      account_id: number
      type: string
      at: Date
    }>`select account_id, type, at from account_signal
        where account_id = any(${accountIds}::bigint[])`.execute(tx)
    for (const s of sig.rows) {
      const list = signals.get(s.account_id) ?? []
      list.push({ type: s.type, at: s.at.getTime() })
      signals.set(s.account_id, list)
    }
  }
  // A lead whose cached state is still the row's (same `xmin`) is read without its state (src/leads/lead-state-cache.ts).
  const cached = cache ? cachedVersions(cache, sorted) : { leadIds: [], versions: [] }
  const leads = await sql<LoadedLeadRow>`select l.id, l.person_id, l.xmin::text as version, l.engagement_share,
        case when c.version is distinct from l.xmin::text then l.state::text end as state_json,
        case when c.version is distinct from l.xmin::text then l.state_hot end as state_hot
      from lead l left join unnest(${cached.leadIds}::bigint[], ${cached.versions}::text[]) as c(id, version) on c.id = l.id
      where l.person_id = any(${sorted}::bigint[]) and l.closed_at is null`.execute(tx)
  const leadOf = new Map<number, LeadRow>()
  const cachedStateOf = new Map<number, LeadState>()
  const unread = new Map<number, LoadedLeadRow>()
  for (const l of leads.rows) {
    if (l.state_json !== null) {
      leadOf.set(l.person_id, { ...l, cold_json: null })
      continue
    }
    const hit = cache ? takeCachedState(cache, l.person_id, l.id, l.version) : null
    if (hit) {
      cachedStateOf.set(l.person_id, hit.state)
      leadOf.set(l.person_id, { ...l, cold_json: hit.coldJson })
    } else unread.set(l.id, l) // cached when the query ran, evicted before its answer came back
  }
  if (unread.size > 0) {
    const rows = await sql<Pick<LeadRow, 'id' | 'state_json' | 'state_hot'>>`select id, state::text as state_json,
        state_hot from lead where id = any(${[...unread.keys()]}::bigint[])`.execute(tx)
    for (const r of rows.rows) leadOf.set(unread.get(r.id)!.person_id, { ...unread.get(r.id)!, ...r, cold_json: null })
  }
  const withoutOpen = sorted.filter((id) => !leadOf.has(id))
  const closedOf = new Map<number, LeadState>()
  if (withoutOpen.length > 0) {
    const closed = await sql<{
      person_id: number
      state: LeadState
    }>`select distinct on (person_id) person_id, ${storedLeadState()} as state
        from lead where person_id = any(${withoutOpen}::bigint[]) and closed_at is not null
        order by person_id, cycle desc`.execute(tx)
    for (const c of closed.rows) closedOf.set(c.person_id, c.state)
  }

  const engagement = new Map<number, EngagementAggregate>()
  const accountFactsOf = new Map<number, Record<string, unknown>>()
  const working = new Map<number, Working>()
  for (const person of people.rows) {
    const account = person.account_id ? (accounts.get(person.account_id) ?? null) : null
    let aggregate: EngagementAggregate | null = null
    if (account) {
      aggregate = engagement.get(account.id) ?? account.engagement ?? createEngagementAggregate()
      engagement.set(account.id, aggregate)
      if (!accountFactsOf.has(account.id)) accountFactsOf.set(account.id, accountFacts(account))
    }
    const existing = leadOf.get(person.id)
    const share = existing?.engagement_share ?? null
    const facts: LeadFacts = {
      person: personFacts(person),
      account: account ? accountFactsOf.get(account.id)! : null,
      accountSignals: account ? (signals.get(account.id) ?? []) : [],
      accountEngagement: aggregate ? { aggregate, self: share } : undefined,
    }
    working.set(person.id, {
      person,
      lead: existing,
      state: (existing
        ? (cachedStateOf.get(person.id) ?? storedState(existing.state_json!, existing.state_hot))
        : undefined) as LeadState,
      share,
      transitions: [],
      handoff: null,
      facts,
      aggregate,
      closedCycle: closedOf.get(person.id) ?? null,
    })
  }
  return { working, engagement }
}

/** Takes a decision's result into the working lead, and moves the account's engagement when the lead's intent did. */
function absorb(engine: ActiveEngine['engine'], w: Working, r: ApplyResult): void {
  w.state = r.state
  w.transitions.push(...r.transitions)
  if (r.handoff) w.handoff = r.handoff
  if (r.changed && w.aggregate) {
    const next = summarizeForAccount(engine, w.state, String(w.person.id))
    w.share ??= { personKey: next.personKey, persona: null, intent: 0, at: next.at }
    updateEngagement(engine, w.aggregate, w.share, next)
    w.facts.accountEngagement = { aggregate: w.aggregate, self: w.share }
  }
}

/**
 * `cache`: the database handle whose lead-state cache the caller keeps (queued chunks, src/leads/lead-state-cache.ts);
 * the caller puts `hotWritten` in it once the transaction has committed.
 */
export async function qualifyEvents(
  tx: Tx,
  workspaceId: number,
  active: ActiveEngine,
  events: StoredEvent[],
  now: number,
  opts: { cache?: object } = {},
): Promise<QualifyResult> {
  const { engine } = active
  const byPerson = new Map<number, EngineEvent[]>()
  for (const e of events) {
    if (e.personId === null) continue
    const list = byPerson.get(e.personId) ?? []
    list.push(toEngineEvent(e))
    byPerson.set(e.personId, list)
  }
  if (byPerson.size === 0) return { leads: 0, transitions: 0, handoffs: [], hotWritten: [] }
  const { working, engagement } = await loadWorkingSet(tx, [...byPerson.keys()], opts.cache)
  // All events of the batch in time order, people interleaved, exactly as a replay applies history: a colleague's
  // activity moves the account's engagement (AQL) at the instant it happened, not when their turn comes.
  const ordered = [...byPerson.entries()]
    .flatMap(([personId, list]) => list.map((event) => ({ personId, event })))
    .sort((a, b) => a.event.at - b.event.at || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0))
  for (const { personId, event } of ordered) {
    const w = working.get(personId)
    if (!w) continue // the person row vanished between the two transactions; nothing deletes people, so never
    if (w.state === undefined && w.closedCycle !== null) {
      const next = startNewCycle(engine, w.closedCycle, {
        at: event.at,
        reason: `${event.type} after the ${w.closedCycle.stage} cycle`,
        decidedAt: now,
      })
      w.state = next.state
      w.transitions.push(...next.transitions)
    }
    absorb(engine, w, applyEvent(engine, w.state ?? null, w.facts, event, { now }))
  }
  return writeWorkingSet(tx, workspaceId, engine, [...working.values()], engagement)
}

/**
 * Re-decides the open leads of these people without an event, as of `now`, in the caller's transaction: after their
 * person or account record changed (enrichment, a corrected title, a new account signal), or after a new Agreement
 * version became active — a lead last decided under another version is re-evaluated under `active`
 * (`reevaluate`, its transitions say so), the others re-score their fit (`refreshFit`). People without an open lead
 * are left alone: a record change never starts a lead.
 *
 * Example: `await refreshLeads(tx, ws, active, [personId], ctx.clock())` → `{ leads: 1, transitions: 1, handoffs: [] }`
 */
export async function refreshLeads(
  tx: Tx,
  workspaceId: number,
  active: ActiveEngine,
  personIds: readonly number[],
  now: number,
): Promise<QualifyResult> {
  const { engine } = active
  if (personIds.length === 0) return { leads: 0, transitions: 0, handoffs: [], hotWritten: [] }
  const { working, engagement } = await loadWorkingSet(tx, personIds)
  const open = [...working.values()].filter((w) => w.lead !== undefined)
  for (const w of open) {
    const r =
      w.state.agreement.versionId === active.versionId
        ? refreshFit(engine, w.state, w.facts, { now })
        : reevaluate(engine, w.state, w.facts, { now })
    absorb(engine, w, r)
  }
  return writeWorkingSet(tx, workspaceId, engine, open, engagement)
}

/** Writes the working leads (new ones inserted, open ones updated), their transitions and the accounts' engagement. */
async function writeWorkingSet(
  tx: Tx,
  workspaceId: number,
  engine: ActiveEngine['engine'],
  written: Working[],
  engagement: Map<number, EngagementAggregate>,
): Promise<QualifyResult> {
  const rowOf = (w: Working) => {
    const s = w.state
    const score = scoreAt(engine, s, s.lastEventAt ?? s.createdAt)
    const span = s.history[s.history.length - 1]
    return {
      id: w.lead?.id ?? null,
      person_id: w.person.id,
      account_id: w.person.account_id,
      cycle: s.cycle,
      stage: s.stage,
      stage_entered_at: new Date(span?.enteredAt ?? s.createdAt).toISOString(),
      fit: s.fit.score,
      intent: score.intent,
      tier: s.tier?.name ?? null,
      needs_data: s.needsData,
      disqualified_reason: s.fit.disqualifier && s.stage === 'Disqualified' ? s.fit.disqualifier.reason : null,
      agreement_version_id: s.agreement.versionId,
      state: s,
      engagement_share: w.share,
      source: s.lead.source ?? null,
      medium: s.lead.medium ?? null,
      campaign: s.lead.campaign ?? null,
      first_event_at: s.firstTouchAt === null ? null : new Date(s.firstTouchAt).toISOString(),
      last_event_at: s.lastEventAt === null ? null : new Date(s.lastEventAt).toISOString(),
    }
  }
  // Most chunks move only a lead's aggregates (src/leads/stored-state.ts): then only those, and the columns they
  // move, are written. Every other column is derived from the rest of the state, which is as stored.
  const hotRowOf = (w: Working & { lead: LeadRow }) => {
    const s = w.state
    return {
      id: w.lead.id,
      account_id: w.person.account_id,
      intent: scoreAt(engine, s, s.lastEventAt ?? s.createdAt).intent,
      state_hot: hotState(s),
      engagement_share: w.share,
      last_event_at: s.lastEventAt === null ? null : new Date(s.lastEventAt).toISOString(),
    }
  }
  const recordset =
    sql.raw(`r(id bigint, person_id bigint, account_id bigint, cycle integer, stage text, stage_entered_at timestamptz,
      fit double precision, intent double precision, tier text, needs_data jsonb, disqualified_reason text,
      agreement_version_id bigint, state jsonb, engagement_share jsonb, source text, medium text, campaign text,
      first_event_at timestamptz, last_event_at timestamptz)`)
  const fresh = written.filter((w) => !w.lead).map(rowOf)
  const leadIds = new Map<number, number>()
  for (const w of written) if (w.lead) leadIds.set(w.person.id, w.lead.id)
  if (fresh.length > 0) {
    const inserted = await sql<{
      id: number
      person_id: number
    }>`insert into lead (workspace_id, person_id, account_id, cycle, stage,
          stage_entered_at, fit, intent, tier, needs_data, disqualified_reason, agreement_version_id, state, engagement_share,
          source, medium, campaign, first_event_at, last_event_at)
        select ${workspaceId}, r.person_id, r.account_id, r.cycle, r.stage, r.stage_entered_at, r.fit, r.intent, r.tier,
          array(select jsonb_array_elements_text(r.needs_data)), r.disqualified_reason, r.agreement_version_id, r.state,
          r.engagement_share, r.source, r.medium, r.campaign, r.first_event_at, r.last_event_at
        from jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) as ${recordset}
        returning id, person_id`.execute(tx)
    for (const r of inserted.rows) leadIds.set(r.person_id, r.id)
  }
  const full: ReturnType<typeof rowOf>[] = []
  const hot: ReturnType<typeof hotRowOf>[] = []
  for (const w of written) {
    if (!w.lead) continue
    // Against what this process last wrote (a cached lead), or the stored column as read.
    if (w.lead.cold_json !== null) {
      w.coldJson = coldJsonOf(w.state)
      w.hotOnly = w.coldJson === w.lead.cold_json
    } else {
      w.hotOnly = onlyHotChanged(w.lead.state_json!, w.state)
    }
    if (w.hotOnly) hot.push(hotRowOf(w as Working & { lead: LeadRow }))
    else full.push(rowOf(w))
  }
  if (full.length > 0) {
    await sql`update lead l set account_id = r.account_id, stage = r.stage, stage_entered_at = r.stage_entered_at, fit = r.fit,
          intent = r.intent, tier = r.tier, needs_data = array(select jsonb_array_elements_text(r.needs_data)),
          disqualified_reason = r.disqualified_reason, agreement_version_id = r.agreement_version_id,
          state = r.state, state_hot = null,
          engagement_share = r.engagement_share, source = r.source, medium = r.medium, campaign = r.campaign,
          first_event_at = r.first_event_at, last_event_at = r.last_event_at, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(full)}::jsonb) as ${recordset}
        where l.id = r.id`.execute(tx)
  }
  if (hot.length > 0) {
    await sql`update lead l set account_id = r.account_id, intent = r.intent, state_hot = r.state_hot,
          engagement_share = r.engagement_share, last_event_at = r.last_event_at, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(hot)}::jsonb) as r(id bigint, account_id bigint,
          intent double precision, state_hot jsonb, engagement_share jsonb, last_event_at timestamptz)
        where l.id = r.id`.execute(tx)
  }

  const transitions = written.flatMap((w) =>
    w.transitions.map((t) => ({
      lead_id: leadIds.get(w.person.id)!,
      from_stage: t.from,
      to_stage: t.to,
      at: new Date(t.at).toISOString(),
      rule: t.rule,
      agreement_version_id: t.agreementVersionId,
      reasons: t.reasons,
      explanation: t.explanation,
    })),
  )
  if (transitions.length > 0) {
    await sql`insert into stage_transition (workspace_id, lead_id, from_stage, to_stage, at, rule, agreement_version_id, reasons, explanation)
        select ${workspaceId}, r.lead_id, r.from_stage, r.to_stage, r.at, r.rule, r.agreement_version_id, r.reasons, r.explanation
        from jsonb_to_recordset(${JSON.stringify(transitions)}::jsonb) as r(lead_id bigint, from_stage text, to_stage text,
          at timestamptz, rule text, agreement_version_id bigint, reasons jsonb, explanation text)`.execute(tx)
  }
  if (engagement.size > 0) {
    const rows = [...engagement.entries()].map(([id, e]) => ({ id, engagement: e }))
    await sql`update account a set engagement = r.engagement
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id bigint, engagement jsonb) where a.id = r.id`.execute(
      tx,
    )
  }

  const handoffs = written.flatMap((w) =>
    w.handoff
      ? [{ leadId: leadIds.get(w.person.id)!, personId: w.person.id, decision: w.handoff, state: w.state }]
      : [],
  )
  const hotWritten = written.flatMap((w) =>
    w.lead && w.hotOnly && !w.handoff
      ? [{ personId: w.person.id, leadId: w.lead.id, state: w.state, coldJson: w.coldJson }]
      : [],
  )
  return { leads: written.length, transitions: transitions.length, handoffs, hotWritten }
}
