import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { attribute } from '../attribution/index.ts'
import { detectDrift, proposeAmendments } from '../feedback/index.ts'
import { type HandoffRecord, type OpportunityRecord, parsePeriod, type SlaClockRecord } from '../metrics/index.ts'
import {
  buildMonthlySlaHealth,
  buildQuarterlyIcpReview,
  buildWeeklyPipelineReview,
  type Kpi,
  type ReviewPack,
  renderHtml,
  renderMarkdown,
} from './index.ts'

const DAY = 86_400_000
const HOUR = 3_600_000
const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`)
const EVIL = '<script>alert(1)</script>'

const opp = (
  id: string,
  amount: number,
  created: string,
  closed: string | null,
  won: boolean,
  owner: string,
  extra: Partial<OpportunityRecord> = {},
): OpportunityRecord => ({
  id,
  name: `Deal ${id}`,
  account: `Account ${id}`,
  amount,
  createdAt: at(created),
  closedAt: closed === null ? null : at(closed),
  isClosed: closed !== null,
  isWon: won,
  owner,
  stage: closed === null ? 'Proposal' : won ? 'Won' : 'Lost',
  dims: { source: id < 'C' ? 'webinar' : 'search', fit_band: id < 'D' ? 'A' : 'B' },
  ...extra,
})

// Week 2026-W47 is Mon 16 – Sun 22 November; W46 the week before.
const opps = [
  opp('A', 50_000, '2026-11-17', null, false, EVIL, { lastActivityAt: at('2026-11-17') }),
  opp('B', 20_000, '2026-11-18', '2026-11-20', true, 'ann'),
  opp('C', 10_000, '2026-10-01', '2026-11-19', false, 'bob'),
  opp('D', 30_000, '2026-10-10', null, false, 'bob', { lastActivityAt: at('2026-10-15') }),
  opp('E', 40_000, '2026-11-10', '2026-11-12', true, 'ann'),
  opp('F', 5_000, '2026-11-11', '2026-11-13', false, 'bob', { dims: { source: 'search', fit_band: 'A' } }),
]
const week = parsePeriod('2026-W47')
const now = week.to
const kpi = (pack: ReviewPack, id: string): Kpi => {
  for (const s of pack.sections) if (s.kind === 'kpis') for (const k of s.kpis) if (k.id === id) return k
  throw new Error(`no KPI ${id}`)
}

describe('weekly pipeline review', () => {
  const data = { opportunities: opps, targets: [{ period: '2026-Q4', pipeline: 3_000_000 }], currency: 'USD' }
  const first = buildWeeklyPipelineReview(data, { period: week, now, currency: 'USD' })

  test('without a last pack the changes compare with the previous week computed from the data', () => {
    assert.deepEqual(first.comparedWith, { kind: 'period', label: '2026-W46', generatedAt: null })
    const created = kpi(first, 'pipeline_created')
    assert.deepEqual([created.value, created.previous, created.change], [70_000, 45_000, 25_000])
    assert.ok(Math.abs(created.changeRatio! - 25_000 / 45_000) < 1e-12)
    const winRate = kpi(first, 'win_rate')
    assert.deepEqual([winRate.value, winRate.previous, winRate.change], [0.5, 0.5, 0])
  })

  test('with a last pack the previous values are that pack’s, matched by KPI id', () => {
    const last: ReviewPack = {
      ...first,
      period: parsePeriod('2026-W46'),
      sections: [
        {
          kind: 'kpis',
          title: 'Headline numbers',
          kpis: [
            { ...kpi(first, 'pipeline_created'), value: 100_000 },
            { ...kpi(first, 'win_rate'), value: 0.75 },
          ],
        },
      ],
    }
    const pack = buildWeeklyPipelineReview(data, { period: week, now, previous: last })
    const created = kpi(pack, 'pipeline_created')
    assert.deepEqual([created.previous, created.change, created.changeRatio], [100_000, -30_000, -0.3])
    assert.equal(kpi(pack, 'win_rate').change, -0.25)
    assert.equal(kpi(pack, 'bookings').previous, null)
    assert.deepEqual(pack.comparedWith, { kind: 'pack', label: '2026-W46', generatedAt: first.generatedAt })
    assert.ok(
      pack.driftAlerts.some(
        (a) => a.kind === 'change' && a.text.startsWith('Win rate (won ÷ closed, by count) fell 25.0 pts'),
      ),
    )
  })

  test('pipeline created quarter to date (155,000 of 3,000,000) is behind pace and becomes an action item', () => {
    const pacing = first.sections.find((s) => s.kind === 'table' && s.title.startsWith('Against the shared targets'))
    assert.ok(pacing && pacing.kind === 'table')
    assert.equal(pacing.rows[0]!.actual, 'USD 155,000')
    assert.equal(pacing.rows[0]!.status, 'behind')
    assert.ok(Math.abs((pacing.rows[0]!.expected as number) - 53 / 92) < 1e-12)
    assert.ok(first.actionItems.some((i) => i.id === 'pacing:2026-Q4:pipeline'))
    assert.ok(first.driftAlerts.some((a) => a.kind === 'pacing'))
  })

  test('the stalled deal is D, idle 39 days, and its owner gets an action item', () => {
    const stalled = first.sections.find((s) => s.kind === 'table' && s.title.startsWith('Stalled deals'))
    assert.ok(stalled && stalled.kind === 'table')
    assert.deepEqual(
      stalled.rows.map((r) => [r.name, r.idle]),
      [['Deal D', 39]],
    )
    assert.ok(
      first.actionItems.some(
        (i) => i.id === 'stalled:bob' && i.text === 'bob: review 1 stalled deal (USD 30,000 open)',
      ),
    )
  })

  test('open items of the last pack carry over unless tracked as done, which lists them as closed', () => {
    const last: ReviewPack = {
      ...first,
      actionItems: [
        { id: 'x1', text: 'Fix the EMEA routing rule', owner: 'ann', dueAt: null, status: 'open', source: 'tracked' },
        { id: 'x2', text: 'Re-score webinar leads', owner: null, dueAt: null, status: 'open', source: 'tracked' },
      ],
    }
    const pack = buildWeeklyPipelineReview(
      {
        ...data,
        actionItems: [
          { id: 'x1', text: 'Fix the EMEA routing rule', owner: 'ann', dueAt: null, status: 'done', source: 'tracked' },
        ],
      },
      { period: week, now, previous: last },
    )
    assert.deepEqual(
      pack.closedSinceLastPack.map((i) => i.id),
      ['x1'],
    )
    assert.equal(pack.actionItems.find((i) => i.id === 'x2')?.source, 'carried')
    assert.equal(
      pack.actionItems.find((i) => i.id === 'x1'),
      undefined,
    )
  })

  test('the Markdown tables hold the numbers and the changes', () => {
    const md = renderMarkdown(first)
    assert.match(md, /^# Weekly pipeline review 2026-W47\n/)
    assert.match(md, /\| Pipeline created \| USD 70,000 \| USD 45,000 \| \+USD 25,000 \(\+55\.6%\) \|/)
    assert.match(md, /\| Win rate \(won ÷ closed, by count\) \| 50\.0% \| 50\.0% \| ±0\.0 pts \|/)
    assert.match(md, /\| Deal A \| Account A \| &lt;script&gt;alert\(1\)&lt;\/script&gt; \| Proposal \| USD 50,000 \|/)
    assert.match(md, /\| 2026-W47 \| USD 70,000 \|/)
  })

  test('a rep named <script> is escaped in Markdown and HTML', () => {
    const md = renderMarkdown(first)
    const html = renderHtml(first)
    assert.ok(!md.includes('<script'))
    assert.ok(!html.includes('<script'))
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  })

  test('the HTML is one self-contained document: no external URLs, scripts or fonts, charts inline', () => {
    const html = renderHtml(first)
    assert.ok(html.startsWith('<!doctype html>'))
    assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i)
    assert.doesNotMatch(html, /https?:\/\//)
    assert.doesNotMatch(html, /@import|@font-face|<link|<img|<iframe/i)
    assert.equal((html.match(/<svg /g) ?? []).length, 2)
    assert.match(html, /<path d="M[^"]+L/)
    assert.match(html, /@media print/)
  })
})

describe('monthly SLA health check', () => {
  const month = parsePeriod('2026-11')
  const mNow = at('2026-12-01')
  const clock = (
    state: SlaClockRecord['state'],
    tier: string,
    owner: string,
    due: string,
    late = false,
  ): SlaClockRecord => ({
    state,
    late,
    tier,
    team: tier === 'hot' ? 'sdr' : 'ae',
    owner,
    dueAt: at(due),
  })
  const clocks = [
    clock('met', 'hot', 'ann', '2026-11-02'),
    clock('met', 'hot', 'ann', '2026-11-03'),
    clock('met', 'hot', EVIL, '2026-11-04', true),
    clock('breached', 'warm', EVIL, '2026-11-05'),
    clock('met', 'warm', 'bob', '2026-11-06'),
    clock('running', 'warm', 'bob', '2026-11-20'),
    clock('met', 'warm', 'bob', '2026-10-06'),
  ]
  const handoffs: HandoffRecord[] = [0.5, 1, 2, 4].map((h, i) => ({
    handedOffAt: at('2026-11-02') + i * DAY,
    firstTouchAt: at('2026-11-02') + i * DAY + h * HOUR,
    businessMsToTouch: h * HOUR,
    tier: 'hot',
    team: 'sdr',
    owner: 'ann',
  }))
  const pack = buildMonthlySlaHealth(
    {
      clocks,
      handoffs,
      slaTarget: 0.9,
      breaches: [
        {
          leadId: 'L9',
          leadName: 'Jo <b>Bloggs</b>',
          owner: EVIL,
          team: 'ae',
          tier: 'warm',
          dueAt: at('2026-11-05'),
          breachedAt: at('2026-11-05'),
          touchedAt: null,
          escalations: ['notified manager', 'reassigned to backup_pool'],
        },
      ],
    },
    { period: month, now: mNow },
  )

  test('compliance is 3 met in time of 6 decided (1 late, 2 breached incl. a running clock past due), target 90%', () => {
    const c = kpi(pack, 'sla_compliance')
    assert.equal(c.value, 0.5)
    assert.equal(c.target, 0.9)
    assert.equal(c.previous, 1)
    assert.equal(c.change, -0.5)
    assert.ok(pack.driftAlerts.some((a) => a.kind === 'sla' && a.severity === 'critical'))
  })

  test('speed-to-lead median 1.5 and p90 3.4 business hours', () => {
    assert.equal(kpi(pack, 'speed_median_hours').value, 1.5)
    assert.equal(kpi(pack, 'speed_p90_hours').value, 3.4)
  })

  test('the worst offender is the rep with one breach and one late touch, first in the table and in the action items', () => {
    const worst = pack.sections.find((s) => s.kind === 'table' && s.title.startsWith('Worst offenders'))
    assert.ok(worst && worst.kind === 'table')
    assert.deepEqual(
      worst.rows.map((r) => [r.key, r.breached, r.metLate]),
      [
        [EVIL, 1, 1],
        ['bob', 1, 0],
      ],
    )
    assert.equal(pack.actionItems[0]!.owner, EVIL)
  })

  test('rendered, the tables hold the tier numbers and every user string is escaped', () => {
    const md = renderMarkdown(pack)
    assert.match(md, /\| hot \| 3 \| 2 \| 1 \| 0 \| 0 \| 66\.7% \|/)
    assert.match(md, /\| warm \| 3 \| 1 \| 0 \| 2 \| 0 \| 33\.3% \|/)
    assert.match(md, /notified manager; reassigned to backup\\_pool/)
    const html = renderHtml(pack)
    assert.ok(!html.includes('<script') && !html.includes('<b>Bloggs'))
    assert.ok(html.includes('Jo &lt;b&gt;Bloggs&lt;/b&gt;'))
    assert.doesNotMatch(html, /(src|href)\s*=\s*["']?https?:/i)
  })
})

describe('quarterly ICP review', () => {
  const quarter = parsePeriod('2026-Q4')
  const alerts = detectDrift(
    [
      {
        dimension: 'employees_band',
        value: '<50',
        metric: 'rejection_rate',
        recent: { hits: 41, total: 52, reasons: { too_small: 38, no_budget: 3 } },
        baseline: { hits: 30, total: 200, reasons: { too_small: 20 } },
      },
    ],
    { windowLabel: 'the last 4 weeks' },
  )
  const amendments = proposeAmendments(alerts)
  const journeys = [
    { touches: [{ channel: 'webinar' }, { channel: 'search' }], conversions: 2, value: 20_000 },
    { touches: [{ channel: 'search' }], conversions: 1, value: 10_000 },
  ]
  const pack = buildQuarterlyIcpReview(
    {
      opportunities: opps,
      driftAlerts: alerts,
      amendments,
      attribution: {
        locked: attribute(journeys, { kind: 'u_shaped' }),
        alternatives: [attribute(journeys, { kind: 'first' }), attribute(journeys, { kind: 'last' })],
      },
      calibration: {
        auc: 0.884,
        n: 9240,
        positives: 3561,
        factors: [
          {
            column: 'Lead Origin',
            kind: 'categorical',
            importance: 2.2,
            reference: 'Landing Page Submission',
            terms: [{ term: 'Lead Add Form', coefficient: 2.2, oddsRatio: 9.1, rows: 500, sentence: 'odds ×9.1' }],
            sentence: 'Lead Origin = Lead Add Form: odds ×9.1 vs Landing Page Submission',
          },
        ],
      },
    },
    { period: quarter, now: at('2027-01-01') },
  )

  test('win rate by fit band: A won 1 of 3 closed, B won its only closed deal', () => {
    const bands = pack.sections.find((s) => s.kind === 'table' && s.title === 'Outcomes by ICP fit band')
    assert.ok(bands && bands.kind === 'table')
    assert.deepEqual(
      bands.rows.map((r) => [r.band, r.closed, r.won, r.winRate]),
      [
        ['A', 3, 1, 1 / 3],
        ['B', 1, 1, 1],
      ],
    )
  })

  test('the drift alert and its amendment appear with the amendment YAML and an action item', () => {
    assert.equal(pack.driftAlerts.filter((a) => a.kind === 'drift').length, 1)
    const yaml = pack.sections.find((s) => s.kind === 'text' && s.preformatted)
    assert.ok(yaml && yaml.kind === 'text' && yaml.text.includes('account.employees < 50'))
    assert.ok(pack.actionItems.some((i) => i.id.startsWith('amendment:add_disqualifier:employees_band')))
    const md = renderMarkdown(pack)
    assert.match(md, /```yaml\n[\s\S]*account\.employees < 50[\s\S]*```/)
  })

  test('attribution shows the locked U-shaped model with first and last touch beside it', () => {
    const table = pack.sections.find((s) => s.kind === 'table' && s.title.startsWith('Attribution by channel'))
    assert.ok(table && table.kind === 'table')
    assert.deepEqual(
      table.columns.map((c) => c.label),
      ['Channel', 'u_shaped (locked): conversions', 'u_shaped (locked): value', 'first: value', 'last: value'],
    )
    assert.deepEqual(
      table.rows.map((r) => [r.channel, r.conversions, r.value, r.alt0, r.alt1]),
      [
        ['search', 2, 20_000, 10_000, 30_000],
        ['webinar', 1, 10_000, 20_000, 0],
      ],
    )
    assert.match(renderMarkdown(pack), /\| search \| 2\.00 \| 20,000 \| 10,000 \| 30,000 \|/)
  })
})
