import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { readPathFile } from '../src/analytics/read-path-file.ts'
import { attribute, attributeMany } from '../src/core/attribution/attribute.ts'
import { compileJourneys, type JourneySet } from '../src/core/attribution/compile-journeys.ts'
import { markovRemovalEffects } from '../src/core/attribution/markov-removal-effects.ts'
import type { AttributionModel, Journey } from '../src/core/attribution/types.ts'

const DIR = path.resolve(process.cwd(), '../shared/data/channelattribution-pathdata')
const present = existsSync(path.join(DIR, 'Data.csv'))
const HOUR = 3_600_000

/** The reference CSVs are plain R `write.csv` output: quoted strings, no embedded separators. */
function readReference(name: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path.join(DIR, 'reference', name), 'utf8')
    .trim()
    .split('\n')
  const cols = header!.split(',').map((c) => c.replaceAll('"', ''))
  return rows.map((line) => {
    const cells = line.split(',').map((c) => c.replaceAll('"', ''))
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!]))
  })
}

function assertNear(actual: number | undefined, expected: number, tolerance: number, what: string) {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, got ${actual} (tolerance ${tolerance})`,
  )
}

if (!present) {
  test('ChannelAttribution path data', (t) => {
    t.skip(
      `../shared/data/channelattribution-pathdata is absent (looked in ${DIR}); real-data attribution suite skipped`,
    )
  })
} else {
  describe('attribution on ChannelAttribution Data.csv', async () => {
    const journeys: Journey[] = await readPathFile(path.join(DIR, 'Data.csv'))
    const set: JourneySet = compileJourneys(journeys)

    test('the file holds 10,000 paths, 19,785 conversions, 74,802.97 of value and 68,602 nulls', () => {
      assert.equal(journeys.length, 10_000)
      assert.equal(set.totalConversions, 19_785)
      assertNear(set.totalValue, 74_802.97, 0.005, 'total value')
      assert.equal(
        journeys.reduce((s, j) => s + (j.nulls ?? 0), 0),
        68_602,
      )
      assert.equal(set.channels.length, 12)
    })

    test('first, last and linear touch match ChannelAttribution heuristic_models to 1e-6', () => {
      const reference = readReference('heuristic_models.csv')
      const [first, last, linear] = attributeMany(set, [{ kind: 'first' }, { kind: 'last' }, { kind: 'linear' }])
      for (const ref of reference) {
        const ch = ref.channel_name!
        for (const [result, prefix] of [
          [first!, 'first_touch'],
          [last!, 'last_touch'],
          [linear!, 'linear_touch'],
        ] as const) {
          assertNear(result.byChannel[ch]?.conversions, Number(ref[`${prefix}_conversions`]), 1e-6, `${prefix} ${ch}`)
          assertNear(result.byChannel[ch]?.value, Number(ref[`${prefix}_value`]), 1e-6, `${prefix} value ${ch}`)
        }
      }
      assert.equal(reference.length, 12)
    })

    test('exact first-order Markov matches the absorbing-chain reference: removal effects to 1e-9, credit to 1e-6', () => {
      const r = markovRemovalEffects(set, { order: 1 })
      assertNear(r.baseConversionProbability, 0.223845135597, 1e-12, 'base P(conversion)')
      const reference = readReference('exact_first_order_removal_effects.csv')
      assert.equal(reference.length, 12)
      for (const ref of reference) {
        const ch = ref.channel_name!
        assertNear(r.removalEffects[ch], Number(ref.removal_effect), 1e-9, `removal effect ${ch}`)
        assertNear(r.attribution.byChannel[ch]?.conversions, Number(ref.attributed_conversions), 1e-6, `credit ${ch}`)
        assertNear(
          r.attribution.byChannel[ch]?.value,
          Number(ref.value_by_conversion_removal_share),
          1e-6,
          `value ${ch}`,
        )
      }
    })

    test('the iterative solver reaches the same first-order removal effects to 1e-12', () => {
      const dense = markovRemovalEffects(set)
      const sparse = markovRemovalEffects(set, { solver: 'iterative' })
      assert.ok(sparse.converged)
      for (const ch of set.channels) assertNear(sparse.removalEffects[ch], dense.removalEffects[ch]!, 1e-12, ch)
    })

    test('Markov orders 1–3 land within 5% of ChannelAttribution’s simulation for channels above 1,000 conversions', () => {
      for (const order of [1, 2, 3]) {
        const r = markovRemovalEffects(set, { order })
        assert.ok(r.converged, `order ${order} converged`)
        for (const ref of readReference(`markov_model_order${order}_seed0_with_null.csv`)) {
          const expected = Number(ref.total_conversion)
          if (expected < 1000) continue
          const ch = ref.channel_name!
          assertNear(r.attribution.byChannel[ch]?.conversions, expected, 0.05 * expected, `order ${order} ${ch}`)
        }
      }
    })

    test('every model credits exactly the 19,785 conversions and the whole value', () => {
      const models: AttributionModel[] = [
        { kind: 'first' },
        { kind: 'last' },
        { kind: 'linear' },
        { kind: 'time_decay', halfLifeMs: HOUR },
        { kind: 'u_shaped' },
        { kind: 'w_shaped' },
        { kind: 'full_path' },
        { kind: 'custom', weights: { first: 1, middle: 1, last: 2 } },
        { kind: 'markov', order: 1 },
        { kind: 'markov', order: 2 },
      ]
      for (const r of attributeMany(set, models)) {
        const kind = JSON.stringify(r.model)
        assertNear(
          r.channels.reduce((s, c) => s + c.conversions, 0),
          19_785,
          1e-6,
          `conversions under ${kind}`,
        )
        assertNear(
          r.channels.reduce((s, c) => s + c.value, 0),
          set.totalValue,
          1e-6,
          `value under ${kind}`,
        )
      }
    })

    test('hand-computed cases: linear and 40/20/40 on A>B>C and A>C; time decay 0.25 : 0.5 : 1', () => {
      const paths: Journey[] = [
        { touches: [{ channel: 'A' }, { channel: 'B' }, { channel: 'C' }], conversions: 1, value: 0 },
        { touches: [{ channel: 'A' }, { channel: 'C' }], conversions: 1, value: 0 },
      ]
      const linear = attribute(paths, { kind: 'linear' }).byChannel
      assertNear(linear.A?.conversions, 5 / 6, 1e-12, 'linear A')
      assertNear(linear.B?.conversions, 1 / 3, 1e-12, 'linear B')
      assertNear(linear.C?.conversions, 5 / 6, 1e-12, 'linear C')
      const u = attribute(paths, { kind: 'u_shaped' }).byChannel
      assertNear(u.A?.conversions, 0.9, 1e-12, 'u-shaped A')
      assertNear(u.B?.conversions, 0.2, 1e-12, 'u-shaped B')
      assertNear(u.C?.conversions, 0.9, 1e-12, 'u-shaped C')
      const decay = attribute(
        [
          {
            touches: [
              { channel: 'T-2h', at: -2 * HOUR },
              { channel: 'T-1h', at: -HOUR },
              { channel: 'T0', at: 0 },
            ],
            conversions: 1.75,
            value: 0,
          },
        ],
        { kind: 'time_decay', halfLifeMs: HOUR },
      ).byChannel
      assertNear(decay['T-2h']?.conversions, 0.25, 1e-12, 'decay −2 h')
      assertNear(decay['T-1h']?.conversions, 0.5, 1e-12, 'decay −1 h')
      assertNear(decay.T0?.conversions, 1, 1e-12, 'decay 0')
    })
  })
}
