/** One breakdown group's key: the dimension value, or null for records without it. */
export type GroupKey = string | null

/**
 * Splits records by a key, preserving first-seen order; the caller sorts the groups it reports.
 * Null and undefined keys share the null group (unknown source, no team…).
 */
export function groupBy<T>(records: readonly T[], keyOf: (record: T) => string | null | undefined): Map<GroupKey, T[]> {
  const groups = new Map<GroupKey, T[]>()
  for (const record of records) {
    const key = keyOf(record) ?? null
    const group = groups.get(key)
    if (group) group.push(record)
    else groups.set(key, [record])
  }
  return groups
}

/** Keys in a stable order for reports: named keys alphabetically, the unknown (null) group last. */
export function compareKeys(a: GroupKey, b: GroupKey): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}
