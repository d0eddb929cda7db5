import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createIsMissing, OTHER_LEVEL } from './cell-values.ts'
import { type CellTable, encodeRows, fitFeatureEncoder } from './encode-features.ts'
import { splitStratified } from './split-stratified.ts'

const options = { isMissing: createIsMissing(['', 'Select']), rareShare: 0.01, rareMinRows: 10 }

function sourceTable(): CellTable {
  const cells = [
    ...Array<string>(40).fill('Google'),
    ...Array<string>(5).fill('google'),
    ...Array<string>(30).fill('Direct'),
    ...Array<string>(20).fill('Select'),
    ...Array<string>(3).fill('Fax'),
    ...Array<string>(2).fill('Pigeon'),
  ]
  return { columns: ['Source'], rows: cells.map((c) => [c]) }
}

describe('fitFeatureEncoder', () => {
  test('"Google" and "google" are one level, "Select" is missing and rare levels pool into other', () => {
    const table = sourceTable()
    const rows = table.rows.map((_, i) => i)
    const { encodings } = fitFeatureEncoder(table, [{ index: 0, column: 'Source', kind: 'categorical' }], rows, options)
    const encoding = encodings[0]!
    assert.equal(encoding.kind, 'categorical')
    if (encoding.kind !== 'categorical') return
    assert.deepEqual(
      encoding.levels.map((l) => [l.label, l.count]),
      [
        ['Google', 45],
        ['Direct', 30],
        ['(missing)', 20],
        ['other', 5],
      ],
    )
    assert.equal(encoding.levels[0]!.feature, null)
    assert.deepEqual(encoding.levels.find((l) => l.key === OTHER_LEVEL)!.members, ['Fax', 'Pigeon'])
  })

  test('a numeric column is median-imputed with a missing indicator and standardized on training rows', () => {
    const table: CellTable = { columns: ['Visits'], rows: [['1'], ['2'], ['3'], [''], ['4'], ['5']] }
    const encoder = fitFeatureEncoder(
      table,
      [{ index: 0, column: 'Visits', kind: 'numeric' }],
      [0, 1, 2, 3, 4, 5],
      options,
    )
    const encoding = encoder.encodings[0]!
    assert.equal(encoding.kind, 'numeric')
    if (encoding.kind !== 'numeric') return
    assert.equal(encoding.median, 3)
    assert.equal(encoding.missingCount, 1)
    const x = encodeRows(encoder, table, [3], options.isMissing)
    // The missing row gets the median's standardized value and the indicator.
    assert.deepEqual(Array.from(x.index), [encoding.valueFeature, encoding.missingFeature])
    assert.ok(Math.abs(x.value[0]! - (3 - encoding.mean) / encoding.sd) < 1e-12)
    assert.equal(x.value[1], 1)
  })

  test('a level never seen in training falls into other', () => {
    const table = sourceTable()
    const rows = table.rows.map((_, i) => i)
    const encoder = fitFeatureEncoder(table, [{ index: 0, column: 'Source', kind: 'categorical' }], rows, options)
    const other = encoder.encodings[0]!.kind === 'categorical' ? encoder.encodings[0]!.levels.at(-1)!.feature : null
    const x = encodeRows(encoder, { columns: ['Source'], rows: [['Carrier pigeon']] }, [0], options.isMissing)
    assert.deepEqual(Array.from(x.index), [other])
  })
})

describe('splitStratified', () => {
  test('each class keeps its share in the test set and the split is the same for the same seed', () => {
    const labels = Array.from({ length: 100 }, (_, i) => i < 30)
    const split = splitStratified(labels, 0.3, 5)
    assert.equal(split.test.length, 30)
    assert.equal(split.test.filter((i) => labels[i]).length, 9)
    assert.equal(new Set([...split.train, ...split.test]).size, 100)
    assert.deepEqual(splitStratified(labels, 0.3, 5), split)
    assert.notDeepEqual(splitStratified(labels, 0.3, 6).test, split.test)
  })
})
