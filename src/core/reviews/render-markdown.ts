import { formatChange, formatInstant, formatPeriodRange, formatValue } from './format-value.ts'
import type { Cell, ChartSpec, PackSection, ReviewPack, TableColumn, ValueFormat } from './review-pack-types.ts'

/**
 * Text made safe inside Markdown: HTML metacharacters become entities (Markdown renderers pass raw
 * HTML through, so a rep named `<script>` must not become a tag), Markdown punctuation is
 * backslash-escaped and line breaks flatten to spaces.
 *
 * @example escapeMarkdown('<b>|x*') // '&lt;b&gt;\\|x\\*'
 */
export function escapeMarkdown(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1')
    .replace(/\r?\n/g, ' ')
}

const cellText = (value: Cell, format: ValueFormat | undefined, currency: string | null) =>
  typeof value === 'number' && format !== undefined
    ? formatValue(value, format, currency)
    : value === null
      ? '—'
      : String(value)

function table(
  columns: readonly TableColumn[],
  rows: readonly Record<string, Cell>[],
  currency: string | null,
): string {
  const header = `| ${columns.map((c) => escapeMarkdown(c.label)).join(' | ')} |`
  const rule = `| ${columns.map((c) => (c.format ? '---:' : '---')).join(' | ')} |`
  const body = rows.map(
    (row) => `| ${columns.map((c) => escapeMarkdown(cellText(row[c.key] ?? null, c.format, currency))).join(' | ')} |`,
  )
  return [header, rule, ...body].join('\n')
}

function chartTable(chart: ChartSpec, currency: string | null): string {
  switch (chart.kind) {
    case 'bar':
      return table(
        [
          { key: 'label', label: 'Label' },
          { key: 'value', label: 'Value', format: chart.format },
        ],
        [
          ...chart.bars.map((b) => ({ label: b.label, value: b.value })),
          ...(chart.reference ? [{ label: chart.reference.label, value: chart.reference.value }] : []),
        ],
        currency,
      )
    case 'funnel':
      return table(
        [
          { key: 'label', label: 'Stage' },
          { key: 'value', label: 'Entered', format: 'count' },
          { key: 'note', label: 'Note' },
        ],
        chart.steps.map((s) => ({ label: s.label, value: s.value, note: s.note ?? '' })),
        currency,
      )
    case 'line':
      return table(
        [
          { key: 'label', label: 'Period' },
          { key: 'value', label: 'Value', format: chart.format },
        ],
        [
          ...chart.points.map((p) => ({ label: p.label, value: p.value })),
          ...(chart.target ? [{ label: chart.target.label, value: chart.target.value }] : []),
        ],
        currency,
      )
  }
}

/** A fence longer than any backtick run in the text, so preformatted text cannot close it early. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  return '`'.repeat(Math.max(3, longest + 1))
}

function renderSection(section: PackSection, currency: string | null): string {
  const title = `## ${escapeMarkdown(section.title)}`
  switch (section.kind) {
    case 'kpis':
      return [
        title,
        '',
        table(
          [
            { key: 'label', label: 'Metric' },
            { key: 'value', label: 'This pack' },
            { key: 'previous', label: 'Last pack' },
            { key: 'change', label: 'Change' },
            { key: 'target', label: 'Target' },
          ],
          section.kpis.map((k) => ({
            label: k.label,
            value: formatValue(k.value, k.format, currency),
            previous: formatValue(k.previous, k.format, currency),
            change: formatChange(k, currency),
            target: k.target === null ? '' : formatValue(k.target, k.format, currency),
          })),
          currency,
        ),
      ].join('\n')
    case 'table': {
      const parts = [title, '', section.rows.length === 0 ? '_None._' : table(section.columns, section.rows, currency)]
      if (section.note) parts.push('', `_${escapeMarkdown(section.note)}_`)
      return parts.join('\n')
    }
    case 'chart': {
      const parts = [title, '', chartTable(section.chart, currency)]
      if (section.note) parts.push('', `_${escapeMarkdown(section.note)}_`)
      return parts.join('\n')
    }
    case 'list':
      return [title, '', ...section.items.map((i) => `- ${escapeMarkdown(i)}`)].join('\n')
    case 'text': {
      if (!section.preformatted) return [title, '', escapeMarkdown(section.text)].join('\n')
      const f = fence(section.text)
      return [title, '', `${f}yaml`, section.text, f].join('\n')
    }
  }
}

/**
 * A review pack as Markdown: a header with period and comparison, each section (KPIs and charts as
 * tables of their numbers), then drift alerts and open action items. Every pack string is escaped.
 *
 * @example renderMarkdown(buildWeeklyPipelineReview(data, { period, now })).startsWith('# Weekly pipeline review') // true
 */
export function renderMarkdown(pack: ReviewPack): string {
  const currency = pack.currency
  const header = [
    `# ${escapeMarkdown(pack.title)}`,
    '',
    `Period **${escapeMarkdown(pack.period.label)}** (${formatPeriodRange(pack.period)}) · generated ${formatInstant(pack.generatedAt)}` +
      (pack.comparedWith
        ? ` · changes compared with ${pack.comparedWith.kind === 'pack' ? 'the last pack' : 'the previous period'}, ${escapeMarkdown(pack.comparedWith.label)}`
        : ''),
  ].join('\n')
  const alerts = [
    '## Drift alerts',
    '',
    ...(pack.driftAlerts.length === 0
      ? ['_None._']
      : pack.driftAlerts.map((a) => `- **${a.severity}** (${a.kind}): ${escapeMarkdown(a.text)}`)),
  ].join('\n')
  const items = [
    '## Open action items',
    '',
    pack.actionItems.length === 0
      ? '_None._'
      : table(
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
        ),
  ]
  if (pack.closedSinceLastPack.length > 0) {
    items.push(
      '',
      '### Closed since the last pack',
      '',
      ...pack.closedSinceLastPack.map((i) => `- ${escapeMarkdown(i.text)}`),
    )
  }
  return `${[header, ...pack.sections.map((s) => renderSection(s, currency)), alerts, items.join('\n')].join('\n\n')}\n`
}
