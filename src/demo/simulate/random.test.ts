import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { createRandom, mix32, weightedTable } from './random.ts'

describe('seeded randomness', () => {
  test('the same seed, stream and index give the same sequence', () => {
    const a = createRandom(42, 'journey', 7)
    const b = createRandom(42, 'journey', 7)
    for (let i = 0; i < 1000; i++) assert.equal(a.uint32(), b.uint32())
  })

  test('neighbouring indices, streams and seeds give different sequences', () => {
    const first = (seed: number, stream: string, index: number) => {
      const r = createRandom(seed, stream, index)
      return [r.uint32(), r.uint32(), r.uint32()].join(',')
    }
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) seen.add(first(1, 'journey', i))
    for (let i = 0; i < 2000; i++) seen.add(first(1, 'account', i))
    for (let s = 2; s < 2002; s++) seen.add(first(s, 'journey', 0))
    assert.equal(seen.size, 6000)
  })

  test('int stays within its inclusive bounds', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, lo, width) => {
          const r = createRandom(seed, 'test')
          for (let i = 0; i < 50; i++) {
            const x = r.int(lo, lo + width)
            if (x < lo || x > lo + width || !Number.isInteger(x)) return false
          }
          return true
        },
      ),
    )
  })

  test('next is uniform enough that each decile gets about a tenth of draws', () => {
    const r = createRandom(3, 'uniform')
    const bins = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) bins[Math.floor(r.next() * 10)]! += 1
    for (const b of bins) assert.ok(b > 9_500 && b < 10_500, `decile count ${b}`)
  })

  test('weighted picks follow their weights', () => {
    const table = weightedTable([
      ['a', 1],
      ['b', 3],
    ])
    const r = createRandom(5, 'weights')
    let b = 0
    for (let i = 0; i < 40_000; i++) if (r.pickWeighted(table) === 'b') b++
    assert.ok(Math.abs(b / 40_000 - 0.75) < 0.01, `share of b: ${b / 40_000}`)
  })

  test('a negative weight is rejected with its position', () => {
    assert.throws(
      () =>
        weightedTable([
          ['a', 1],
          ['b', -1],
        ]),
      /weightedTable\[1\]/,
    )
  })

  test('mix32 never maps two indices to the same value', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 200_000; i++) seen.add(mix32(i))
    assert.equal(seen.size, 200_000)
  })
})
