/**
 * The line where a part of the Agreement is written, for links that open the editor there
 * (`/agreement/propose?at=calendars.new_york`). Segments are mapping keys, or the `id` of a list item
 * (`reps.ana_ruiz` finds `- id: ana_ruiz` or `{ id: ana_ruiz, … }` under `reps:`). Null when not found.
 * @example findYamlLine('pools:\n  na_east:\n    members: []', 'pools.na_east') // 2
 */
export function findYamlLine(source: string, path: string): number | null {
  const lines = source.split('\n')
  const indentOf = (l: string) => l.length - l.trimStart().length
  let from = 0
  let parentIndent = -1
  let found: number | null = null
  for (const segment of path.split('.').filter(Boolean)) {
    const key = new RegExp(`^\\s*(?:-\\s+)?${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`)
    const id = new RegExp(`(?:^\\s*-\\s*(?:\\{\\s*)?|\\{\\s*)id:\\s*${segment}\\s*[,}\\s]?`)
    let hit: number | null = null
    for (let i = from; i < lines.length; i++) {
      const line = lines[i]!
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue
      if (i > from && parentIndent >= 0 && indentOf(line) <= parentIndent && !line.trimStart().startsWith('-')) break
      if (key.test(line) || id.test(line)) {
        hit = i
        break
      }
    }
    if (hit === null) return found === null ? null : found + 1
    found = hit
    from = hit + 1
    parentIndent = indentOf(lines[hit]!)
  }
  return found === null ? null : found + 1
}
