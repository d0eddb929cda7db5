import { formatValue } from './format-value.ts'
import type { ChartSpec } from './review-pack-types.ts'

/**
 * Text made safe in HTML and SVG content and in quoted attribute values.
 *
 * @example escapeHtml('<script>alert("x")</script>') // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

const WIDTH = 640
const n = (x: number) => (Math.round(x * 10) / 10).toString()
const truncate = (label: string, max: number) => (label.length > max ? `${label.slice(0, max - 1)}…` : label)

function svg(height: number, title: string, body: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${n(height)}" width="${WIDTH}" height="${n(height)}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title>${body}</svg>`
  )
}

function barChart(chart: Extract<ChartSpec, { kind: 'bar' }>, title: string, currency: string | null): string {
  const row = 26
  const labelWidth = 170
  const valueWidth = 110
  const plot = WIDTH - labelWidth - valueWidth
  const values = chart.bars.map((b) => b.value ?? 0)
  const max = Math.max(...values, chart.reference?.value ?? 0, 0) || 1
  const height = chart.bars.length * row + 24
  const parts = chart.bars.map((b, i) => {
    const y = 8 + i * row
    const w = ((b.value ?? 0) / max) * plot
    return (
      `<text x="${labelWidth - 8}" y="${n(y + 14)}" text-anchor="end" class="label">${escapeHtml(truncate(b.label, 26))}</text>` +
      `<rect x="${labelWidth}" y="${n(y + 2)}" width="${n(Math.max(0, w))}" height="${row - 8}" class="bar"/>` +
      `<text x="${n(labelWidth + Math.max(0, w) + 6)}" y="${n(y + 14)}" class="value">${escapeHtml(formatValue(b.value, chart.format, currency))}</text>`
    )
  })
  if (chart.reference) {
    const x = labelWidth + (chart.reference.value / max) * plot
    parts.push(
      `<line x1="${n(x)}" x2="${n(x)}" y1="4" y2="${n(height - 16)}" class="reference"/>` +
        `<text x="${n(x)}" y="${n(height - 4)}" text-anchor="middle" class="note">${escapeHtml(
          `${chart.reference.label} ${formatValue(chart.reference.value, chart.format, currency)}`,
        )}</text>`,
    )
  }
  return svg(height, title, parts.join(''))
}

function funnelChart(chart: Extract<ChartSpec, { kind: 'funnel' }>, title: string): string {
  const row = 40
  const max = Math.max(...chart.steps.map((s) => s.value), 0) || 1
  const plot = 360
  const centre = 190
  const height = chart.steps.length * row + 8
  const parts = chart.steps.map((s, i) => {
    const y = 4 + i * row
    const w = Math.max(2, (s.value / max) * plot)
    return (
      `<rect x="${n(centre - w / 2)}" y="${y}" width="${n(w)}" height="${row - 6}" class="bar funnel"/>` +
      `<text x="${centre}" y="${y + 22}" text-anchor="middle" class="inbar">${escapeHtml(`${truncate(s.label, 20)} · ${formatValue(s.value, 'count')}`)}</text>` +
      (s.note ? `<text x="${centre + plot / 2 + 12}" y="${y + 22}" class="note">${escapeHtml(s.note)}</text>` : '')
    )
  })
  return svg(height, title, parts.join(''))
}

function lineChart(chart: Extract<ChartSpec, { kind: 'line' }>, title: string, currency: string | null): string {
  const height = 240
  const left = 96
  const right = 24
  const top = 16
  const bottom = 48
  const plotW = WIDTH - left - right
  const plotH = height - top - bottom
  const values = chart.points.map((p) => p.value).filter((v): v is number => v !== null)
  const max = Math.max(...values, chart.target?.value ?? 0, 0) || 1
  const x = (i: number) => left + (chart.points.length <= 1 ? plotW / 2 : (i * plotW) / (chart.points.length - 1))
  const y = (v: number) => top + plotH - (v / max) * plotH
  const parts: string[] = [
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" class="axis"/>`,
    `<line x1="${left}" x2="${WIDTH - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" class="note">${escapeHtml(formatValue(max, chart.format, currency))}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" class="note">${escapeHtml(formatValue(0, chart.format, currency))}</text>`,
  ]
  if (chart.target) {
    const ty = y(chart.target.value)
    parts.push(
      `<line x1="${left}" x2="${WIDTH - right}" y1="${n(ty)}" y2="${n(ty)}" class="reference"/>` +
        `<text x="${WIDTH - right}" y="${n(ty - 4)}" text-anchor="end" class="note">${escapeHtml(
          `${chart.target.label} ${formatValue(chart.target.value, chart.format, currency)}`,
        )}</text>`,
    )
  }
  // A null point breaks the line rather than dropping to zero: unknown is not nothing.
  let path = ''
  chart.points.forEach((p, i) => {
    if (p.value === null) return
    const prev = chart.points[i - 1]
    path += `${path === '' || prev?.value === null || prev === undefined ? 'M' : 'L'}${n(x(i))},${n(y(p.value))} `
  })
  if (path !== '') parts.push(`<path d="${path.trim()}" class="line"/>`)
  chart.points.forEach((p, i) => {
    if (p.value !== null) {
      parts.push(
        `<circle cx="${n(x(i))}" cy="${n(y(p.value))}" r="3" class="dot"><title>${escapeHtml(`${p.label}: ${formatValue(p.value, chart.format, currency)}`)}</title></circle>`,
      )
    }
    parts.push(
      `<text x="${n(x(i))}" y="${top + plotH + 18}" text-anchor="middle" class="label small">${escapeHtml(truncate(p.label, 12))}</text>`,
    )
  })
  return svg(height, title, parts.join(''))
}

/**
 * An inline SVG drawing of a chart (bar, funnel or line), every label escaped; no scripts, fonts or
 * external references, so it prints and works offline.
 *
 * @example renderSvgChart({ kind: 'bar', format: 'percent', bars: [{ label: 'hot', value: 0.9 }] }, 'Compliance by tier', null)
 */
export function renderSvgChart(chart: ChartSpec, title: string, currency: string | null): string {
  switch (chart.kind) {
    case 'bar':
      return barChart(chart, title, currency)
    case 'funnel':
      return funnelChart(chart, title)
    case 'line':
      return lineChart(chart, title, currency)
  }
}
