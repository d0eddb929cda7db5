// Fair weighted round robin: one turn of a worst-case-fair weighted fair queue (WF²Q+, Bennett & Zhang 1997),
// deterministic, over the members available at this instant.
//
// Each member's turns are jobs of length 1/weight on a virtual clock. A member may take a turn only once its next
// turn has started (nextStart <= clock): "eligible"; among eligible members the earliest finish
// (nextStart + 1/weight) wins, ties to the earlier member in the pool. The clock is the weight-averaged nextStart
// of the available members (service given = service due); while availability is steady it advances by
// 1/(sum of available weights) per lead, exactly as WF²Q+'s, and when availability changes it re-centres on the
// members present, so a member's return does not shift the others out of phase (2:1:1 stays A B A C afterwards).
// What must stay true:
//   - proportional: over any run of leads with a fixed available set, each member's count is within one lead of
//     its weight share (2:1:1 over 400 leads gives exactly 200/100/100);
//   - smooth: the eligibility test spreads turns out (2:1:1 gives A B A C, not A A B C or A B C A A);
//   - no banking: a member skipped (away, closed, capped) is carried along with the clock, so it comes back owed
//     at most its next turn, never the turns it missed; a member that was ahead keeps its debt until the clock
//     catches up;
//   - some available member is always eligible (the minimum never exceeds the weighted mean).
// The stored state is relative to the clock (clock = 0 after each turn), so numbers stay small and float error
// does not accumulate; comparisons allow EPSILON for thirds and the like.

const EPSILON = 1e-9

export type TurnCandidate = { readonly rep: string; readonly weight: number; readonly available: boolean }

export type Turn = {
  /** Index into the candidates of the member who takes the lead; -1 when none is available. */
  readonly chosen: number
  readonly before: readonly number[]
  /** Equal to `before` when nobody was available (the state does not move). */
  readonly after: readonly number[]
}

function snap(x: number): number {
  return Math.abs(x) < EPSILON ? 0 : x
}

/**
 * One round-robin turn. `nextStart` is the stored pool state; candidates absent from it start at 0.
 * A candidate with weight <= 0 or a non-finite weight must be passed as unavailable.
 * @example takeTurn([{ rep: 'ana', weight: 2, available: true }, { rep: 'ben', weight: 1, available: true }], {}).chosen // 0
 */
export function takeTurn(candidates: readonly TurnCandidate[], nextStart: Readonly<Record<string, number>>): Turn {
  const n = candidates.length
  const before = new Array<number>(n)
  let weighted = 0
  let availableWeight = 0
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!
    const s = nextStart[c.rep] ?? 0
    before[i] = s
    if (c.available) {
      availableWeight += c.weight
      weighted += c.weight * s
    }
  }
  if (availableWeight === 0) return { chosen: -1, before, after: before }
  const clock = weighted / availableWeight

  let chosen = -1
  let bestFinish = Number.POSITIVE_INFINITY
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!
    if (!c.available || before[i]! > clock + EPSILON) continue
    const finish = before[i]! + 1 / c.weight
    if (finish < bestFinish - EPSILON) {
      bestFinish = finish
      chosen = i
    }
  }

  const clockAfter = clock + 1 / availableWeight
  const after = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!
    let s = before[i]!
    if (i === chosen) s += 1 / c.weight
    else if (!c.available && s < clockAfter) s = clockAfter
    after[i] = snap(s - clockAfter)
  }
  return { chosen, before, after }
}
