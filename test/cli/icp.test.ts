import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { calibrateIcpFile, type IcpCalibrationReport, readFieldMap } from '../../src/cli/icp.command.ts'
import { runCli } from './run-cli.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'accord-icp-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

/**
 * 400 leads where Referral converts far more often than Ads or Organic and more visits help. `Lead ID` is an
 * identifier, `Stage` is the outcome in another form, and `Outcome Call` was logged after the outcome (right 97%
 * of the time): the three traps calibration must catch.
 */
function writeLeads(): string {
  let state = 20_261_120
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
    return state / 2 ** 32
  }
  const rate = { Referral: 0.75, Ads: 0.3, Organic: 0.12 } as const
  const rows = ['Lead ID,Source,Visits,Country,Stage,Outcome Call,Converted']
  for (let i = 0; i < 400; i++) {
    const source = (['Referral', 'Ads', 'Organic'] as const)[i % 3]!
    const visits = Math.floor(random() * 12)
    const converted = random() < Math.min(0.95, rate[source] + visits * 0.02)
    const country = random() < 0.5 ? 'US' : 'DE'
    const call = random() < 0.97 === converted ? 'done' : 'none'
    rows.push(
      `${1000 + i},${source},${visits},${country},${converted ? 'Closed' : 'Open'},${call},${converted ? 1 : 0}`,
    )
  }
  return writeFile('leads.csv', `${rows.join('\n')}\n`)
}

const leads = writeLeads()
const fields = writeFile('fields.yaml', 'fields:\n  Source: lead.source\n  Visits: lead.visits\n')

describe('accord icp calibrate', { concurrency: true }, () => {
  test('--json reports the hold-out AUC, the factors and fit points written over the mapped fields', async () => {
    const r = await runCli([
      'icp',
      'calibrate',
      leads,
      '--label',
      'Converted',
      '--exclude',
      'Stage, Outcome Call',
      '--map',
      fields,
      '--json',
    ])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.createdDataDir, false, 'the command must not open the embedded database')
    const report = JSON.parse(r.stdout) as IcpCalibrationReport
    assert.equal(report.label, 'Converted')
    assert.equal(report.n, 400)
    assert.ok(report.auc > 0.7 && report.auc <= 1, `AUC ${report.auc}`)
    assert.equal(report.factors[0]?.column, 'Source', 'the source is the strongest factor')
    assert.match(report.suggestedFit.yaml, /when: lead\.source == "Referral"/)
    assert.match(report.suggestedFit.yaml, /lead\.visits >= /)
    assert.deepEqual(
      report.excluded.filter((e) => e.reason === 'requested').map((e) => e.column),
      ['Stage', 'Outcome Call'],
    )
    assert.ok(report.warnings.some((w) => w.kind === 'id_like' && w.column === 'Lead ID'))
  })

  test('the text report shows the AUC, the factors, the suggested fit YAML and the leakage warning', async () => {
    const r = await runCli(['icp', 'calibrate', leads, '--label', 'Converted', '--exclude', 'Stage'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^.*leads\.csv — outcome Converted\nHold-out ROC AUC 0\.\d{3}/)
    assert.match(r.stdout, /Warnings:\n(.*\n)*\s+! Outcome Call: alone it predicts Converted with AUC 0\.9\d+/)
    assert.match(r.stdout, /Factors that predict conversion/)
    assert.match(r.stdout, /Suggested fit points\n {2}Rule: points = round/)
    assert.match(r.stdout, /\nicp:\n {2}fit:\n {4}- name: /)
  })

  test('a column that is the label in disguise is refused, pointing at --exclude', async () => {
    const r = await runCli(['icp', 'calibrate', leads, '--label', 'Converted'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^error: cannot calibrate on .*leads\.csv\n {2}columns\.Stage: column "Stage" is the label/)
    assert.match(r.stderr, /with --exclude\n$/)
  })

  test('an excluded column that does not exist is an error naming it and its position', async () => {
    const r = await runCli(['icp', 'calibrate', leads, '--label', 'Converted', '--exclude', 'Stage,Sorce'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, / {2}--exclude\[1\]: no column "Sorce"; did you mean "Source"\?\n/)
  })

  test('the same seed gives the same report; a bad seed names the option', async () => {
    const args = ['icp', 'calibrate', leads, '--label', 'Converted', '--exclude', 'Stage,Outcome Call', '--json']
    const [a, b] = await Promise.all([runCli([...args, '--seed', '7']), runCli([...args, '--seed', '7'])])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(a.stdout, b.stdout)
    const bad = await runCli([...args, '--seed', 'seven'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^error: --seed: expected an integer, got "seven"/)
  })
})

describe('calibrateIcpFile', () => {
  test('a different seed holds out different rows', async () => {
    const options = { label: 'Converted', exclude: 'Stage,Outcome Call' }
    const one = await calibrateIcpFile(leads, { ...options, seed: '1' })
    const two = await calibrateIcpFile(leads, { ...options, seed: '2' })
    assert.equal(one.test.n, two.test.n)
    assert.notEqual(one.auc, two.auc)
  })

  test('a missing label column is refused with the columns the file has', async () => {
    await assert.rejects(
      calibrateIcpFile(leads, { label: 'Won' }),
      (e: Error & { issues?: { path: string; message: string }[] }) =>
        e.issues?.[0]?.path === '--label' && /no column "Won" \(columns: Lead ID, Source/.test(e.issues[0].message),
    )
  })

  test('a field map is checked against the CSV columns, each problem with its line', () => {
    const map = writeFile(
      'bad-fields.yaml',
      'fields:\n  Source: lead.source\n  Sorce: lead.source\n  Visits: "two words"\n',
    )
    assert.throws(
      () => readFieldMap(map, ['Source', 'Visits']),
      (e: Error & { issues: { path: string; line?: number; message: string }[] }) => {
        assert.deepEqual(
          e.issues.map((i) => [i.line, i.path]),
          [
            [3, 'fields["Sorce"]'],
            [4, 'fields["Visits"]'],
          ],
        )
        return true
      },
    )
    assert.throws(() => readFieldMap(writeFile('flat.yaml', 'Source: lead.source\n'), ['Source']), /expected `fields:`/)
    assert.deepEqual(readFieldMap(fields, ['Source', 'Visits']), { Source: 'lead.source', Visits: 'lead.visits' })
  })
})
