/**
 * Narrowing the shared numbers to one value of one or more breakdowns (`segment = Enterprise`, `source = webinar`):
 * the dimensions every scoreboard read can test, and the condition each read builds from its own expression of a
 * dimension — the same expression it breaks down by, so a filtered total equals that value's group unfiltered.
 */
import { type RawBuilder, sql } from 'kysely'

/**
 * The dimensions leads, opportunities, handoffs and dispositions all carry. `team` is the team of the lead's owner
 * (of the clock's rep for SLA clocks; an opportunity's imported team first), `owner` a rep id.
 */
export const FILTER_DIMENSIONS = ['source', 'campaign', 'segment', 'industry', 'team', 'owner'] as const
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number]

/** One value per dimension; every entry must hold (and). */
export type BreakdownFilter = Partial<Record<FilterDimension, string>>

/** The filter's entries in FILTER_DIMENSIONS order (empty for none). */
export function filterEntries(filter: BreakdownFilter | undefined): [FilterDimension, string][] {
  if (!filter) return []
  return FILTER_DIMENSIONS.flatMap((d) =>
    filter[d] === undefined ? [] : [[d, filter[d]] as [FilterDimension, string]],
  )
}

export const isFiltered = (filter: BreakdownFilter | undefined): boolean => filterEntries(filter).length > 0

/** The SQL condition "every entry holds" over a read's own expression of each dimension; `true` without entries. */
export function filterSql(
  filter: BreakdownFilter | undefined,
  expressionOf: (dimension: FilterDimension) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const entries = filterEntries(filter)
  if (entries.length === 0) return sql`true`
  return sql.join(
    entries.map(([d, value]) => sql`${expressionOf(d)} = ${value}`),
    sql` and `,
  )
}

/** The same test over values already read (dispositions carry their dimensions). */
export function matchesFilter(
  dimensions: Readonly<Record<string, string | null | undefined>>,
  filter: BreakdownFilter | undefined,
): boolean {
  return filterEntries(filter).every(([d, value]) => dimensions[d] === value)
}
