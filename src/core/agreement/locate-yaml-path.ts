import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml'

export type PathSegment = string | number
export type SourcePosition = { line: number; column: number }

/**
 * `['icp', 'fit', 2, 'points']` → `icp.fit[2].points`, the form every Agreement error is reported in.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? seg : `.${seg}`
  }
  return out
}

function keyText(node: unknown): string | undefined {
  if (isScalar(node)) return String(node.value)
  return undefined
}

/**
 * Where `path` sits in the YAML source: the value's position when it exists, the key's position when the value is
 * empty, else the nearest existing ancestor (a missing required field points at the object that lacks it).
 * `at: 'key'` asks for the key instead (an unrecognised key is an error about the key itself).
 */
export function locateYamlPath(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  at: 'value' | 'key' = 'value',
): SourcePosition | undefined {
  let node: unknown = doc.contents
  let best: number | undefined = (doc.contents as Node | null)?.range?.[0]
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg))
      if (!pair) break
      const keyStart = (pair.key as Node | null)?.range?.[0]
      if (last && at === 'key' && keyStart !== undefined) return toPosition(lines, keyStart)
      const value = pair.value as Node | null
      best = value?.range?.[0] ?? keyStart ?? best
      if (!value) break
      node = value
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined
      if (!item) break
      best = item.range?.[0] ?? best
      node = item
    } else {
      break
    }
  }
  return best === undefined ? undefined : toPosition(lines, best)
}

/** The scalar node at `path`, when it is a scalar (used to place CEL errors inside an expression). */
export function findScalar(doc: Document, path: readonly PathSegment[]) {
  const node = doc.getIn(path as PathSegment[], true)
  return isScalar(node) ? node : undefined
}

function toPosition(lines: LineCounter, offset: number): SourcePosition {
  const { line, col } = lines.linePos(offset)
  return { line, column: col }
}
