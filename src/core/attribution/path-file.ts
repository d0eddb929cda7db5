import type { Issue } from '../errors.ts'
import type { Journey } from './types.ts'

/**
 * Reader for the ChannelAttribution path format (pure: it is given text or lines, never a file):
 *
 * ```
 * path;total_conversions;total_conversion_value;total_null
 * eta > iota > alpha > eta;1;0.244;3
 * ```
 *
 * Fields are `;`-separated and may be wrapped in double quotes; channels are joined by `>` (conventionally ` > `,
 * surrounding spaces are trimmed). The header is optional: when the first non-blank line does not name a `path`
 * column, columns are taken in the order above. With a header, columns are found by name, `path` and
 * `total_conversions` are required, `total_conversion_value` and `total_null` default to 0, other columns are ignored.
 * Blank lines are skipped; CRLF endings and a UTF-8 byte-order mark are accepted. Every bad field is reported with its
 * 1-based line number; bad rows are left out of `journeys`, never half-read.
 */

export type PathFileParseResult = {
  journeys: Journey[]
  issues: Issue[]
  /** Data rows read (good and bad), header and blank lines excluded. */
  rowCount: number
}

export type PathFileParser = {
  /** Feed the next line (without or with its line ending). Lines are numbered from 1 in the order given. */
  pushLine(line: string): void
  /** Stop reading: reports a missing header/data and returns what was collected. */
  finish(): PathFileParseResult
}

type Columns = { path: number; conversions: number; value: number; nulls: number }

const DEFAULT_COLUMNS: Columns = { path: 0, conversions: 1, value: 2, nulls: 3 }
const MAX_ISSUES = 100

/**
 * A line-by-line parser, for reading a large file as a stream. With `onJourney`, journeys are handed over as they are
 * read and not kept; otherwise `finish()` returns them all.
 *
 * Example:
 * ```ts
 * const parser = createPathFileParser()
 * for (const line of ['path;total_conversions;total_conversion_value;total_null', 'a > b;1;2.5;3']) parser.pushLine(line)
 * parser.finish().journeys // [{ touches: [{ channel: 'a' }, { channel: 'b' }], conversions: 1, value: 2.5, nulls: 3 }]
 * ```
 */
export function createPathFileParser(
  options: { onJourney?: (journey: Journey, line: number) => void } = {},
): PathFileParser {
  const journeys: Journey[] = []
  const issues: Issue[] = []
  let columns: Columns | undefined
  let lineNumber = 0
  let rowCount = 0
  let issueCount = 0
  const report = (path: string, line: number, message: string) => {
    issueCount++
    if (issues.length < MAX_ISSUES) issues.push({ path, line, message })
  }

  const readNumber = (
    fields: string[],
    index: number,
    name: string,
    line: number,
    rule: 'count' | 'any',
    optional: boolean,
  ): number | undefined => {
    const raw = index < 0 ? undefined : fields[index]
    if (raw === undefined || raw.trim() === '') {
      if (optional) return 0
      report(name, line, raw === undefined ? 'missing column' : 'empty value')
      return undefined
    }
    const v = Number(unquote(raw))
    if (!Number.isFinite(v) || (rule === 'count' && v < 0)) {
      report(name, line, `expected ${rule === 'count' ? 'a number ≥ 0' : 'a number'}, got ${JSON.stringify(raw)}`)
      return undefined
    }
    return v
  }

  return {
    pushLine(rawLine: string) {
      lineNumber++
      let line = rawLine
      if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1)
      if (line.endsWith('\n')) line = line.slice(0, -1)
      if (line.endsWith('\r')) line = line.slice(0, -1)
      if (line.trim() === '') return
      const fields = line.split(';')
      if (columns === undefined) {
        const names = fields.map((f) => unquote(f).trim().toLowerCase())
        if (names.includes('path')) {
          columns = {
            path: names.indexOf('path'),
            conversions: names.indexOf('total_conversions'),
            value: names.indexOf('total_conversion_value'),
            nulls: names.indexOf('total_null'),
          }
          if (columns.conversions < 0)
            report('total_conversions', lineNumber, 'header lacks a total_conversions column')
          return
        }
        columns = DEFAULT_COLUMNS
      }
      rowCount++
      const before = issueCount
      const pathField = fields[columns.path]
      const touches: { channel: string }[] = []
      if (pathField === undefined || unquote(pathField).trim() === '') {
        report('path', lineNumber, 'empty path')
      } else {
        const names = unquote(pathField).split('>')
        for (let i = 0; i < names.length; i++) {
          const channel = names[i]!.trim()
          if (channel === '') report(`path[${i}]`, lineNumber, 'empty channel name between ">" separators')
          else touches.push({ channel })
        }
      }
      const conversions = readNumber(fields, columns.conversions, 'total_conversions', lineNumber, 'count', false)
      const value = readNumber(fields, columns.value, 'total_conversion_value', lineNumber, 'any', columns.value < 0)
      const nulls = readNumber(fields, columns.nulls, 'total_null', lineNumber, 'count', columns.nulls < 0)
      if (issueCount !== before || conversions === undefined || value === undefined || nulls === undefined) return
      const journey: Journey = { touches, conversions, value, nulls }
      if (options.onJourney) options.onJourney(journey, lineNumber)
      else journeys.push(journey)
    },
    finish() {
      if (columns === undefined) report('path', lineNumber === 0 ? 1 : lineNumber, 'no header and no data rows')
      if (issueCount > issues.length) {
        issues.push({
          path: 'file',
          line: lineNumber,
          message: `${issueCount - issues.length} further issue(s) not shown`,
        })
      }
      return { journeys, issues, rowCount }
    },
  }
}

/**
 * Parse a whole path file held in memory.
 *
 * Example: `parsePathFile('path;total_conversions\na > b;2\n').journeys[0].conversions === 2`
 */
export function parsePathFile(text: string): PathFileParseResult {
  const parser = createPathFileParser()
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    parser.pushLine(text.slice(start, end))
    start = end + 1
  }
  return parser.finish()
}

function unquote(field: string): string {
  const f = field.trim()
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f
}
