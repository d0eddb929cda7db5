import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type DispositionRecord, dispositionMetrics } from './disposition-metrics.ts'
import { targetProgress } from './target-progress.ts'

const d = (
  outcome: DispositionRecord['outcome'],
  reasonCode: string | null,
  source: string,
  at = 5,
): DispositionRecord => ({
  at,
  outcome,
  reasonCode,
  dims: { source },
})

describe('disposition metrics', () => {
  const ds = [
    ...Array.from({ length: 6 }, () => d('accepted', null, 'web')),
    d('rejected', 'too_small', 'webinar'),
    d('rejected', 'too_small', 'webinar'),
    d('rejected', 'wrong_industry', 'web'),
    d('recycled', 'not_now', 'webinar'),
    d('rejected', 'duplicate', 'web', 50),
  ]
  const m = dispositionMetrics(ds, { period: { from: 0, to: 10 }, by: 'source' })

  test('6 accepted of 10 in the period: acceptance 60%', () => {
    assert.equal(m.overall.total, 10)
    assert.equal(m.overall.acceptanceRate, 0.6)
    assert.equal(m.overall.rejectionRate, 0.3)
    assert.equal(m.overall.recycleRate, 0.1)
  })

  test('too_small is 2 of 3 rejections and 20% of all dispositions', () => {
    assert.deepEqual(m.overall.rejectionReasons, [
      { code: 'too_small', count: 2, share: 2 / 3, shareOfAll: 0.2 },
      { code: 'wrong_industry', count: 1, share: 1 / 3, shareOfAll: 0.1 },
    ])
    assert.deepEqual(m.overall.recycleReasons, [{ code: 'not_now', count: 1, share: 1, shareOfAll: 0.1 }])
  })

  test('by source, webinar accepted none of 3', () => {
    assert.deepEqual(
      m.groups.map((g) => [g.key, g.total, g.acceptanceRate]),
      [
        ['web', 7, 6 / 7],
        ['webinar', 3, 0],
      ],
    )
  })
})

describe('target progress with linear pacing', () => {
  // 2026-Q4 has 92 days; 16 November 00:00 UTC is 46 days in: exactly half.
  const now = Date.UTC(2026, 10, 16)
  const progress = targetProgress(
    { pipeline: 1_500_000, bookings: 300_000, mqls: 700, sla_compliance: 0.93 },
    { period: '2026-Q4', pipeline: 3_000_000, bookings: 900_000, mqls: 1200, sla_compliance: 0.9, sqls: 300 },
    { now },
  )
  const line = (metric: string) => progress.lines.find((l) => l.metric === metric)!

  test('half way through the quarter half the pipeline target is on track', () => {
    assert.equal(progress.elapsed, 0.5)
    assert.deepEqual(
      { share: line('pipeline').share, expected: line('pipeline').expectedShare, status: line('pipeline').status },
      { share: 0.5, expected: 0.5, status: 'on_track' },
    )
  })

  test('a third of bookings at half time is behind; 58% of MQLs is ahead but not yet met', () => {
    assert.equal(line('bookings').status, 'behind')
    assert.equal(line('mqls').status, 'ahead')
    assert.equal(line('mqls').met, false)
  })

  test('SLA compliance is a rate: 93% against 90% is met and on track at any time', () => {
    assert.equal(line('sla_compliance').expectedShare, 1)
    assert.equal(line('sla_compliance').status, 'on_track')
    assert.equal(line('sla_compliance').met, true)
  })

  test('a target without an actual is behind once the period has started, and says so', () => {
    assert.equal(line('sqls').actual, null)
    assert.equal(line('sqls').status, 'behind')
    assert.equal(line('sqls').reason, 'sqls: no actual yet against a target of 300')
  })

  test('after the period the whole target is expected; before it nothing is', () => {
    const after = targetProgress({ mqls: 1250 }, { period: '2026-Q4', mqls: 1200 }, { now: Date.UTC(2027, 1, 1) })
    assert.deepEqual([after.elapsed, after.lines[0]!.status, after.lines[0]!.met], [1, 'on_track', true])
    const before = targetProgress({ mqls: 0 }, { period: '2026-Q4', mqls: 1200 }, { now: Date.UTC(2026, 8, 1) })
    assert.deepEqual([before.elapsed, before.lines[0]!.status], [0, 'on_track'])
  })
})
