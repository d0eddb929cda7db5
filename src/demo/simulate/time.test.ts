import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { createRandom } from './random.ts'
import { atWorkingHour, createWindow, DAY, formatIso, HOUR } from './time.ts'

describe('simulation time', () => {
  test('formatIso matches toISOString inside and around the window', () => {
    const w = createWindow('2026-10-01', 91, 'test')
    fc.assert(
      fc.property(fc.integer({ min: w.start - 2 * DAY, max: w.end + 2 * DAY }), (ms) => {
        return formatIso(w, ms) === new Date(ms).toISOString()
      }),
      { numRuns: 5000 },
    )
  })

  test('a window that starts mid-day still formats every millisecond like toISOString', () => {
    const w = createWindow('2026-03-29T01:30:00Z', 3, 'test')
    for (let ms = w.start; ms < w.end; ms += 997_001) assert.equal(formatIso(w, ms), new Date(ms).toISOString())
  })

  test('an unparseable start is rejected with the option path', () => {
    assert.throws(() => createWindow('next tuesday', 91, 'simulateQuarter'), /simulateQuarter\.start/)
    assert.throws(() => createWindow('2026-10-01', 0, 'simulateQuarter'), /simulateQuarter\.days/)
  })

  test('activity lands mostly on weekdays between 07:00 and 20:00 local time', () => {
    const rng = createRandom(9, 'hours')
    const start = Date.parse('2026-10-05T00:00:00Z')
    let weekday = 0
    let office = 0
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const at = atWorkingHour(rng, start + rng.next() * 28 * DAY, -5)
      const local = new Date(at - 5 * HOUR)
      if (local.getUTCDay() >= 1 && local.getUTCDay() <= 5) weekday++
      if (local.getUTCHours() >= 7 && local.getUTCHours() < 20) office++
    }
    assert.ok(weekday / n > 0.9, `weekday share ${weekday / n}`)
    assert.ok(office / n > 0.85, `office-hours share ${office / n}`)
  })
})
