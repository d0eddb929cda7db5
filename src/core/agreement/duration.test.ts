import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { formatDuration, parseDuration, parsePercent, parseTimeWindow } from './duration.ts'

test('durations combine units largest first: 1h30m is 90 minutes', () => {
  assert.deepEqual(parseDuration('1h30m'), { ok: true, ms: 5_400_000 })
  assert.deepEqual(parseDuration('7d'), { ok: true, ms: 604_800_000 })
  assert.equal(parseDuration('30m1h').ok, false)
  assert.equal(parseDuration('1d', ['h', 'm']).ok, false)
})

test('formatting a duration and parsing it back gives the same milliseconds', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seconds) => {
      const text = formatDuration(seconds * 1000)
      assert.deepEqual(parseDuration(text), { ok: true, ms: seconds * 1000 })
    }),
  )
})

test('75% is 0.75', () => {
  assert.equal(parsePercent('75%'), 0.75)
  assert.equal(parsePercent('75'), undefined)
})

test('a window ending before it starts needs +1 to be an overnight window', () => {
  assert.equal(parseTimeWindow('17:00-09:00').ok, false)
  assert.deepEqual(parseTimeWindow('22:00-06:00+1'), {
    ok: true,
    window: { startMinute: 1320, endMinute: 360, overnight: true },
  })
  assert.deepEqual(parseTimeWindow('09:00-24:00'), {
    ok: true,
    window: { startMinute: 540, endMinute: 1440, overnight: false },
  })
  assert.equal(parseTimeWindow('09:00-17:00+1').ok, false)
})
