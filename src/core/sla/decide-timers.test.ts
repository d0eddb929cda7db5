import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildCalendar, formatInZone } from '../calendar/index.ts'
import {
  applyTimerEvent,
  decideTimers,
  type EscalationStep,
  pauseClock,
  type SlaClock,
  startClock,
  stopClock,
} from './index.ts'

const HOUR = 3_600_000
const at = (iso: string) => Date.parse(iso)
const nyTime = (ms: number) => formatInZone(ms, 'America/New_York')
const newYork = buildCalendar({
  name: 'new_york',
  timeZone: 'America/New_York',
  weekly: {
    mon: ['09:00-17:00'],
    tue: ['09:00-17:00'],
    wed: ['09:00-17:00'],
    thu: ['09:00-17:00'],
    fri: ['09:00-17:00'],
  },
})
const steps: EscalationStep[] = [
  { afterBreachMs: 0, action: { kind: 'notify', who: 'manager' } },
  { afterBreachMs: HOUR, action: { kind: 'reassign', to: 'backup_pool' } },
]
// Friday 16:30, 1 business hour, warn at 75%: warn Monday 09:15, due Monday 09:30.
const hotLead = () =>
  startClock({ at: at('2026-11-20T16:30:00-05:00'), targetMs: HOUR, warnAtFraction: 0.75, calendar: newYork })

function applyAll(clock: SlaClock, now: number): SlaClock {
  let current = clock
  for (const event of decideTimers(current, steps, now, newYork).due) current = applyTimerEvent(current, event).clock
  return current
}

describe('SLA timer decisions', () => {
  test('before the warn instant nothing is due and the next timer is the warning at Monday 09:15', () => {
    const decision = decideTimers(hotLead(), steps, at('2026-11-23T09:00:00-05:00'), newYork)
    assert.deepEqual(decision.due, [])
    assert.equal(decision.next?.key, 'warn')
    assert.equal(nyTime(decision.next!.at), '2026-11-23T09:15:00-05:00')
    assert.equal(decision.reason, 'nothing due; next warn at 2026-11-23T09:15-05:00')
  })

  test('at 75% of the target the warning is due with its reason, then the breach is next', () => {
    const decision = decideTimers(hotLead(), steps, at('2026-11-23T09:15:00-05:00'), newYork)
    assert.deepEqual(
      decision.due.map((e) => e.key),
      ['warn'],
    )
    assert.equal(
      decision.due[0]!.reason,
      'warn at 2026-11-23T09:15-05:00: 75% of 1 business hour used; due 2026-11-23T09:30-05:00: 1 business hour from Fri 16:30 in calendar new_york',
    )
    assert.equal(decision.next?.key, 'breach')
  })

  test('a poller that wakes late finds the breach and escalations due in order and drops the overtaken warning', () => {
    const decision = decideTimers(hotLead(), steps, at('2026-11-23T10:45:00-05:00'), newYork)
    assert.deepEqual(
      decision.due.map((e) => e.key),
      ['breach', 'escalation:0', 'escalation:1'],
    )
    assert.equal(decision.next, null)
    assert.equal(
      decision.due[0]!.reason,
      'breach at 2026-11-23T09:30-05:00: no first touch; due 2026-11-23T09:30-05:00: 1 business hour from Fri 16:30 in calendar new_york',
    )
  })

  test('an escalation one business hour after a 16:30 breach fires the next morning at 09:30', () => {
    const clock = startClock({ at: at('2026-11-23T15:30:00-05:00'), targetMs: HOUR, calendar: newYork })
    const breached = applyAll(clock, at('2026-11-23T16:31:00-05:00'))
    assert.equal(breached.state, 'breached')
    const decision = decideTimers(breached, steps, at('2026-11-23T18:00:00-05:00'), newYork)
    assert.deepEqual(decision.due, [])
    const next = decision.next!
    assert.equal(next.kind, 'escalate')
    assert.equal(nyTime(next.at), '2026-11-24T09:30:00-05:00')
    assert.equal(
      next.reason,
      'escalate at 2026-11-24T09:30-05:00 (breach + 1 business hour, breach 2026-11-23T16:30-05:00): reassign to backup_pool',
    )
    if (next.kind === 'escalate') assert.deepEqual(next.action, { kind: 'reassign', to: 'backup_pool' })
  })

  test('applying the breach moves the clock to breached at its due instant, and applying it again changes nothing', () => {
    const clock = hotLead()
    const breach = decideTimers(clock, steps, at('2026-11-23T09:30:00-05:00'), newYork).due.find(
      (e) => e.kind === 'breach',
    )!
    const once = applyTimerEvent(clock, breach)
    assert.equal(once.clock.state, 'breached')
    assert.equal(once.clock.breachedAt, clock.dueAt)
    assert.deepEqual(once.clock.firedTimers, ['breach'])
    const twice = applyTimerEvent(once.clock, breach)
    assert.equal(twice.changed, false)
    assert.equal(twice.reason, 'breach already applied')
  })

  test('fired timers are not due again', () => {
    const now = at('2026-11-23T09:40:00-05:00')
    const after = applyAll(hotLead(), now)
    assert.deepEqual(decideTimers(after, steps, now, newYork).due, [])
    assert.equal(decideTimers(after, steps, now, newYork).next?.key, 'escalation:1')
  })

  test('a first touch after a breached clock is met late and its remaining escalations are cancelled', () => {
    const breached = applyAll(hotLead(), at('2026-11-23T09:40:00-05:00'))
    const met = stopClock(breached, at('2026-11-23T10:00:00-05:00'), newYork).clock
    assert.equal(met.state, 'met')
    assert.equal(met.late, true)
    assert.equal(met.breachedAt, at('2026-11-23T09:30:00-05:00'))
    const decision = decideTimers(met, steps, at('2026-11-23T12:00:00-05:00'), newYork)
    assert.deepEqual(decision.due, [])
    assert.equal(decision.next, null)
  })

  test('a timer applied to a clock met meanwhile is stale and changes nothing', () => {
    const clock = hotLead()
    const breach = decideTimers(clock, steps, at('2026-11-23T09:31:00-05:00'), newYork).due.find(
      (e) => e.kind === 'breach',
    )!
    const met = stopClock(clock, at('2026-11-23T09:25:00-05:00'), newYork).clock
    const change = applyTimerEvent(met, breach)
    assert.equal(change.changed, false)
    assert.equal(change.reason, 'stale breach: the clock is met')
  })

  test('a paused clock has no timers', () => {
    const paused = pauseClock(hotLead(), at('2026-11-23T09:10:00-05:00'), newYork).clock
    const decision = decideTimers(paused, steps, at('2026-11-24T09:10:00-05:00'), newYork)
    assert.deepEqual(decision, { due: [], next: null, reason: 'no timers: the clock is paused' })
  })

  test('an escalation reaching a clock whose breach was not applied also breaches it', () => {
    const clock = hotLead()
    const escalation = decideTimers(clock, steps, at('2026-11-23T09:30:00-05:00'), newYork).due.find(
      (e) => e.key === 'escalation:0',
    )!
    const change = applyTimerEvent(clock, escalation)
    assert.equal(change.clock.state, 'breached')
    assert.equal(change.clock.breachedAt, clock.dueAt)
  })
})
