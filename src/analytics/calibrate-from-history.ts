/**
 * ICP calibration over the stored won/lost history (POST /v1/icp/calibrate): every closed opportunity with an
 * account becomes a row of the account's firmographics at import (industry, employee band, country, region,
 * segment) and the opportunity's source, labelled won or lost, and the pure core fits and explains it
 * (src/core/calibration calibrateIcp). Suggested conditions read the Agreement's account fields.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.ts'
import { CalibrationError, type CalibrationResult, calibrateIcp } from '../core/calibration/index.ts'
import { AppError } from '../core/errors.ts'
import { findEmployeeBand } from '../core/feedback/index.ts'

const COLUMNS = ['industry', 'employees_band', 'country', 'region', 'segment', 'source'] as const

/** Column → Agreement field the suggested `when:` conditions read. */
const FIELDS: Record<string, string> = {
  industry: 'account.industry',
  employees_band: 'account.employees_band',
  country: 'account.country',
  region: 'account.region',
  segment: 'account.segment',
  source: 'lead.source',
}

/**
 * Calibrates the ICP on the workspace's closed opportunities (optionally those closed in [from, to)).
 *
 * @example const r = await calibrateFromHistory(ctx, 1, { seed: 1 }); r.auc // 0.71
 */
export async function calibrateFromHistory(
  ctx: Pick<Ctx, 'db'>,
  workspaceId: number,
  options: { from?: number; to?: number; seed?: number; exclude?: readonly string[] } = {},
): Promise<CalibrationResult & { rows: number }> {
  const rows = await sql<{
    is_won: boolean
    industry: string | null
    employees: number | null
    country: string | null
    region: string | null
    segment: string | null
    source: string | null
  }>`select o.is_won, a.industry, a.employees, a.country, a.region, a.segment, o.source
      from opportunity o join account a on a.id = o.account_id
      where o.workspace_id = ${workspaceId} and o.is_closed
        and (${options.from === undefined}::boolean or o.closed_at >= ${new Date(options.from ?? 0)})
        and (${options.to === undefined}::boolean or o.closed_at < ${new Date(options.to ?? 0)})`.execute(ctx.db)
  const table = {
    columns: [...COLUMNS, 'won'],
    rows: rows.rows.map((r) => [
      r.industry ?? '',
      findEmployeeBand(r.employees) ?? '',
      r.country ?? '',
      r.region ?? '',
      r.segment ?? '',
      r.source ?? '',
      r.is_won ? 'won' : 'lost',
    ]),
  }
  try {
    const result = calibrateIcp(table, {
      label: 'won',
      seed: options.seed ?? 1,
      exclude: options.exclude,
      fields: FIELDS,
    })
    return { ...result, rows: table.rows.length }
  } catch (e) {
    if (e instanceof CalibrationError) {
      throw new AppError(
        'invalid_input',
        `cannot calibrate on ${table.rows.length} closed opportunities: ${e.message}`,
        [{ path: e.path, message: e.message }],
      )
    }
    throw e
  }
}
