import { compareKeys, type GroupKey, groupBy } from './group-by.ts'
import { ratio, type Summary, summarize } from './percentile.ts'

/** One stay of a lead in a lifecycle stage. `exitedAt` is absent or null while the lead is still in it. */
export type StageEntry = { stage: string; enteredAt: number; exitedAt?: number | null }

/** A lead's stage history with the dimensions it is broken down by (source, medium, campaign, segment, tier, team, owner…). */
export type FunnelLead = {
  id: string
  stages: readonly StageEntry[]
  dims: Readonly<Record<string, string | null>>
}

export type FunnelOptions = {
  /** The ordered stages, e.g. ['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity', 'Won']. */
  stages: readonly string[]
  period: { from: number; to: number }
  /** A dimension of `dims` to break down by; every result also has the overall group. */
  by?: string
  cohort: 'entered_in_period'
  /** Entries after this instant are ignored ("reached by now" as of a past instant, for replays). Default: all data. */
  asOf?: number
}

export type FunnelStage = {
  stage: string
  /** Leads that entered this stage within the period. */
  entered: number
  /** Of those, leads that reached the next stage (or, skipping it, a later one) by now. Null for the last stage. */
  advanced: number | null
  /** advanced / entered; null for the last stage or when none entered. */
  conversion: number | null
  /** Time in stage of the cohort leads that have left the stage, in ms (R-7 quantiles). */
  timeInStageMs: Summary
}

export type FunnelGroup = { key: GroupKey; stages: FunnelStage[] }

export type FunnelResult = {
  cohort: 'entered_in_period'
  convention: string
  period: { from: number; to: number }
  by: string | null
  overall: FunnelGroup
  /** One group per value of `by`, alphabetical, unknown (null) last; empty without `by`. */
  groups: FunnelGroup[]
}

export const FUNNEL_CONVENTION =
  'Cohort: entered in period. "Entered" counts leads whose first entry into the stage within the period falls in ' +
  '[from, to). Conversion S → next is, of those leads, the share that reached the next stage — or, having skipped it, ' +
  'any later stage — at any time up to now, including after the period ends; so recent cohorts are not final. Time ' +
  'in stage is exit − entry of that entry, for cohort leads that have left the stage (median and p90, R type 7).'

/**
 * Funnel of an ordered list of stages for the leads entering each stage in a period (cohort
 * convention in FUNNEL_CONVENTION, also returned as `convention`): entered counts, stage-to-stage
 * conversion and time in stage, overall and per value of `by`.
 *
 * @example funnel(leads, { stages: ['Lead', 'MQL', 'SQL'], period: parsePeriod('2026-Q4'), by: 'source', cohort: 'entered_in_period' })
 * // { overall: { stages: [{ stage: 'Lead', entered: 120, advanced: 30, conversion: 0.25, … }, …] }, groups: [{ key: 'webinar', … }] }
 */
export function funnel(leads: readonly FunnelLead[], options: FunnelOptions): FunnelResult {
  const by = options.by ?? null
  const groups =
    by === null
      ? []
      : [...groupBy(leads, (lead) => lead.dims[by]).entries()]
          .sort((a, b) => compareKeys(a[0], b[0]))
          .map(([key, members]) => measureFunnel(key, members, options))
  return {
    cohort: 'entered_in_period',
    convention: FUNNEL_CONVENTION,
    period: { from: options.period.from, to: options.period.to },
    by,
    overall: measureFunnel(null, leads, options),
    groups,
  }
}

function measureFunnel(key: GroupKey, leads: readonly FunnelLead[], options: FunnelOptions): FunnelGroup {
  const { stages, period } = options
  const asOf = options.asOf ?? Number.POSITIVE_INFINITY
  const index = new Map(stages.map((s, i) => [s, i]))
  const n = stages.length
  const entered = new Array<number>(n).fill(0)
  const advanced = new Array<number>(n).fill(0)
  const durations: number[][] = stages.map(() => [])
  // Per lead: the first in-period entry of each stage, and the latest entry into each stage by asOf.
  const cohortEntry = new Array<StageEntry | undefined>(n)
  const latestEntry = new Float64Array(n)
  const laterReach = new Float64Array(n)
  for (const lead of leads) {
    cohortEntry.fill(undefined)
    latestEntry.fill(Number.NEGATIVE_INFINITY)
    for (const entry of lead.stages) {
      const i = index.get(entry.stage)
      if (i === undefined || entry.enteredAt > asOf) continue
      if (entry.enteredAt > latestEntry[i]!) latestEntry[i] = entry.enteredAt
      if (entry.enteredAt >= period.from && entry.enteredAt < period.to) {
        const current = cohortEntry[i]
        if (current === undefined || entry.enteredAt < current.enteredAt) cohortEntry[i] = entry
      }
    }
    // A lead advanced from S when it entered any later stage at or after its cohort entry into S
    // (latest entry, so a lead recycled back to S and moving on again counts).
    let latestLater = Number.NEGATIVE_INFINITY
    for (let i = n - 1; i >= 0; i--) {
      laterReach[i] = latestLater
      if (latestEntry[i]! > latestLater) latestLater = latestEntry[i]!
    }
    for (let i = 0; i < n; i++) {
      const entry = cohortEntry[i]
      if (entry === undefined) continue
      entered[i]!++
      if (i < n - 1 && laterReach[i]! >= entry.enteredAt) advanced[i]!++
      const exited = entry.exitedAt
      if (exited !== null && exited !== undefined && exited <= asOf) durations[i]!.push(exited - entry.enteredAt)
    }
  }
  return {
    key,
    stages: stages.map((stage, i) => ({
      stage,
      entered: entered[i]!,
      advanced: i < n - 1 ? advanced[i]! : null,
      conversion: i < n - 1 ? ratio(advanced[i]!, entered[i]!) : null,
      timeInStageMs: summarize(durations[i]!),
    })),
  }
}
