/**
 * Attribution over stored data (GET /v1/attribution). The touch ledger is built from events that carry a source,
 * medium or campaign: channel = medium (else source), with source and campaign kept, joined to opportunities
 * through their account. Journeys are the opportunities opened in the period (src/core/attribution
 * compileOpportunityJourneys, the compiled form of buildOpportunityJourneys: touches within the lookback before opening, up to the close; won = a conversion worth
 * the amount, lost = a null, open = neither).
 *
 * Lock semantics: the model of a period is the one in the Agreement in force at the period's start; it is `locked`
 * when that Agreement's `attribution.locked_from` is on or before the period's start (the model was fixed before
 * the period's campaigns ran). Every other model requested is computed beside it and labelled an alternative —
 * never instead of it. Sourced and influenced pipeline come from the same ledger and window.
 */
import { sql } from 'kysely'
import { findActiveAgreement } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import type { Agreement } from '../core/agreement/index.ts'
import {
  ATTRIBUTION_MODEL_KINDS,
  type AttributionModel,
  type AttributionResult,
  attributeMany,
  compileOpportunityJourneys,
  DEFAULT_HALF_LIFE_MS,
  type LedgerOpportunity,
  resolveAttributionModel,
  type SourcedAndInfluenced,
  sourcedAndInfluenced,
  type TouchColumns,
  toTouchColumns,
} from '../core/attribution/index.ts'
import { AppError } from '../core/errors.ts'
import type { Period } from '../core/metrics/index.ts'
import { iso } from './analytics-settings.ts'
import { decodeColumns, pgInstantMs, readInt64Text } from './packed-rows.ts'

const DEFAULT_LOOKBACK_MS = 90 * 86_400_000

/** The Agreement's attribution block as a model of the core. */
export function modelOfAgreement(a: Agreement['attribution']): AttributionModel {
  const name = a.model === 'first_touch' ? 'first' : a.model === 'last_touch' ? 'last' : a.model
  const r = resolveAttributionModel(name, {
    halfLifeMs: a.half_life?.ms,
    order: a.order,
    weights: a.weights as Record<string, number> | undefined,
  })
  if (!r.ok) throw new AppError('invalid_input', 'the Agreement’s attribution model is not usable', r.issues)
  return r.model
}

/**
 * Loads the opportunities opened in the period that have an account, and the touches on those accounts from the
 * earliest opening − lookbackMs to the latest close (or opening, while open), in the ledger's order (account,
 * instant, seq).
 *
 * The touches' accounts and bounds come first from one small aggregate over the same opportunities; the opportunities
 * and their touches are then read side by side. Read apart, the two could see different opportunities (one written
 * in between): the bounds are checked against the opportunities read, and the touches read again for them if they
 * differ — the result is always the touches of the opportunities returned.
 */
export async function loadTouchLedger(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  period: { from: number; to: number },
  lookbackMs: number,
): Promise<{ opportunities: LedgerOpportunity[]; touches: TouchColumns }> {
  const opened = sql`o.workspace_id = ${workspaceId} and o.account_id is not null
        and o.opened_at >= ${new Date(period.from)} and o.opened_at < ${new Date(period.to)}`
  const bounds = (
    await sql<{ accounts: string | null; first_ms: number | null; last_ms: number | null }>`
      select array_agg(distinct o.account_id)::text as accounts,
        min((extract(epoch from o.opened_at) * 1000)::bigint)::float8 as first_ms,
        max((extract(epoch from case when o.is_closed and o.closed_at is not null then o.closed_at else o.opened_at end)
          * 1000)::bigint)::float8 as last_ms
      from opportunity o
      where ${opened}`.execute(ctx.db)
  ).rows[0]!
  if (bounds.accounts === null || bounds.first_ms === null || bounds.last_ms === null)
    return { opportunities: [], touches: toTouchColumns([]) }
  // Packed as the touches are below (one row of binary columns in base64, src/analytics/packed-rows.ts), in the order
  // (opened, id) given by each opportunity's position; flags: 1 closed, 2 won, 4 has a close instant.
  const oppsQuery = sql<PackedOpportunities>`select encode(string_agg(int4send(t.ord::int), ''::bytea), 'base64') as ords,
        encode(string_agg(convert_to(t.external_id, 'UTF8'), ''::bytea), 'base64') as ids,
        encode(string_agg(int4send(octet_length(convert_to(t.external_id, 'UTF8'))), ''::bytea), 'base64') as id_lengths,
        encode(string_agg(int8send(t.account_id), ''::bytea), 'base64') as accounts,
        encode(string_agg(float8send(t.amount), ''::bytea), 'base64') as amounts,
        encode(string_agg(timestamptz_send(t.opened_at), ''::bytea), 'base64') as opened,
        encode(string_agg(timestamptz_send(t.closed_at), ''::bytea), 'base64') as closed,
        encode(string_agg(int2send(t.flags), ''::bytea), 'base64') as flags
      from (
        select row_number() over (order by o.opened_at, o.id) - 1 as ord, o.external_id, o.account_id,
          coalesce(o.amount, 0)::float8 as amount, o.opened_at, coalesce(o.closed_at, o.opened_at) as closed_at,
          (o.is_closed::int + 2 * o.is_won::int + 4 * (o.closed_at is not null)::int)::int2 as flags
        from opportunity o
        where ${opened}
      ) t`
  // Read index-only through the partial covering index event_account_touch_covering (migration 0007), in its order
  // (account, instant; seq only breaks ties), so nothing is sorted on disk. The cores read each account's touches
  // in (instant, ledger order), which this order keeps; touches of different accounts never meet.
  //
  // Packed: one row per (medium, source, campaign) holding its touches' accounts, instants and ledger positions as
  // binary columns (int8send, timestamptz_send and int4send, each concatenated, sent in base64), not one row per
  // touch. A quarter's ~82,000 touch rows cost the driver ~170 ms of parsing; the packed groups are unpacked here in a
  // fraction of that, and the database does less too (no text form of each instant). A test compares it with the
  // row-per-touch statement.
  // (The account list is a parameter, not a subquery: with it the planner knows the rows to expect, and aggregates
  // them by hashing; from a subquery it expected a few rows and sorted them on disk.)
  const touchesOf = (accounts: string | readonly string[], start: number, end: number) =>
    sql<PackedTouches>`
      select coalesce(lower(t.medium), lower(t.source), 'other') as channel, t.campaign,
        encode(string_agg(int8send(t.account_id), ''::bytea), 'base64') as accounts,
        encode(string_agg(timestamptz_send(t.occurred_at), ''::bytea), 'base64') as ats,
        encode(string_agg(int4send(t.ord::int), ''::bytea), 'base64') as ords
      from (
        select e.account_id, e.medium, e.source, e.campaign, e.occurred_at,
          row_number() over (order by e.account_id, e.occurred_at, e.seq) - 1 as ord
        from event e
        where e.account_id = any(${accounts}::bigint[])
          and (e.source is not null or e.medium is not null or e.campaign is not null)
          and e.occurred_at >= ${new Date(start)} and e.occurred_at <= ${new Date(end)}
      ) t
      group by t.medium, t.source, t.campaign`.execute(ctx.db)
  const [opps, groups] = await Promise.all([
    oppsQuery.execute(ctx.db),
    touchesOf(bounds.accounts, bounds.first_ms - lookbackMs, bounds.last_ms),
  ])
  const opportunities = unpackOpportunities(opps.rows[0]!)
  if (opportunities.length === 0) return { opportunities, touches: toTouchColumns([]) }
  const accounts = [...new Set(opportunities.map((o) => o.accountId))]
  let start = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  for (const o of opportunities) {
    start = Math.min(start, o.createdAt - lookbackMs)
    end = Math.max(end, o.closedWonAt ?? o.closedLostAt ?? o.createdAt)
  }
  const boundAccounts = new Set(bounds.accounts.slice(1, -1).split(','))
  const same =
    start === bounds.first_ms - lookbackMs &&
    end === bounds.last_ms &&
    accounts.length === boundAccounts.size &&
    accounts.every((a) => boundAccounts.has(a))
  return { opportunities, touches: unpackTouches((same ? groups : await touchesOf(accounts, start, end)).rows) }
}

type PackedOpportunities = Record<
  'ords' | 'ids' | 'id_lengths' | 'accounts' | 'amounts' | 'opened' | 'closed' | 'flags',
  string | null
>

/** The opportunities of the packed row, each at its position. */
function unpackOpportunities(row: PackedOpportunities): LedgerOpportunity[] {
  if (row.ords === null) return []
  const p = decodeColumns(row, ['ords', 'ids', 'id_lengths', 'accounts', 'amounts', 'opened', 'closed', 'flags'])
  const n = p.ords.length / 4
  const at = new Int32Array(n)
  const idAt = new Int32Array(n)
  let start = 0
  for (let i = 0; i < n; i++) {
    const ord = p.ords.readInt32BE(i * 4)
    at[ord] = i
    idAt[ord] = start
    start += p.id_lengths.readInt32BE(i * 4)
  }
  const opportunities: LedgerOpportunity[] = []
  for (let ord = 0; ord < n; ord++) {
    const i = at[ord]!
    const flags = p.flags.readInt16BE(i * 2)
    const closedAt = flags & 1 && flags & 4 ? pgInstantMs(p.closed, i * 8) : null
    opportunities.push({
      id: p.ids.toString('utf8', idAt[ord]!, idAt[ord]! + p.id_lengths.readInt32BE(i * 4)),
      accountId: readInt64Text(p.accounts, i * 8),
      amount: p.amounts.readDoubleBE(i * 8),
      createdAt: pgInstantMs(p.opened, i * 8),
      closedWonAt: flags & 2 ? closedAt : null,
      closedLostAt: flags & 2 ? null : closedAt,
    })
  }
  return opportunities
}

/**
 * The touches of the packed groups in ledger order, as columns (no object per touch): each instant in ms as
 * `(extract(epoch from at) * 1000)::bigint` gives it (src/analytics/packed-rows.ts), each account id named once per
 * run of its touches, each group's channel and campaign once.
 */
type PackedTouches = { channel: string; campaign: string | null; accounts: string; ats: string; ords: string }

function unpackTouches(packed: readonly PackedTouches[]): TouchColumns {
  const groups = packed.map((g) => decodeColumns(g, ['accounts', 'ats', 'ords']))
  let total = 0
  for (const g of groups) total += g.ords.length / 4
  // Where each ledger position is (group, index in the group), then the touches appended in ledger order.
  const groupAt = new Int32Array(total)
  const indexAt = new Int32Array(total)
  groups.forEach((g, k) => {
    for (let i = 0; i < g.ords.length / 4; i++) {
      const ord = g.ords.readInt32BE(i * 4)
      groupAt[ord] = k
      indexAt[ord] = i
    }
  })
  // A group is one (channel, campaign): its index is the touch's channel and campaign index (names may repeat).
  const accounts: string[] = []
  const accountOf = new Int32Array(total)
  const at = new Float64Array(total)
  // An account's touches follow each other in ledger order: its id is named once a run.
  let hi = 0
  let lo = -1
  for (let ord = 0; ord < total; ord++) {
    const g = groups[groupAt[ord]!]!
    const i = indexAt[ord]!
    const h = g.accounts.readInt32BE(i * 8)
    const l = g.accounts.readUInt32BE(i * 8 + 4)
    if (h !== hi || l !== lo) {
      hi = h
      lo = l
      accounts.push(readInt64Text(g.accounts, i * 8))
    }
    accountOf[ord] = accounts.length - 1
    at[ord] = pgInstantMs(g.ats, i * 8)
  }
  return {
    kind: 'touch_columns',
    length: total,
    accounts,
    accountOf,
    at,
    channels: packed.map((g) => g.channel),
    channelOf: groupAt,
    campaigns: packed.map((g) => g.campaign),
    campaignOf: groupAt,
  }
}

export type AttributionView = {
  period: { label: string; from: string; to: string }
  /** The model the Agreement fixed for this period, with where it comes from. */
  locked: {
    model: string
    locked: boolean
    lockedFrom: string | null
    agreement: { versionId: number; hash: string } | null
    reason: string
    result: AttributionResult
  }
  /** Other models, for comparison only. */
  alternatives: { model: string; label: 'alternative'; result: AttributionResult }[]
  lookbackDays: number
  journeys: { opportunities: number; touches: number }
  pipeline: SourcedAndInfluenced
}

/**
 * Attribution of the opportunities opened in a period under the locked model, with `alternatives` (model names,
 * or 'all') beside it, and sourced/influenced pipeline by channel and campaign.
 *
 * @example await getAttribution(ctx, 1, { period: parsePeriod('2026-Q4'), alternatives: ['first', 'last', 'markov'] })
 */
export async function getAttribution(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  options: { period: Period; alternatives?: readonly string[]; by?: 'channel' | 'campaign' },
): Promise<AttributionView> {
  const { period } = options
  const atStart = await findActiveAgreement(ctx, workspaceId, period.from)
  const governing = atStart ?? (await findActiveAgreement(ctx, workspaceId, ctx.clock()))
  const block = governing?.document.attribution ?? null
  const lockedModel: AttributionModel = block ? modelOfAgreement(block) : { kind: 'linear' }
  const lockedFrom = block ? Date.parse(`${block.locked_from}T00:00:00Z`) : null
  const isLocked = atStart !== null && lockedFrom !== null && lockedFrom <= period.from
  const reason =
    block === null
      ? 'no Agreement is signed: linear is shown, and nothing is locked'
      : isLocked
        ? `fixed by the Agreement in force on ${iso(period.from)!.slice(0, 10)}, locked from ${block.locked_from}`
        : atStart === null
          ? `the Agreement now in force names ${block.model}, but none was in force when the period began: not locked`
          : `the Agreement names ${block.model}, locked only from ${block.locked_from}, after this period began: not locked`

  const alternatives: AttributionModel[] = []
  const names = options.alternatives?.includes('all')
    ? ATTRIBUTION_MODEL_KINDS.filter((k) => k !== 'custom')
    : (options.alternatives ?? ['first', 'last', 'linear'])
  names.forEach((name, i) => {
    const r = resolveAttributionModel(name, {
      halfLifeMs: block?.half_life?.ms ?? DEFAULT_HALF_LIFE_MS,
      ...(name === 'custom' && block?.weights ? { weights: block.weights as Record<string, number> } : {}),
    })
    if (!r.ok)
      throw new AppError(
        'invalid_input',
        `unknown model "${name}"`,
        r.issues.map((x) => ({ ...x, path: `model[${i}]` })),
      )
    if (r.model.kind !== lockedModel.kind) alternatives.push(r.model)
  })

  const lookbackMs = block?.lookback.ms ?? DEFAULT_LOOKBACK_MS
  const ledger = await loadTouchLedger(ctx, workspaceId, period, lookbackMs)
  // Compiled straight from the ledger (no Touch object per touch): the same set as compiling the built journeys.
  const journeys = compileOpportunityJourneys(ledger.opportunities, ledger.touches, {
    lookbackMs,
    by: options.by ?? 'channel',
  })
  const [locked, ...others] = attributeMany(journeys, [lockedModel, ...alternatives])
  return {
    period: { label: period.label, from: iso(period.from)!, to: iso(period.to)! },
    locked: {
      model: lockedModel.kind,
      locked: isLocked,
      lockedFrom: block?.locked_from ?? null,
      agreement: governing ? { versionId: governing.id, hash: governing.hash } : null,
      reason,
      result: locked!,
    },
    alternatives: others.map((result) => ({ model: result.model.kind, label: 'alternative', result })),
    lookbackDays: lookbackMs / 86_400_000,
    journeys: { opportunities: ledger.opportunities.length, touches: ledger.touches.length },
    // The ledger's opportunities as they are: sourced/influenced reads their id, amount, opening and account only.
    pipeline: sourcedAndInfluenced(ledger.opportunities, ledger.touches, { lookbackMs }),
  }
}
