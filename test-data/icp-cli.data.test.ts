import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import type { IcpCalibrationReport } from '../src/cli/icp.command.ts'
import { runCli } from '../test/cli/run-cli.ts'

const LEADS = path.resolve(process.cwd(), '../shared/data/x-education-leads/Leads.csv')
const EXCLUDE = 'Tags,Lead Quality,Last Notable Activity,Prospect ID,Lead Number'

describe('accord icp calibrate on x-education-leads/Leads.csv', () => {
  if (!existsSync(LEADS)) {
    test.skip(`skipped: ${LEADS} is absent (the real-data suite reads ../shared/data)`)
    return
  }

  test('without the post-contact columns and identifiers the hold-out AUC is at least 0.88', async () => {
    const r = await runCli(['icp', 'calibrate', LEADS, '--label', 'Converted', '--exclude', EXCLUDE, '--json'])
    assert.equal(r.code, 0, r.stderr)
    const report = JSON.parse(r.stdout) as IcpCalibrationReport
    assert.ok(report.auc >= 0.88, `hold-out AUC ${report.auc}`)
    assert.equal(report.n, 9240)
    assert.equal(report.positives, 3561)
    assert.deepEqual(
      report.excluded.filter((e) => e.reason === 'requested').map((e) => e.column),
      EXCLUDE.split(','),
    )
    assert.equal(
      report.warnings.some((w) => w.kind === 'leakage'),
      false,
      'no leakage once the post-contact columns are out',
    )
    assert.ok(report.suggestedFit.criteria.length > 0)
    assert.match(report.suggestedFit.yaml, /^icp:\n {2}fit:\n/)
  })

  test('with Tags left in, the text report warns that it leaks the outcome', async () => {
    const r = await runCli(['icp', 'calibrate', LEADS, '--label', 'Converted', '--exclude', 'Prospect ID,Lead Number'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Warnings:\n(.*\n)*\s+! Tags: /)
  })
})
