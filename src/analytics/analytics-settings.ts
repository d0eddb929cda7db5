/**
 * What the shared numbers read from the Agreement: the funnel's stages, the shared targets, which team each rep is
 * in, the ICP criteria, and the attribution model with its lock. Taken from the version in force at an instant
 * (the period's start for attribution, `now` for the rest); defaults when no version is signed yet.
 */
import { findActiveAgreement } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import type { Agreement } from '../core/agreement/index.ts'
import { AppError } from '../core/errors.ts'
import { customPeriod, type Period, parsePeriod, quarterOf, type TargetSet } from '../core/metrics/index.ts'

/** The stages a funnel walks by default, in lifecycle order (AQL is account-level, Lost/Recycled/Disqualified exits). */
export const DEFAULT_FUNNEL_STAGES = ['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity', 'Won'] as const

export type AnalyticsSettings = {
  agreement: { versionId: number; hash: string } | null
  stages: string[]
  targets: TargetSet[]
  /** Rep id → team id (Agreement `reps[].team`). */
  repTeams: Map<string, string>
  icpCriteria: string[]
  attribution: Agreement['attribution'] | null
  /** Rep id → display name. */
  repNames: Map<string, string>
}

export async function loadAnalyticsSettings(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  at: number,
): Promise<AnalyticsSettings> {
  const active = await findActiveAgreement(ctx, workspaceId, at)
  const doc = active?.document ?? null
  const defined = doc ? new Set(Object.entries(doc.stages).flatMap(([s, d]) => (d ? [s] : []))) : null
  const stages = DEFAULT_FUNNEL_STAGES.filter((s) => s === 'Lead' || defined === null || defined.has(s) || s === 'Won')
  return {
    agreement: active ? { versionId: active.id, hash: active.hash } : null,
    stages: [...stages],
    targets: (doc?.targets ?? []) as TargetSet[],
    repTeams: new Map((doc?.reps ?? []).map((r) => [r.id, r.team])),
    repNames: new Map((doc?.reps ?? []).map((r) => [r.id, r.name])),
    icpCriteria: (doc?.icp.fit ?? []).map((c) => c.name),
    attribution: doc?.attribution ?? null,
  }
}

const CUSTOM = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/

/**
 * A period from a query parameter: '2026' | '2026-Q4' | '2026-11' | '2026-W47' | '2026-11-02..2026-11-09'
 * (custom, end exclusive); without one, the quarter holding `now`. Invalid input is an AppError naming `path`.
 *
 * @example readPeriod('2026-Q4', Date.now()).from // Date.UTC(2026, 9, 1)
 */
export function readPeriod(label: string | undefined, now: number, path = 'period'): Period {
  if (label === undefined || label === '') return quarterOf(now)
  const custom = CUSTOM.exec(label)
  try {
    if (custom) return customPeriod(Date.parse(`${custom[1]}T00:00:00Z`), Date.parse(`${custom[2]}T00:00:00Z`))
    return parsePeriod(label)
  } catch (e) {
    throw new AppError('invalid_input', `period "${label}" is not a period`, [{ path, message: (e as Error).message }])
  }
}

/** An `ms` epoch as ISO text, or null. */
export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString()
