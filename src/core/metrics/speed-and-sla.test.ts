import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { classifySlaClock, type SlaClockRecord, slaCompliance } from './sla-compliance.ts'
import { type HandoffRecord, speedToLead } from './speed-to-lead.ts'

const HOUR = 3_600_000
const handoff = (tier: string, hours: number | null, owner = 'ann', at = 0): HandoffRecord => ({
  handedOffAt: at,
  firstTouchAt: hours === null ? null : at + hours * HOUR * 2,
  businessMsToTouch: hours === null ? null : hours * HOUR,
  tier,
  team: tier === 'hot' ? 'sdr' : 'ae',
  owner,
})

describe('speed-to-lead', () => {
  const handoffs = [
    handoff('hot', 0.5),
    handoff('hot', 1, 'bob'),
    handoff('warm', 2),
    handoff('warm', 4, 'bob'),
    handoff('warm', null),
    handoff('warm', 0.1, 'ann', 10_000),
  ]
  const s = speedToLead(handoffs, { period: { from: 0, to: 10_000 } })

  test('touches after 0.5, 1, 2 and 4 business hours: median 1.5 h, p90 3.4 h, mean 1.875 h', () => {
    assert.deepEqual(s.overall.businessHours, { count: 4, mean: 1.875, median: 1.5, p90: 3.4 })
  })

  test('the untouched handoff is counted but not timed, and the handoff after the period is left out', () => {
    assert.equal(s.overall.handoffs, 5)
    assert.equal(s.overall.untouched, 1)
    assert.equal(s.overall.touched, 4)
  })

  test('by tier: hot median 0.75 h, warm median 3 h over its two touches', () => {
    assert.deepEqual(
      s.byTier.map((r) => [r.key, r.businessHours.median, r.untouched]),
      [
        ['hot', 0.75, 0],
        ['warm', 3, 1],
      ],
    )
    assert.deepEqual(
      s.byOwner.map((r) => r.key),
      ['ann', 'bob'],
    )
  })
})

describe('SLA compliance', () => {
  const now = 1000
  const clock = (
    state: SlaClockRecord['state'],
    tier: string,
    owner: string,
    extra: Partial<SlaClockRecord> = {},
  ): SlaClockRecord => ({ state, tier, team: tier === 'hot' ? 'sdr' : 'ae', owner, dueAt: 100, ...extra })
  const clocks = [
    clock('met', 'hot', 'ann'),
    clock('met', 'hot', 'bob', { late: true }),
    clock('breached', 'warm', 'bob'),
    clock('running', 'warm', 'ann', { dueAt: 500 }),
    clock('running', 'warm', 'ann', { dueAt: 2000 }),
    clock('paused', 'warm', 'ann', { dueAt: null }),
    clock('cancelled', 'warm', 'bob', { breachedAt: 300 }),
    clock('cancelled', 'warm', 'bob'),
    clock('met', 'warm', 'ann', { late: false }),
  ]
  const c = slaCompliance(clocks, { now })

  test('2 met in time of 6 decided clocks (1 late, 3 breached): 33.3%', () => {
    assert.equal(c.overall.metInTime, 2)
    assert.equal(c.overall.metLate, 1)
    assert.equal(c.overall.breached, 3)
    assert.equal(c.overall.pending, 2)
    assert.equal(c.overall.cancelled, 1)
    assert.equal(c.overall.compliance, 2 / 6)
  })

  test('a running clock past due counts as breached; at its due instant it is still pending', () => {
    assert.equal(classifySlaClock(clock('running', 'hot', 'ann', { dueAt: 999 }), now), 'breached')
    assert.equal(classifySlaClock(clock('running', 'hot', 'ann', { dueAt: 1000 }), now), 'pending')
    assert.equal(classifySlaClock(clock('running', 'hot', 'ann', { dueAt: Number.POSITIVE_INFINITY }), now), 'pending')
  })

  test('by tier, team and rep', () => {
    assert.deepEqual(
      c.byTier.map((r) => [r.key, r.compliance]),
      [
        ['hot', 0.5],
        ['warm', 0.25],
      ],
    )
    assert.deepEqual(
      c.byTeam.map((r) => [r.key, r.compliance]),
      [
        ['ae', 0.25],
        ['sdr', 0.5],
      ],
    )
    assert.deepEqual(
      c.byOwner.map((r) => [r.key, r.compliance]),
      [
        ['ann', 2 / 3],
        ['bob', 0],
      ],
    )
    assert.match(c.convention, /running clock whose due instant has passed/)
  })

  test('with a period only clocks due in it count, and a rep with nothing decided has unknown compliance', () => {
    const p = slaCompliance(clocks, { now, period: { from: 400, to: 3000 } })
    assert.equal(p.overall.clocks, 2)
    assert.equal(p.overall.breached, 1)
    assert.equal(p.overall.pending, 1)
    const pending = slaCompliance([clock('paused', 'hot', 'cy', { dueAt: null })], { now })
    assert.equal(pending.overall.compliance, null)
  })
})
