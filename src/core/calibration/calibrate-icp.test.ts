import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createPrng } from '../stats/create-prng.ts'
import { calibrateIcp } from './calibrate-icp.ts'
import { CalibrationError } from './calibration-error.ts'
import type { CellTable } from './encode-features.ts'
import { formatCalibrationReport } from './format-calibration-report.ts'

// Conversion depends on origin (form ≫ ad ≫ list) and time on site; 'Noise' carries nothing.
function makeLeads(n: number, seed: number): CellTable {
  const next = createPrng(seed)
  const rows: string[][] = []
  for (let i = 0; i < n; i++) {
    const u = next()
    const origin = u < 0.3 ? 'Form' : u < 0.7 ? 'Ad' : 'List'
    const minutes = Math.round(next() * 60)
    const logit = (origin === 'Form' ? 1.5 : origin === 'Ad' ? 0 : -1.5) + (minutes - 30) / 15
    const converted = next() < 1 / (1 + Math.exp(-logit))
    rows.push([`id-${i}`, origin, String(minutes), String(Math.round(next() * 100)), converted ? '1' : '0'])
  }
  return { columns: ['Lead ID', 'Origin', 'Minutes', 'Noise', 'Converted'], rows }
}

const withColumn = (table: CellTable, name: string, cell: (row: string[], i: number) => string): CellTable => ({
  columns: [...table.columns, name],
  rows: table.rows.map((row, i) => [...row, cell(row, i)]),
})

describe('calibrateIcp', () => {
  test('a model on informative columns ranks hold-out leads well and names the strongest factors', () => {
    const result = calibrateIcp(makeLeads(2000, 1), { label: 'Converted', seed: 7 })
    assert.ok(result.auc > 0.8, `auc ${result.auc}`)
    assert.equal(result.n, 2000)
    assert.equal(result.train.n + result.test.n, 2000)
    assert.deepEqual(
      result.factors
        .map((f) => f.column)
        .slice(0, 2)
        .sort(),
      ['Minutes', 'Origin'],
    )
    assert.equal(result.factors.at(-1)!.column, 'Noise')
    const origin = result.factors.find((f) => f.column === 'Origin')!
    assert.equal(origin.reference, 'Ad')
    const form = origin.terms.find((t) => t.term === 'Form')!
    assert.ok(form.oddsRatio > 2 && form.sentence.startsWith('Origin = Form: odds ×'), form.sentence)
    assert.ok(form.sentence.endsWith('vs Ad'))
  })

  test('a row identifier is dropped with a warning and listed as excluded', () => {
    const result = calibrateIcp(makeLeads(300, 2), { label: 'Converted' })
    assert.ok(result.excluded.some((e) => e.column === 'Lead ID' && e.reason === 'id_like'))
    assert.ok(result.warnings.some((w) => w.kind === 'id_like' && w.column === 'Lead ID'))
    assert.ok(!result.factors.some((f) => f.column === 'Lead ID'))
  })

  test('a perfectly informative numeric column gives hold-out AUC 1, the biggest effect and a leakage warning', () => {
    const base = makeLeads(400, 3)
    const table = withColumn(base, 'Days to close', (row, i) => String(row[4] === '1' ? 100 + (i % 37) : 10 + (i % 41)))
    const result = calibrateIcp(table, { label: 'Converted', seed: 1 })
    assert.equal(result.auc, 1)
    assert.equal(result.factors[0]!.column, 'Days to close')
    const warning = result.warnings.find((w) => w.kind === 'leakage' && w.column === 'Days to close')
    assert.ok(warning && /separates Converted perfectly/.test(warning.message), JSON.stringify(result.warnings))
  })

  test('a column that is the label in another form is refused with its path', () => {
    const table = withColumn(makeLeads(200, 4), 'Outcome', (row) => (row[4] === '1' ? 'won' : 'lost'))
    assert.throws(
      () => calibrateIcp(table, { label: 'Converted' }),
      (error: unknown) =>
        error instanceof CalibrationError && error.code === 'label_leak' && error.path === 'columns.Outcome',
    )
    assert.doesNotThrow(() => calibrateIcp(table, { label: 'Converted', exclude: ['Outcome'] }))
  })

  test('a misspelt exclusion is refused rather than letting the column back in', () => {
    assert.throws(
      () => calibrateIcp(makeLeads(200, 5), { label: 'Converted', exclude: ['Noise', 'Tagz'] }),
      (error: unknown) =>
        error instanceof CalibrationError && error.code === 'unknown_column' && error.path === 'exclude[1]',
    )
  })

  test('a label that is not binary is refused naming the row', () => {
    const table = makeLeads(100, 6)
    table.rows[17]![4] = 'maybe'
    assert.throws(
      () => calibrateIcp(table, { label: 'Converted' }),
      (error: unknown) => error instanceof CalibrationError && error.path === 'rows[17].Converted',
    )
    assert.equal(calibrateIcp(table, { label: 'Converted', positiveValues: ['1'] }).n, 100)
  })

  test('stronger regularization shrinks every coefficient toward zero', () => {
    const table = makeLeads(1500, 8)
    const norm = (l2: number) =>
      calibrateIcp(table, { label: 'Converted', l2 }).model.coefficients.reduce((s, c) => s + c.coefficient ** 2, 0)
    const loose = norm(0.01)
    const medium = norm(10)
    const tight = norm(1000)
    assert.ok(loose > medium && medium > tight, `${loose} > ${medium} > ${tight}`)
  })

  test('the same seed gives the same result and another seed another split', () => {
    const table = makeLeads(600, 9)
    const a = calibrateIcp(table, { label: 'Converted', seed: 11 })
    const b = calibrateIcp(table, { label: 'Converted', seed: 11 })
    const c = calibrateIcp(table, { label: 'Converted', seed: 12 })
    assert.deepEqual(a, b)
    assert.notEqual(a.auc, c.auc)
  })

  test('suggested fit points put the best possible lead at about 100 and use the mapped field names', () => {
    const result = calibrateIcp(makeLeads(2000, 10), {
      label: 'Converted',
      fields: { Origin: 'lead.origin', Minutes: 'lead.minutes_on_site' },
    })
    const best = new Map<string, number>()
    for (const c of result.suggestedFit.criteria) best.set(c.column, Math.max(best.get(c.column) ?? 0, c.points))
    const total = [...best.values()].reduce((s, p) => s + p, 0)
    assert.ok(Math.abs(total - 100) <= best.size, `best lead scores ${total}`)
    const form = result.suggestedFit.criteria.find((c) => c.name === 'Origin = Form')!
    assert.equal(form.when, 'lead.origin == "Form"')
    assert.ok(result.suggestedFit.criteria.some((c) => /^lead\.minutes_on_site >= \d+$/.test(c.when)))
    assert.ok(result.suggestedFit.yaml.startsWith('icp:\n  fit:\n    - name: '))
    assert.ok(!result.suggestedFit.criteria.some((c) => c.column === 'Origin' && c.when.includes('"List"')))
  })

  test('the report shows the AUC, the warnings and the YAML', () => {
    const report = formatCalibrationReport(calibrateIcp(makeLeads(500, 12), { label: 'Converted' }))
    assert.match(report, /^Hold-out ROC AUC 0\.\d{3} \(training 0\.\d{3}\)/)
    assert.match(report, /! Lead ID: a distinct value on every row/)
    assert.match(report, /\nicp:\n {2}fit:\n/)
  })
})
