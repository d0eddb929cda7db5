import { changeTone, formatChange, formatInstant, formatPeriodRange, formatValue } from './format-value.ts'
import { escapeHtml, renderSvgChart } from './render-svg-chart.ts'
import type { Cell, PackSection, ReviewPack, TableColumn } from './review-pack-types.ts'

// System font stacks only: a pack is mailed and archived, so it may load nothing from anywhere.
const CSS = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --accent: #2f6fd6; --good: #1a7f4b; --bad: #b42318; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta, .note-text { color: var(--muted); }
section { margin: 22px 0; break-inside: avoid; page-break-inside: avoid; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.kpi .name { color: var(--muted); font-size: 12px; }
.kpi .value { font-size: 22px; font-weight: 600; }
.kpi .change { font-size: 12px; }
.good { color: var(--good); } .bad { color: var(--bad); } .flat { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f5f7fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre { background: #f5f7fa; border: 1px solid var(--line); padding: 10px; overflow-x: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
svg.chart { max-width: 100%; height: auto; }
svg .bar { fill: var(--accent); } svg .funnel { fill: #5b8fe0; }
svg .label { font-size: 12px; fill: var(--ink); } svg .small { font-size: 10px; }
svg .value, svg .note { font-size: 11px; fill: var(--muted); } svg .inbar { font-size: 12px; fill: #fff; font-weight: 600; }
svg .reference { stroke: var(--bad); stroke-dasharray: 4 3; stroke-width: 1.5; }
svg .axis { stroke: var(--line); } svg .line { fill: none; stroke: var(--accent); stroke-width: 2; } svg .dot { fill: var(--accent); }
ul.alerts li.critical { color: var(--bad); font-weight: 600; } ul.alerts li.warning { color: #9a5b00; }
@media print { body { padding: 0; max-width: none; font-size: 12px; } .kpi { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
@page { margin: 14mm; }
`

function cell(value: Cell, column: TableColumn, currency: string | null): string {
  const text =
    typeof value === 'number' && column.format
      ? formatValue(value, column.format, currency)
      : value === null
        ? '—'
        : String(value)
  return `<td${column.format ? ' class="num"' : ''}>${escapeHtml(text)}</td>`
}

function table(
  columns: readonly TableColumn[],
  rows: readonly Record<string, Cell>[],
  currency: string | null,
): string {
  if (rows.length === 0) return '<p class="note-text">None.</p>'
  const head = columns.map((c) => `<th${c.format ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('')
  const body = rows.map((r) => `<tr>${columns.map((c) => cell(r[c.key] ?? null, c, currency)).join('')}</tr>`).join('')
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
}

function renderSection(section: PackSection, currency: string | null): string {
  const title = `<h2>${escapeHtml(section.title)}</h2>`
  const note = (text: string | undefined) => (text ? `<p class="note-text">${escapeHtml(text)}</p>` : '')
  switch (section.kind) {
    case 'kpis': {
      const cards = section.kpis
        .map((k) => {
          const previous = `last ${escapeHtml(formatValue(k.previous, k.format, currency))}`
          const target = k.target === null ? '' : ` · target ${escapeHtml(formatValue(k.target, k.format, currency))}`
          return (
            `<div class="kpi" data-kpi="${escapeHtml(k.id)}"><div class="name">${escapeHtml(k.label)}</div>` +
            `<div class="value">${escapeHtml(formatValue(k.value, k.format, currency))}</div>` +
            `<div class="change ${changeTone(k)}">${escapeHtml(formatChange(k, currency))}</div>` +
            `<div class="name">${previous}${target}</div></div>`
          )
        })
        .join('')
      return `<section>${title}<div class="kpis">${cards}</div></section>`
    }
    case 'table':
      return `<section>${title}${table(section.columns, section.rows, currency)}${note(section.note)}</section>`
    case 'chart':
      return `<section>${title}${renderSvgChart(section.chart, section.title, currency)}${note(section.note)}</section>`
    case 'list':
      return `<section>${title}<ul>${section.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul></section>`
    case 'text':
      return section.preformatted
        ? `<section>${title}<pre>${escapeHtml(section.text)}</pre></section>`
        : `<section>${title}<p>${escapeHtml(section.text)}</p></section>`
  }
}

/**
 * A review pack as one self-contained HTML document: inline CSS, charts as inline SVG, no scripts,
 * no fonts or images from anywhere, print-friendly; every string from the pack is HTML-escaped.
 *
 * @example renderHtml(pack).startsWith('<!doctype html>') // true
 */
export function renderHtml(pack: ReviewPack): string {
  const currency = pack.currency
  const compared = pack.comparedWith
    ? ` · changes compared with ${pack.comparedWith.kind === 'pack' ? 'the last pack' : 'the previous period'}, ${escapeHtml(pack.comparedWith.label)}`
    : ''
  const alerts =
    pack.driftAlerts.length === 0
      ? '<p class="note-text">None.</p>'
      : `<ul class="alerts">${pack.driftAlerts
          .map(
            (a) => `<li class="${a.severity}"><strong>${a.severity}</strong> (${a.kind}): ${escapeHtml(a.text)}</li>`,
          )
          .join('')}</ul>`
  const items = table(
    [
      { key: 'text', label: 'Item' },
      { key: 'owner', label: 'Owner' },
      { key: 'due', label: 'Due' },
      { key: 'source', label: 'Since' },
    ],
    pack.actionItems.map((i) => ({
      text: i.text,
      owner: i.owner ?? '—',
      due: i.dueAt === null ? '—' : formatInstant(i.dueAt),
      source: i.source === 'carried' ? 'last pack' : i.source === 'generated' ? 'this pack' : 'tracked',
    })),
    currency,
  )
  const closed =
    pack.closedSinceLastPack.length === 0
      ? ''
      : `<h3>Closed since the last pack</h3><ul>${pack.closedSinceLastPack.map((i) => `<li>${escapeHtml(i.text)}</li>`).join('')}</ul>`
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(pack.title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<header><h1>${escapeHtml(pack.title)}</h1>`,
    `<p class="meta">Period <strong>${escapeHtml(pack.period.label)}</strong> (${formatPeriodRange(pack.period)}) · generated ${formatInstant(pack.generatedAt)}${compared}</p></header>`,
    ...pack.sections.map((s) => renderSection(s, currency)),
    `<section><h2>Drift alerts</h2>${alerts}</section>`,
    `<section><h2>Open action items</h2>${items}${closed}</section>`,
    '</body></html>',
    '',
  ].join('\n')
}
