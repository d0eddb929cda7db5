import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import type { AttributionReport } from '../src/cli/attribution.command.ts'
import { runCli } from '../test/cli/run-cli.ts'

const DIR = path.resolve(process.cwd(), '../shared/data/channelattribution-pathdata')
const DATA = path.join(DIR, 'Data.csv')

/** heuristic_models.csv is plain R `write.csv` output: quoted strings, no embedded separators. */
function readReference(): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path.join(DIR, 'reference', 'heuristic_models.csv'), 'utf8')
    .trim()
    .split('\n')
  const columns = header!.split(',').map((c) => c.replaceAll('"', ''))
  return rows.map((line) => {
    const cells = line.split(',').map((c) => c.replaceAll('"', ''))
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]!]))
  })
}

describe('accord attribution on ChannelAttribution Data.csv', () => {
  if (!existsSync(DATA)) {
    test.skip(`skipped: ${DATA} is absent (the real-data suite reads ../shared/data)`)
    return
  }

  test('first, last and linear touch per channel equal heuristic_models.csv to 1e-6 through --json', async () => {
    const r = await runCli(['attribution', '--paths', DATA, '--model', 'all', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const report = JSON.parse(r.stdout) as AttributionReport
    assert.equal(report.journeys, 10_000)
    assert.equal(report.totalConversions, 19_785)
    const reference = readReference()
    assert.equal(reference.length, 12)
    for (const [name, prefix] of [
      ['first', 'first_touch'],
      ['last', 'last_touch'],
      ['linear', 'linear_touch'],
    ] as const) {
      const model = report.models.find((m) => m.name === name)
      assert.ok(model, `${name} is in the report`)
      assert.equal(model.channels.length, 12)
      for (const ref of reference) {
        const credit = model.channels.find((c) => c.channel === ref.channel_name)
        for (const [field, column] of [
          ['conversions', `${prefix}_conversions`],
          ['value', `${prefix}_value`],
        ] as const) {
          const expected = Number(ref[column])
          const actual = credit?.[field]
          assert.ok(
            actual !== undefined && Math.abs(actual - expected) <= 1e-6,
            `${name} ${field} of ${ref.channel_name}: expected ${expected}, got ${actual}`,
          )
        }
      }
    }
  })

  test('the table for one model lists the 12 channels by credited conversions with the file totals', async () => {
    const r = await runCli(['attribution', '--paths', DATA, '--model', 'markov', '--order', '2'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.match(lines[0]!, /^model markov \(order 2\) · 10,000 path rows/)
    const rows = lines.slice(3, -1).map((l) => l.split(/\s{2,}/))
    assert.equal(rows.length, 12)
    const conversions = rows.map((cells) => Number(cells[1]!.replaceAll(',', '')))
    assert.deepEqual(
      conversions,
      [...conversions].sort((a, b) => b - a),
    )
    assert.match(lines.at(-1)!, /^total\s+19,785\.00\s+100\.0%\s+74,802\.97$/)
  })
})
