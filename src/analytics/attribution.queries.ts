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
  type MilestoneLedgerTouch,
  resolveAttributionModel,
  type SourcedAndInfluenced,
  sourcedAndInfluenced,
} from '../core/attribution/index.ts'
import { AppError } from '../core/errors.ts'
import type { Period } from '../core/metrics/index.ts'
import { iso } from './analytics-settings.ts'

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

/** Loads the opportunities opened in the period that have an account, and the touches on those accounts. */
export async function loadTouchLedger(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  period: { from: number; to: number },
  lookbackMs: number,
): Promise<{ opportunities: LedgerOpportunity[]; touches: MilestoneLedgerTouch[] }> {
  const opps = await sql<{
    id: string
    account_id: string
    amount: string | null
    opened_ms: string
    closed_ms: string | null
    is_closed: boolean
    is_won: boolean
  }>`select o.external_id as id, o.account_id::text as account_id, o.amount,
        (extract(epoch from o.opened_at) * 1000)::bigint as opened_ms,
        (extract(epoch from o.closed_at) * 1000)::bigint as closed_ms, o.is_closed, o.is_won
      from opportunity o
      where o.workspace_id = ${workspaceId} and o.account_id is not null
        and o.opened_at >= ${new Date(period.from)} and o.opened_at < ${new Date(period.to)}
      order by o.opened_at, o.id`.execute(ctx.db)
  const opportunities = opps.rows.map(
    (o): LedgerOpportunity => ({
      id: o.id,
      accountId: o.account_id,
      amount: o.amount === null ? 0 : Number(o.amount),
      createdAt: Number(o.opened_ms),
      closedWonAt: o.is_closed && o.is_won && o.closed_ms !== null ? Number(o.closed_ms) : null,
      closedLostAt: o.is_closed && !o.is_won && o.closed_ms !== null ? Number(o.closed_ms) : null,
    }),
  )
  if (opportunities.length === 0) return { opportunities, touches: [] }
  const accounts = [...new Set(opportunities.map((o) => o.accountId))]
  let start = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  for (const o of opportunities) {
    start = Math.min(start, o.createdAt - lookbackMs)
    end = Math.max(end, o.closedWonAt ?? o.closedLostAt ?? o.createdAt)
  }
  // Read index-only through the partial covering index event_account_touch_covering (migration 0007), in its order
  // (account, instant; seq only breaks ties), so nothing is sorted on disk. The cores read each account's touches
  // in (instant, ledger order), which this order keeps; touches of different accounts never meet.
  const rows = await sql<{ account_id: string; channel: string; campaign: string | null; at_ms: string }>`
      select e.account_id::text as account_id, coalesce(lower(e.medium), lower(e.source), 'other') as channel,
        e.campaign, (extract(epoch from e.occurred_at) * 1000)::bigint as at_ms
      from event e
      where e.account_id = any(${accounts}::bigint[])
        and (e.source is not null or e.medium is not null or e.campaign is not null)
        and e.occurred_at >= ${new Date(start)} and e.occurred_at <= ${new Date(end)}
      order by e.account_id, e.occurred_at, e.seq`.execute(ctx.db)
  const touches = rows.rows.map((r) => ({
    accountId: r.account_id,
    channel: r.channel,
    campaign: r.campaign,
    at: Number(r.at_ms),
  }))
  return { opportunities, touches }
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
    pipeline: sourcedAndInfluenced(
      ledger.opportunities.map(({ id, amount, createdAt, accountId }) => ({ id, amount, createdAt, accountId })),
      ledger.touches,
      { lookbackMs },
    ),
  }
}
