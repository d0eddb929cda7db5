/**
 * The scoreboard's one request, as the page makes it and as start-up prefetches it (main.tsx, through
 * `PageDef.prefetch`): same key, same URL, so the answer fetched while the session is being checked is the one the
 * page renders. Kept apart from the page so the entry script can import it without the page's code.
 */
export function scoreboardRequest(search: URLSearchParams): { queryKey: readonly unknown[]; path: string } {
  const query = new URLSearchParams({ by: search.get('by') || 'source' })
  const period = search.get('period')
  if (period) query.set('period', period)
  return { queryKey: ['metrics', 'scoreboard', query.toString()], path: `/v1/metrics/scoreboard?${query}` }
}
