/**
 * The scoreboard's one request, as the page makes it and as start-up prefetches it (main.tsx, through
 * `PageDef.prefetch`): same key, same URL, so the answer fetched while the session is being checked is the one the
 * page renders. Kept apart from the page so the entry script can import it without the page's code.
 */

/** The breakdowns the scoreboard can be narrowed to one value of (the API's FILTER_DIMENSIONS), as URL parameters. */
export const SCOREBOARD_FILTERS = ['source', 'campaign', 'segment', 'industry', 'team', 'owner'] as const
export type ScoreboardFilter = (typeof SCOREBOARD_FILTERS)[number]

export const isScoreboardFilter = (by: string): by is ScoreboardFilter =>
  (SCOREBOARD_FILTERS as readonly string[]).includes(by)

/** The page's filters in a fixed order: [dimension, value] for each one set. */
export function scoreboardFilters(search: URLSearchParams): [ScoreboardFilter, string][] {
  return SCOREBOARD_FILTERS.flatMap((d) => {
    const v = search.get(d)
    return v ? [[d, v] as [ScoreboardFilter, string]] : []
  })
}

export function scoreboardRequest(search: URLSearchParams): { queryKey: readonly unknown[]; path: string } {
  const query = new URLSearchParams({ by: search.get('by') || 'source' })
  const period = search.get('period')
  if (period) query.set('period', period)
  for (const [d, v] of scoreboardFilters(search)) query.set(d, v)
  return { queryKey: ['metrics', 'scoreboard', query.toString()], path: `/v1/metrics/scoreboard?${query}` }
}
