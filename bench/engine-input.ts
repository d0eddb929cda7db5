/**
 * Input for the engine benchmark: millions of simulated events held as columns (typed arrays plus a few interned
 * strings and property objects), not as millions of objects, so the input costs ~30 bytes an event and leaves the heap
 * to the engine. Iterating yields a fresh `ReplayEvent` per event, as a reader paging through stored history would;
 * the engine keeps none of them. The columns are held twice: account by account (`replayOrder`, each account's events
 * in time order — the order the what-if report replays in) and in occurred_at order, for comparison.
 */
import { type LeadFacts, type ReplayEvent, replayOrder } from '../src/core/engine/index.ts'
import { simulateEvents, simulateQuarter } from '../src/demo/simulate/index.ts'

function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Interns values by a string key: index ↔ value. */
class Interned<T> {
  readonly values: T[] = []
  private readonly index = new Map<string, number>()
  of(key: string, make: () => T): number {
    let i = this.index.get(key)
    if (i === undefined) {
      i = this.values.length
      this.values.push(make())
      this.index.set(key, i)
    }
    return i
  }
}

type Context = { source: string | null; medium: string | null; campaign: string | null }

/** One stored event, built on demand from the columns. `id` is derived, not stored. */
class ColumnEvent implements ReplayEvent {
  constructor(
    readonly personKey: string,
    readonly type: string,
    readonly at: number,
    readonly properties: Readonly<Record<string, unknown>>,
    readonly source: string | null,
    readonly medium: string | null,
    readonly campaign: string | null,
    private readonly seq: number,
  ) {}
  get id(): string {
    return `sim_7_b${this.seq}`
  }
}

export type EngineInput = {
  /**
   * Events account by account (`replayOrder`: each account's events in occurred_at order, ties in generation order),
   * one fresh object per step.
   */
  events: Iterable<ReplayEvent>
  /** The same events in occurred_at order (ties in generation order). */
  eventsByTime: Iterable<ReplayEvent>
  /** The first `n` events of `events`, for warm-up. */
  slice(n: number): Iterable<ReplayEvent>
  length: number
  facts: Map<string, LeadFacts>
  accounts: number
  /** Bytes held by the columns (typed arrays), excluding the interned strings and objects. */
  columnBytes: number
  generatedMs: number
  sortMs: number
  /** Time to order the sorted columns account by account (`replayOrder` and the copies). */
  accountOrderMs: number
}

/**
 * At least `minEvents` simulated events (seed 7, from 2026-10-01), with facts per person: each email domain borrows
 * a simulated account's attributes, each person a simulated title and country, deterministically by hash.
 */
export function buildEngineInput(minEvents: number, onBatch: () => void = () => {}): EngineInput {
  const pool = simulateQuarter({ seed: 1, start: '2026-10-01', accounts: 600 })
  const accountFacts = new Map<string, LeadFacts['account']>()
  const facts = new Map<string, LeadFacts>()
  const people = new Interned<string>()
  const types = new Interned<string>()
  const properties = new Interned<Readonly<Record<string, unknown>>>()
  const contexts = new Interned<Context>()
  const propsByObject = new Map<object, number>()
  const ctxByObject = new Map<object, number>()

  const personIndex = (key: string): number =>
    people.of(key, () => {
      const at = key.indexOf('@')
      const domain = at > 0 ? key.slice(at + 1) : null
      let account: LeadFacts['account'] = null
      if (domain !== null && !/gmail|outlook|yahoo|hotmail|icloud|proton|\.edu$/.test(domain)) {
        account = accountFacts.get(domain) ?? null
        if (account === null) {
          const a = pool.accounts[hash(domain) % pool.accounts.length]!
          account = { ...a, domain, owner: a.owner ?? undefined }
          accountFacts.set(domain, account)
        }
      }
      const person = pool.people[hash(key) % pool.people.length]!
      facts.set(key, { person: { email: key, title: person.title, country: person.country }, account })
      return key
    })

  const g0 = performance.now()
  let capacity = Math.ceil(minEvents * 1.1)
  let person = new Int32Array(capacity)
  let at = new Float64Array(capacity)
  let type = new Uint8Array(capacity)
  let props = new Int32Array(capacity)
  let ctx = new Int32Array(capacity)
  let n = 0
  const grow = () => {
    capacity *= 2
    const resize = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(capacity)
      b.set(a)
      return b
    }
    person = resize(person)
    at = resize(at)
    type = resize(type)
    props = resize(props)
    ctx = resize(ctx)
  }
  let persons = Math.ceil(minEvents / 24)
  for (;;) {
    n = 0
    for (const batch of simulateEvents({ seed: 7, start: '2026-10-01', persons, batchSize: 10_000 })) {
      for (const e of batch) {
        if (n === capacity) grow()
        person[n] = personIndex(e.person.email ?? `anon:${e.person.anonymous_id}`)
        at[n] = Date.parse(e.occurred_at)
        type[n] = types.of(e.type, () => e.type)
        let p = propsByObject.get(e.properties)
        if (p === undefined) {
          p = properties.of(JSON.stringify(e.properties), () => e.properties)
          propsByObject.set(e.properties, p)
        }
        props[n] = p
        let c = ctxByObject.get(e.context)
        if (c === undefined) {
          const { source, medium, campaign } = e.context
          c = contexts.of(JSON.stringify([source, medium, campaign]), () => ({ source, medium, campaign }))
          ctxByObject.set(e.context, c)
        }
        ctx[n] = c
        n++
      }
      onBatch()
    }
    if (n >= minEvents) break
    persons = Math.ceil(persons * (minEvents / n) * 1.02)
  }
  propsByObject.clear()
  ctxByObject.clear()
  const generatedMs = performance.now() - g0

  // Sort by occurred_at (ties in generation order), then lay the columns out in that order, so iterating reads them
  // sequentially. `seq` keeps each event's generation number for its id.
  const s0 = performance.now()
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  const unsorted = at
  order.sort((a, b) => unsorted[a]! - unsorted[b]! || a - b)
  const permute = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A => {
    const b = new (a.constructor as new (n: number) => A)(n)
    for (let k = 0; k < n; k++) b[k] = a[order[k]!]!
    return b
  }
  person = permute(person)
  at = permute(at)
  type = permute(type)
  props = permute(props)
  ctx = permute(ctx)
  const seq = order
  for (let k = 0; k < n; k++) seq[k]! += 1
  const sortMs = performance.now() - s0

  // Account by account, as the what-if report replays (see replayOrder): a stable regrouping of the sorted columns.
  const a0 = performance.now()
  const keys = people.values
  const byAccount = replayOrder(n, (k) => keys[person[k]!]!, facts)
  const regroup = <A extends Int32Array | Float64Array | Uint8Array | Uint32Array>(a: A): A => {
    const b = new (a.constructor as new (n: number) => A)(n)
    for (let k = 0; k < n; k++) b[k] = a[byAccount[k]!]!
    return b
  }
  const timeColumns = { person, at, type, props, ctx, seq }
  const accountColumns = {
    person: regroup(person),
    at: regroup(at),
    type: regroup(type),
    props: regroup(props),
    ctx: regroup(ctx),
    seq: regroup(seq),
  }
  const accountOrderMs = performance.now() - a0

  const typeNames = types.values
  const propValues = properties.values
  const ctxValues = contexts.values
  const iterate = function* (cols: typeof timeColumns, count: number): Generator<ReplayEvent> {
    const { person: personCol, at: atCol, type: typeCol, props: propsCol, ctx: ctxCol, seq: seqCol } = cols
    for (let k = 0; k < count; k++) {
      const c = ctxValues[ctxCol[k]!]!
      yield new ColumnEvent(
        keys[personCol[k]!]!,
        typeNames[typeCol[k]!]!,
        atCol[k]!,
        propValues[propsCol[k]!]!,
        c.source,
        c.medium,
        c.campaign,
        seqCol[k]!,
      )
    }
  }
  const bytes = (cols: typeof timeColumns) =>
    Object.values(cols).reduce((sum, col: { byteLength: number }) => sum + col.byteLength, 0)
  return {
    events: { [Symbol.iterator]: () => iterate(accountColumns, n) },
    eventsByTime: { [Symbol.iterator]: () => iterate(timeColumns, n) },
    slice: (count) => ({ [Symbol.iterator]: () => iterate(accountColumns, Math.min(count, n)) }),
    length: n,
    facts,
    accounts: accountFacts.size,
    columnBytes: bytes(timeColumns) + bytes(accountColumns),
    generatedMs,
    sortMs,
    accountOrderMs,
  }
}
