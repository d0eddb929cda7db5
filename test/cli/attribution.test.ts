import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { type AttributionReport, attributePathFile, formatTable } from '../../src/cli/attribution.command.ts'
import { runCli } from './run-cli.ts'

// Four paths, hand-checkable: 4 conversions worth 450 in all.
const PATHS = [
  'path;total_conversions;total_conversion_value;total_null',
  'search > email > direct;2;300;1',
  'email;1;50;4',
  'search > direct;0;0;3',
  'social > search;1;100;0',
].join('\n')

const dir = mkdtempSync(path.join(tmpdir(), 'accord-attribution-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

const pathFile = writeFile('paths.csv', `${PATHS}\n`)

function creditOf(report: AttributionReport, model: string) {
  const m = report.models.find((x) => x.name === model)
  assert.ok(m, `no ${model} in the report`)
  return Object.fromEntries(m.channels.map((c) => [c.channel, c]))
}

function assertNear(actual: number | undefined, expected: number, what: string) {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: expected ${expected}, got ${actual}`)
}

describe('accord attribution', { concurrency: true }, () => {
  test('linear credit is printed per channel, most conversions first, aligned, with a totals row', async () => {
    const r = await runCli(['attribution', '--paths', pathFile, '--model', 'linear'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.createdDataDir, false, 'the command must not open the embedded database')
    const lines = r.stdout.trimEnd().split('\n')
    assert.match(lines[0]!, /^model linear · 4 path rows \(4 distinct\)/)
    const table = lines.slice(2)
    // email 2/3 + 1, search 2/3 + 1/2, direct 2/3, social 1/2; values split the same way.
    assert.deepEqual(
      table.map((l) => l.split(/\s{2,}/)),
      [
        ['channel', 'conversions', 'share', 'value'],
        ['email', '1.67', '41.7%', '150.00'],
        ['search', '1.17', '29.2%', '150.00'],
        ['direct', '0.67', '16.7%', '100.00'],
        ['social', '0.50', '12.5%', '50.00'],
        ['total', '4.00', '100.0%', '450.00'],
      ],
    )
    const right = table[0]!.indexOf('conversions') + 'conversions'.length
    for (const line of table) assert.match(line.slice(right - 1, right + 1), /^[s\d] $/, `aligned: ${line}`)
  })

  test('--json gives the credited conversions and value of each channel under each model', async () => {
    const r = await runCli(['attribution', '--paths', pathFile, '--model', 'all', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const report = JSON.parse(r.stdout) as AttributionReport
    assert.deepEqual(
      report.models.map((m) => m.name),
      ['first', 'last', 'linear', 'time_decay', 'u_shaped', 'w_shaped', 'full_path', 'markov'],
    )
    assert.equal(report.totalConversions, 4)
    assert.equal(report.totalValue, 450)
    const first = creditOf(report, 'first')
    assert.deepEqual([first.search?.conversions, first.email?.conversions, first.social?.conversions], [2, 1, 1])
    assert.equal(first.direct?.conversions, 0)
    const last = creditOf(report, 'last')
    assert.deepEqual([last.direct?.value, last.email?.value, last.search?.value], [300, 50, 100])
    // U-shaped: 40/20/40 on three touches, 50/50 on two, all on one.
    const u = creditOf(report, 'u_shaped')
    assertNear(u.search?.conversions, 0.8 + 0.5, 'u_shaped search')
    assertNear(u.email?.conversions, 0.4 + 1, 'u_shaped email')
    assertNear(u.direct?.value, 120, 'u_shaped direct value')
    // Time decay by position, half-life one touch: weights 1/4, 1/2, 1 normalised on the three-touch path.
    const decay = creditOf(report, 'time_decay')
    assertNear(decay.direct?.conversions, (2 * 4) / 7, 'time_decay direct')
    assert.equal(report.models.find((m) => m.name === 'time_decay')?.model.kind, 'time_decay')
    for (const m of report.models) {
      const sum = m.channels.reduce((s, c) => s + c.conversions, 0) + m.unattributed.conversions
      assertNear(sum, 4, `${m.name} credit sums to the conversions`)
    }
    assert.ok(report.models.find((m) => m.name === 'markov')?.channels.every((c) => c.removalEffect !== undefined))
  })

  test('--model all prints every model side by side in one table', async () => {
    const r = await runCli(['attribution', '--paths', pathFile, '--model', 'all'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    for (const name of ['first', 'last', 'linear', 'time_decay', 'u_shaped', 'w_shaped', 'full_path', 'markov']) {
      assert.ok(lines[2]!.includes(name), `${name} heads a column`)
    }
    assert.equal(lines[3]!.split(/\s+/).filter((c) => c === 'conversions').length, 8)
    assert.match(lines.at(-1)!, /^total(\s+4\.00\s+450\.00){8}$/)
    assert.equal(lines.length, 2 + 2 + 4 + 1)
  })

  test('an error in the file is reported with its line and exit code 1', async () => {
    const bad = writeFile('bad.csv', `${PATHS}\nsearch > > email;x;1;0\n`)
    const r = await runCli(['attribution', '--paths', bad, '--model', 'first'])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /line 6: path\[1\]: empty channel name/)
    assert.match(r.stderr, /line 6: total_conversions: expected a number ≥ 0, got "x"/)
  })

  test('an unknown model, or an option the model ignores, is refused naming the option', async () => {
    const unknown = await runCli(['attribution', '--paths', pathFile, '--model', 'shapley'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /^error: --model: unknown model "shapley"; expected first, .* markov or all/)
    const order = await runCli(['attribution', '--paths', pathFile, '--model', 'linear', '--order', '2'])
    assert.equal(order.code, 1)
    assert.match(order.stderr, /^error: --order: only applies to --model markov/)
  })
})

describe('attributePathFile', () => {
  test('--half-life counts touches: a longer half-life spreads credit back towards earlier touches', async () => {
    const short = await attributePathFile(pathFile, { model: 'time_decay' })
    const long = await attributePathFile(pathFile, { model: 'time_decay', halfLife: '2' })
    assert.deepEqual(long.models[0]?.model, { kind: 'time_decay', halfLifeMs: 604_800_000, halfLifeTouches: 2 })
    // Half-life 2 on search > email > direct: weights 2^-1, 2^-1/2, 1.
    const w = [0.5, Math.SQRT1_2, 1]
    const total = w[0]! + w[1]! + w[2]!
    assertNear(creditOf(long, 'time_decay').direct?.conversions, (2 * w[2]!) / total, 'direct, half-life 2')
    assert.ok(creditOf(long, 'time_decay').direct!.conversions < creditOf(short, 'time_decay').direct!.conversions)
    await assert.rejects(
      attributePathFile(pathFile, { model: 'time_decay', halfLife: '7d' }),
      /--half-life: .*got "7d"/,
    )
  })

  test('--order sets the memory of the Markov chain and only 1, 2 or 3 are accepted', async () => {
    const second = await attributePathFile(pathFile, { model: 'markov', order: '2' })
    assert.deepEqual(second.models[0]?.model, { kind: 'markov', order: 2 })
    await assert.rejects(attributePathFile(pathFile, { model: 'markov', order: '4' }), /--order: expected 1, 2 or 3/)
  })

  test('tables left-align the first column and right-align the others', () => {
    assert.equal(
      formatTable([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]),
      'a    bb\nccc   d',
    )
  })
})
