import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { formatHoursMinutes, parseInstantOption } from '../../src/cli/calendar.command.ts'
import { PROJECT_ROOT, runCli } from './run-cli.ts'

const EXAMPLE = path.join(PROJECT_ROOT, 'accord.example.yaml')
const NEW_YORK = ['--agreement', EXAMPLE, '--calendar', 'new_york']
const dir = mkdtempSync(path.join(tmpdir(), 'accord-calendar-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The example Agreement plus a plain 09:00–17:00 weekday calendar in New York without holidays. */
function writeTestAgreement(): string {
  const text = readFileSync(EXAMPLE, 'utf8')
  assert.ok(text.includes('\ncalendars:\n'), 'the example Agreement has a calendars section')
  const nineToFive = [
    '  nine_to_five:',
    '    time_zone: America/New_York',
    '    hours:',
    ...['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => `      ${d}: ["09:00-17:00"]`),
    '',
  ].join('\n')
  const file = path.join(dir, 'accord.yaml')
  writeFileSync(file, text.replace('\ncalendars:\n', `\ncalendars:\n${nineToFive}`))
  return file
}

async function stdoutOf(args: string[]): Promise<string> {
  const r = await runCli(args)
  assert.equal(r.code, 0, r.stderr)
  return r.stdout.trim()
}

describe('accord calendar', { concurrency: true }, () => {
  test('a lead created Friday 16:30 New York with 1 business hour on 09:00–17:00 hours is due Monday 09:30', async () => {
    const file = writeTestAgreement()
    const args = ['calendar', 'add', '--agreement', file, '--calendar', 'nine_to_five', '--duration', '1h']
    const r = await runCli([...args, '--from', '2026-11-20T16:30:00-05:00'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, '2026-11-23T09:30:00-05:00\n')
    assert.equal(r.createdDataDir, false, 'the command must not open the embedded database')
    // The same instant written as New York wall-clock time.
    assert.equal(await stdoutOf([...args, '--from', '2026-11-20T16:30']), '2026-11-23T09:30:00-05:00')
  })

  test('after the half day following Thanksgiving has closed, 4h is due Monday 13:00', async () => {
    // Friday 2026-11-27 is overridden to 09:00–13:00, so 15:30 is after hours; Monday 09:00 + 4h.
    const out = await stdoutOf([
      'calendar',
      'add',
      ...NEW_YORK,
      '--from',
      '2026-11-27T15:30:00-05:00',
      '--duration',
      '4h',
    ])
    assert.equal(out, '2026-11-30T13:00:00-05:00')
  })

  test('4h from Wednesday 15:00 skips Thanksgiving and ends in the Friday half day at 10:30', async () => {
    // Wednesday 15:00–17:30 gives 2h30m, Thursday 26 is a public holiday, Friday opens 09:00: 1h30m more.
    const out = await stdoutOf([
      'calendar',
      'add',
      ...NEW_YORK,
      '--from',
      '2026-11-25T15:00:00-05:00',
      '--duration',
      '4h',
    ])
    assert.equal(out, '2026-11-27T10:30:00-05:00')
  })

  test('between Wednesday 15:00 and Monday 12:00 across Thanksgiving there are 9h 30m of business time', async () => {
    // Wednesday 2h30m + Thursday 0 + Friday half day 4h + Monday 09:00–12:00 3h.
    const args = ['calendar', 'between', ...NEW_YORK, '--from', '2026-11-25T15:00:00-05:00']
    assert.equal(await stdoutOf([...args, '--to', '2026-11-30T12:00:00-05:00']), '9h 30m')
    // Earlier `--to`: negative. Wednesday 12:00 → 15:00 is 3h.
    const json = JSON.parse(await stdoutOf([...args, '--to', '2026-11-25T12:00:00-05:00', '--json']))
    assert.equal(json.businessMs, -3 * 3_600_000)
    assert.equal(json.business, '-3h')
    assert.equal(json.timeZone, 'America/New_York')
    assert.equal(json.to, '2026-11-25T12:00:00-05:00')
  })

  test('an unknown calendar is an error listing the calendars of the Agreement', async () => {
    const r = await runCli([
      'calendar',
      'add',
      '--agreement',
      EXAMPLE,
      '--calendar',
      'nyc',
      '--from',
      '2026-11-20T16:30',
      '--duration',
      '1h',
    ])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /no such calendar.*new_york, san_francisco, berlin/)
  })

  test('a malformed instant or duration is an error naming the option', async () => {
    const add = ['calendar', 'add', ...NEW_YORK, '--duration', '1h']
    const badFrom = await runCli([...add, '--from', '2026-11-31T16:30'])
    assert.equal(badFrom.code, 1)
    assert.match(badFrom.stderr, /^error: --from: expected an ISO-8601 date-time/)
    const badDuration = await runCli(['calendar', 'add', ...NEW_YORK, '--from', '2026-11-20T16:30', '--duration', '1d'])
    assert.equal(badDuration.code, 1)
    assert.match(badDuration.stderr, /^error: --duration: expected a duration such as 4h, 90m, 1h30m, got "1d"/)
  })

  test('an invalid Agreement file is reported with the line of each problem', async () => {
    const file = path.join(dir, 'broken.yaml')
    writeFileSync(file, readFileSync(EXAMPLE, 'utf8').replace('time_zone: America/New_York', 'time_zone: Mars/Olympus'))
    const r = await runCli([
      'calendar',
      'add',
      '--agreement',
      file,
      '--calendar',
      'new_york',
      '--from',
      '2026-11-20T16:30',
      '--duration',
      '1h',
    ])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /line \d+: calendars\.new_york\.time_zone: unknown time zone "Mars\/Olympus"/)
  })
})

describe('calendar option parsing', () => {
  test('a malformed instant is an error naming its option', () => {
    assert.throws(() => parseInstantOption('tomorrow', '--to', 'America/New_York'), /^AppError: --to: .*got "tomorrow"/)
  })

  test('an instant without offset is wall-clock time in the calendar zone', () => {
    assert.equal(
      parseInstantOption('2026-11-20T16:30', '--from', 'America/New_York'),
      Date.parse('2026-11-20T21:30:00Z'),
    )
    assert.equal(parseInstantOption('2026-07-01', '--from', 'Europe/Berlin'), Date.parse('2026-06-30T22:00:00Z'))
  })

  test('business durations read as hours and minutes, negative ones with a minus', () => {
    assert.equal(formatHoursMinutes(19_800_000), '5h 30m')
    assert.equal(formatHoursMinutes(4 * 3_600_000), '4h')
    assert.equal(formatHoursMinutes(45 * 60_000), '45m')
    assert.equal(formatHoursMinutes(0), '0m')
    assert.equal(formatHoursMinutes(-90 * 60_000), '-1h 30m')
    assert.equal(formatHoursMinutes(3_600_000 + 5_000), '1h 5s')
  })
})
