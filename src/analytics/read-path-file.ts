import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { createPathFileParser } from '../core/attribution/path-file.ts'
import type { Journey } from '../core/attribution/types.ts'
import { AppError } from '../core/errors.ts'

/**
 * Read a ChannelAttribution path file (`path;total_conversions;total_conversion_value;total_null`) line by line.
 * Throws `AppError('invalid_input')` listing every bad field with its line (`Data.csv:12 total_null: …`), so
 * nothing is attributed from a half-read file; `not_found` when the file does not exist.
 *
 * Example: `const journeys = await readPathFile('paths.csv'); attribute(journeys, { kind: 'linear' })`
 */
export async function readPathFile(file: string): Promise<Journey[]> {
  const parser = createPathFileParser()
  const stream = createReadStream(file, { encoding: 'utf8' })
  try {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
    for await (const line of lines) parser.pushLine(line)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('not_found', `path file ${file} not found`, [
        { path: 'paths', message: `no such file: ${file}` },
      ])
    }
    throw e
  }
  const { journeys, issues } = parser.finish()
  if (issues.length > 0) {
    const first = issues[0]!
    throw new AppError(
      'invalid_input',
      `${file}:${first.line ?? '?'} ${first.path}: ${first.message}` +
        (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
      issues,
    )
  }
  return journeys
}
