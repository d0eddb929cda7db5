import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { addAgreementBusinessTime } from '../calendar/add-agreement-business-time.ts'
import { getAgreementCalendarTimeZone } from '../calendar/build-agreement-calendar.ts'
import { measureAgreementBusinessTime } from '../calendar/measure-agreement-business-time.ts'
import { readInstant } from '../calendar/read-instant.ts'
import { type CompiledAgreement, compileAgreement, parseAgreement, parseDuration } from '../core/agreement/index.ts'
import { formatInZone } from '../core/calendar/index.ts'
import { AppError } from '../core/errors.ts'
import { type CliDeps, reportError } from './program.ts'

const EXAMPLE_INSTANT = '2026-11-20T16:30:00-05:00'

/** Read, validate and compile an Agreement file; every problem is reported with its line. */
export function loadAgreementFile(file: string): CompiledAgreement {
  if (!existsSync(file)) throw new AppError('not_found', `--agreement: no such file ${file}`)
  const parsed = parseAgreement(readFileSync(file, 'utf8'), { fileName: file })
  if (!parsed.ok) {
    throw new AppError(
      'invalid_input',
      `${file}: ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'} in the Agreement`,
      parsed.errors.map((e) => ({ path: e.path, message: e.message, line: e.line })),
    )
  }
  return compileAgreement(parsed.agreement)
}

/**
 * An instant from the command line. With an offset or `Z` it is exact; without one (`2026-11-20T16:30`) it is a
 * wall-clock time in `timeZone`, the calendar's zone, which is how people say "Friday 16:30 in New York".
 *
 * Example: `parseInstantOption('2026-11-20T16:30', '--from', 'America/New_York')` → `Date.parse('2026-11-20T21:30:00Z')`
 */
export function parseInstantOption(text: string, option: string, timeZone: string): number {
  const ms = readInstant(text, timeZone)
  if (ms !== null) return ms
  throw new AppError(
    'invalid_input',
    `${option}: expected an ISO-8601 date-time such as ${EXAMPLE_INSTANT} (without an offset: local time in ${timeZone}), got "${text}"`,
  )
}

/**
 * A business duration as people read it: `5h 30m`, `45m`, `0m`; seconds only when present; `-` when negative.
 *
 * Example: `formatHoursMinutes(19_800_000)` → `'5h 30m'`
 */
export function formatHoursMinutes(ms: number): string {
  const sign = ms < 0 ? '-' : ''
  const totalSeconds = Math.round(Math.abs(ms) / 1000)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  const parts = [h > 0 ? `${h}h` : '', m > 0 || (h === 0 && s === 0) ? `${m}m` : '', s > 0 ? `${s}s` : '']
  return sign + parts.filter((p) => p !== '').join(' ')
}

type CommonOptions = { agreement: string; calendar: string; from: string; json?: boolean }

function print(json: boolean | undefined, data: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`)
}

/**
 * `accord calendar add|between`: business-time arithmetic on a calendar of an Agreement file.
 *
 * Example: `accord calendar add --agreement accord.yaml --calendar new_york --from 2026-11-20T16:30:00-05:00 --duration 4h`
 * prints `2026-11-23T13:00:00-05:00` (Friday closes at 16:00; Monday 09:00 + 4h).
 */
export function registerCalendarCommand(program: Command, _deps: CliDeps): void {
  const cmd = program
    .command('calendar')
    .description("business time on an Agreement's calendars (hours, holidays, overrides; reads files only)")
  cmd
    .command('add')
    .description('when DURATION of business time has elapsed after FROM: the due instant, in the calendar zone')
    .requiredOption('--agreement <file>', 'Agreement YAML file')
    .requiredOption('--calendar <name>', 'a calendar of the Agreement (calendars.<name>)')
    .requiredOption('--from <iso>', `start instant, e.g. ${EXAMPLE_INSTANT} (no offset: local to the calendar)`)
    .requiredOption('--duration <business>', 'business time: 4h, 90m, 1h30m')
    .option('--json', 'print machine-readable JSON')
    .action((o: CommonOptions & { duration: string }) => {
      try {
        const compiled = loadAgreementFile(o.agreement)
        const timeZone = getAgreementCalendarTimeZone(compiled, o.calendar)
        const fromMs = parseInstantOption(o.from, '--from', timeZone)
        const duration = parseDuration(o.duration, ['h', 'm'])
        if (!duration.ok) throw new AppError('invalid_input', `--duration: ${duration.message}`)
        const { dueMs } = addAgreementBusinessTime(compiled, o.calendar, fromMs, duration.ms)
        if (!Number.isFinite(dueMs)) {
          throw new AppError(
            'invalid_input',
            `calendar ${o.calendar} never opens for ${o.duration} of business time after ${formatInZone(fromMs, timeZone)}`,
          )
        }
        const due = formatInZone(dueMs, timeZone)
        print(
          o.json,
          {
            calendar: o.calendar,
            timeZone,
            from: formatInZone(fromMs, timeZone),
            durationMs: duration.ms,
            due,
            dueUtc: new Date(dueMs).toISOString(),
            dueMs,
          },
          due,
        )
      } catch (e) {
        reportError(e)
      }
    })
  cmd
    .command('between')
    .description('business time from FROM to TO (negative when TO is earlier), e.g. 5h 30m')
    .requiredOption('--agreement <file>', 'Agreement YAML file')
    .requiredOption('--calendar <name>', 'a calendar of the Agreement (calendars.<name>)')
    .requiredOption('--from <iso>', `start instant, e.g. ${EXAMPLE_INSTANT} (no offset: local to the calendar)`)
    .requiredOption('--to <iso>', 'end instant, same forms as --from')
    .option('--json', 'print machine-readable JSON, with milliseconds')
    .action((o: CommonOptions & { to: string }) => {
      try {
        const compiled = loadAgreementFile(o.agreement)
        const timeZone = getAgreementCalendarTimeZone(compiled, o.calendar)
        const fromMs = parseInstantOption(o.from, '--from', timeZone)
        const toMs = parseInstantOption(o.to, '--to', timeZone)
        const { businessMs } = measureAgreementBusinessTime(compiled, o.calendar, fromMs, toMs)
        const text = formatHoursMinutes(businessMs)
        print(
          o.json,
          {
            calendar: o.calendar,
            timeZone,
            from: formatInZone(fromMs, timeZone),
            to: formatInZone(toMs, timeZone),
            businessMs,
            business: text,
          },
          text,
        )
      } catch (e) {
        reportError(e)
      }
    })
}
