import type { Kpi, ValueFormat } from './review-pack-types.ts'

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/**
 * A number with thousands separators and a fixed count of decimals, independent of the host locale.
 *
 * @example formatFixed(10005534, 0) // '10,005,534'
 */
export function formatFixed(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals)
  const [whole, fraction] = text.split('.')
  const sign = value < 0 && Number(text) !== 0 ? '-' : ''
  return `${sign}${groupThousands(whole!)}${fraction === undefined ? '' : `.${fraction}`}`
}

/**
 * A value as the packs print it; null (unknown) is an em dash.
 *
 * @example formatValue(0.6315, 'percent') // '63.2%'
 */
export function formatValue(value: number | null, format: ValueFormat, currency: string | null = null): string {
  if (value === null || !Number.isFinite(value)) return value === Number.POSITIVE_INFINITY ? '∞' : '—'
  const money = (v: number) => `${currency ? `${currency} ` : ''}${formatFixed(v, Math.abs(v) >= 100 ? 0 : 2)}`
  switch (format) {
    case 'count':
      return formatFixed(value, 0)
    case 'money':
      return money(value)
    case 'money_per_day':
      return `${money(value)}/day`
    case 'percent':
      return `${(100 * value).toFixed(1)}%`
    case 'days':
      return `${formatFixed(value, 1)} d`
    case 'hours':
      return `${formatFixed(value, 2)} h`
    case 'number':
      return formatFixed(value, 2)
  }
}

/**
 * The change of a KPI since the last pack: points for percentages, else the difference and its ratio.
 *
 * @example formatChange({ format: 'percent', change: 0.04, changeRatio: 0.069, … }) // '+4.0 pts'
 */
export function formatChange(kpi: Kpi, currency: string | null = null): string {
  if (kpi.change === null) return kpi.previous === null && kpi.value !== null ? 'new' : '—'
  const sign = kpi.change > 0 ? '+' : kpi.change < 0 ? '−' : '±'
  if (kpi.format === 'percent') return `${sign}${(100 * Math.abs(kpi.change)).toFixed(1)} pts`
  const magnitude = formatValue(Math.abs(kpi.change), kpi.format, currency)
  const relative = kpi.changeRatio === null ? '' : ` (${sign}${(100 * Math.abs(kpi.changeRatio)).toFixed(1)}%)`
  return `${sign}${magnitude}${relative}`
}

/** 'good' when the KPI moved the way that is better, 'bad' the other way, 'flat' otherwise. */
export function changeTone(kpi: Kpi): 'good' | 'bad' | 'flat' {
  if (kpi.change === null || kpi.change === 0) return 'flat'
  return kpi.change > 0 === (kpi.better === 'up') ? 'good' : 'bad'
}

/** An instant as an ISO date-time without seconds, UTC: '2026-11-23 09:30 UTC'. */
export function formatInstant(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** A period's bounds as dates, the end inclusive: '2026-11-16 – 2026-11-22'. */
export function formatPeriodRange(period: { from: number; to: number }): string {
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return `${date(period.from)} – ${date(period.to - 1)}`
}
