import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type FunnelLead, funnel } from './funnel.ts'

const DAY = 86_400_000
const day = (n: number) => n * DAY
const stages = ['Lead', 'MQL', 'SQL']
const period = { from: day(10), to: day(20) }

// Hand-built histories (days): L1 goes all the way, L2 stalls in MQL, L3 skips MQL, L4 entered Lead
// before the period and reaches SQL after it, L5 is still a Lead, L6 arrives after the period.
const leads: FunnelLead[] = [
  {
    id: 'L1',
    dims: { source: 'web' },
    stages: [
      { stage: 'Lead', enteredAt: day(11), exitedAt: day(12) },
      { stage: 'MQL', enteredAt: day(12), exitedAt: day(15) },
      { stage: 'SQL', enteredAt: day(15) },
    ],
  },
  {
    id: 'L2',
    dims: { source: 'web' },
    stages: [
      { stage: 'Lead', enteredAt: day(12), exitedAt: day(14) },
      { stage: 'MQL', enteredAt: day(14), exitedAt: null },
    ],
  },
  {
    id: 'L3',
    dims: { source: 'ads' },
    stages: [
      { stage: 'Lead', enteredAt: day(13), exitedAt: day(13.5) },
      { stage: 'SQL', enteredAt: day(13.5) },
    ],
  },
  {
    id: 'L4',
    dims: { source: 'ads' },
    stages: [
      { stage: 'Lead', enteredAt: day(5), exitedAt: day(11) },
      { stage: 'MQL', enteredAt: day(11), exitedAt: day(25) },
      { stage: 'SQL', enteredAt: day(25) },
    ],
  },
  { id: 'L5', dims: { source: null }, stages: [{ stage: 'Lead', enteredAt: day(19) }] },
  { id: 'L6', dims: { source: 'web' }, stages: [{ stage: 'Lead', enteredAt: day(21) }] },
]

describe('funnel, cohort entered in period', () => {
  const result = funnel(leads, { stages, period, by: 'source', cohort: 'entered_in_period' })
  const [lead, mql, sql] = result.overall.stages

  test('4 leads entered Lead in the period and 3 moved on (one by skipping MQL): 75%', () => {
    assert.equal(lead!.entered, 4)
    assert.equal(lead!.advanced, 3)
    assert.equal(lead!.conversion, 0.75)
  })

  test('3 entered MQL in the period; 2 reached SQL by now, one of them after the period ended', () => {
    assert.equal(mql!.entered, 3)
    assert.equal(mql!.advanced, 2)
    assert.equal(mql!.conversion, 2 / 3)
  })

  test('the last stage has entries but no conversion', () => {
    assert.equal(sql!.entered, 2)
    assert.equal(sql!.advanced, null)
    assert.equal(sql!.conversion, null)
  })

  test('time in Lead of the three that left it is 0.5, 1 and 2 days: median 1, p90 1.8 days', () => {
    const t = lead!.timeInStageMs
    assert.equal(t.count, 3)
    assert.equal(t.median, day(1))
    assert.equal(t.p90, day(1.8))
  })

  test('time in MQL is 3 and 14 days: median 8.5, p90 12.9 days; the lead still in MQL is not timed', () => {
    const t = mql!.timeInStageMs
    assert.equal(t.count, 2)
    assert.equal(t.median, day(8.5))
    assert.ok(Math.abs(t.p90! - day(12.9)) < 1e-3)
  })

  test('groups by source come alphabetically with the unknown source last', () => {
    assert.deepEqual(
      result.groups.map((g) => [g.key, g.stages[0]!.entered, g.stages[0]!.advanced]),
      [
        ['ads', 1, 1],
        ['web', 2, 2],
        [null, 1, 0],
      ],
    )
  })

  test('the result states its cohort convention', () => {
    assert.equal(result.cohort, 'entered_in_period')
    assert.match(result.convention, /share that reached the next stage/)
  })

  test('as of day 20, the SQL reached on day 25 does not count yet and the MQL still open on day 20 is not timed', () => {
    const asOf = funnel(leads, { stages, period, cohort: 'entered_in_period', asOf: day(20) })
    const m = asOf.overall.stages[1]!
    assert.equal(m.advanced, 1)
    assert.equal(m.timeInStageMs.count, 1)
    assert.deepEqual(asOf.groups, [])
  })

  test('a lead recycled back to Lead after reaching MQL advanced from its in-period Lead entry', () => {
    const recycled: FunnelLead = {
      id: 'R',
      dims: {},
      stages: [
        { stage: 'Lead', enteredAt: day(11), exitedAt: day(12) },
        { stage: 'MQL', enteredAt: day(12), exitedAt: day(13) },
        { stage: 'Lead', enteredAt: day(13) },
      ],
    }
    const r = funnel([recycled], { stages, period, cohort: 'entered_in_period' }).overall.stages[0]!
    assert.equal(r.entered, 1)
    assert.equal(r.advanced, 1)
    assert.equal(r.timeInStageMs.median, day(1))
  })
})
