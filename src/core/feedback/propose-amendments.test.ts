import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { detectDrift, type SegmentCounts } from './detect-drift.ts'
import { proposeAmendments, segmentCondition } from './propose-amendments.ts'

const segment = (
  dimension: string,
  value: string,
  recent: SegmentCounts['recent'],
  baseline: SegmentCounts['baseline'],
): SegmentCounts => ({
  dimension,
  value,
  metric: 'rejection_rate',
  recent,
  baseline,
})

describe('proposeAmendments', () => {
  test('small companies mostly rejected as too_small become a disqualifier with evidence', () => {
    const alerts = detectDrift([
      segment(
        'employees_band',
        '<50',
        { hits: 45, total: 52, reasons: { too_small: 41, no_budget: 4 } },
        { hits: 30, total: 200 },
      ),
    ])
    const amendment = proposeAmendments(alerts, { windowLabel: '4 weeks' })[0]!
    assert.equal(amendment.kind, 'add_disqualifier')
    if (amendment.kind !== 'add_disqualifier') return
    assert.equal(amendment.when, 'account.employees < 50')
    assert.equal(amendment.reason, 'too_small')
    assert.equal(amendment.evidence, '41 of 52 such leads rejected as too_small in 4 weeks')
    assert.equal(
      amendment.yaml,
      'icp:\n  disqualify:\n    - name: employees <50\n      when: account.employees < 50\n      reason: too_small\n',
    )
  })

  test('a source with rising rejection below the exclusion rate gets lower intent points by the acceptance ratio', () => {
    const alerts = detectDrift([segment('source', 'webinar', { hits: 30, total: 60 }, { hits: 40, total: 200 })])
    const amendment = proposeAmendments(alerts)[0]!
    assert.equal(amendment.kind, 'lower_intent_points')
    if (amendment.kind !== 'lower_intent_points') return
    // Acceptance fell from 80% to 50%: 0.5 / 0.8 = 0.625, rounded to the nearest 0.05.
    assert.equal(amendment.multiplier, 0.65)
    assert.equal(amendment.when, 'lead.source == "webinar"')
  })

  test('a source rejected at 80% or more is proposed for exclusion', () => {
    const alerts = detectDrift([
      segment(
        'campaign',
        'q3-giveaway',
        { hits: 50, total: 55, reasons: { student_or_job_seeker: 44 } },
        { hits: 40, total: 200 },
      ),
    ])
    const amendment = proposeAmendments(alerts, { fields: { campaign: 'lead.utm_campaign' } })[0]!
    assert.equal(amendment.kind, 'exclude_source')
    if (amendment.kind !== 'exclude_source') return
    assert.equal(amendment.when, 'lead.utm_campaign == "q3-giveaway"')
    assert.equal(amendment.reason, 'student_or_job_seeker')
  })

  test('an ICP criterion whose matched leads are rejected more loses points in proportion', () => {
    const alerts = detectDrift([
      segment('icp:Mid-market', 'matched', { hits: 30, total: 60 }, { hits: 40, total: 200 }),
    ])
    const amendment = proposeAmendments(alerts, { criterionPoints: { 'Mid-market': 25 } })[0]!
    assert.equal(amendment.kind, 'lower_fit_points')
    if (amendment.kind !== 'lower_fit_points') return
    assert.equal(amendment.points, 16)
  })

  test('an industry drifting up without a dominant reason gets a fit penalty, and improving segments propose nothing', () => {
    const alerts = detectDrift([
      segment('industry', 'Retail', { hits: 25, total: 60 }, { hits: 40, total: 200 }),
      segment('industry', 'Fintech', { hits: 5, total: 100 }, { hits: 60, total: 200 }),
    ])
    assert.equal(alerts.length, 2)
    const amendments = proposeAmendments(alerts)
    assert.equal(amendments.length, 1)
    const penalty = amendments[0]!
    assert.equal(penalty.kind, 'add_fit_penalty')
    if (penalty.kind !== 'add_fit_penalty') return
    // Rejection rose from 20% to 41.7%: −round(50 × 0.2167) = −11.
    assert.equal(penalty.points, -11)
    assert.equal(penalty.when, 'account.industry == "Retail"')
  })

  test('employee bands map to ranges', () => {
    assert.equal(segmentCondition('employees_band', '50-199', {}), 'account.employees >= 50 && account.employees < 200')
    assert.equal(segmentCondition('employees_band', '5000+', {}), 'account.employees >= 5000')
  })
})
