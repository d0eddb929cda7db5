// The concurrency contract, simulated: decideRoute is pure, so fairness under concurrency rests entirely on the
// use case serialising read → decide → write on the pool's row (SELECT … FOR UPDATE). Here a mutex stands in for
// the row lock and `await` for the database round trips where another process can run.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decideRoute, type PoolState } from './index.ts'
import { assignedRep, everyoneToPool, MONDAY_10AM_NY, makePool, makeRep } from './routing-fixtures.ts'

const reps = [makeRep('ana'), makeRep('ben'), makeRep('chloe')]
const pools = [makePool('na', { ana: 2, ben: 1, chloe: 1 })]

/** The pool_state row: a value and a version, with a compare-and-set write like `UPDATE … WHERE version = $old`. */
class PoolRow {
  state: PoolState = { poolName: 'na', nextStart: {}, version: 0 }
  read(): PoolState {
    return this.state
  }
  write(next: PoolState, expectedVersion: number | null): boolean {
    if (expectedVersion !== null && this.state.version !== expectedVersion) return false
    this.state = next
    return true
  }
}

/** A FIFO mutex: what `FOR UPDATE` gives one row. */
class RowLock {
  private tail: Promise<void> = Promise.resolve()
  async hold<T>(work: () => Promise<T>): Promise<T> {
    const before = this.tail
    let release = () => {}
    this.tail = new Promise<void>((resolve) => {
      release = resolve
    })
    await before
    try {
      return await work()
    } finally {
      release()
    }
  }
}

/** A database round trip: lets every other pending process run before this one continues. */
const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve))

type Turn = { repId: string; versionRead: number }

async function routeOne(row: PoolRow, now: number, checkVersion: boolean): Promise<Turn & { written: boolean }> {
  const state = row.read()
  await roundTrip() // load, scoring, other statements of the transaction
  const decision = decideRoute({
    rules: [everyoneToPool('na')],
    input: { accountOwnerId: null, fields: {} },
    reps,
    pools,
    poolStates: { na: state },
    load: {},
    now,
  })
  await roundTrip()
  const next = decision.kind === 'assigned' ? decision.newPoolState : undefined
  const written = next ? row.write(next, checkVersion ? state.version : null) : false
  return { repId: assignedRep(decision), versionRead: state.version, written }
}

async function runProcess<T extends Turn>(leads: number, step: (i: number) => Promise<T>): Promise<T[]> {
  const turns: T[] = []
  for (let i = 0; i < leads; i++) turns.push(await step(i))
  return turns
}

describe('round robin under concurrency', () => {
  test('two processes routing at once through a locked pool row never give the same turn twice', async () => {
    const row = new PoolRow()
    const lock = new RowLock()
    const step = (i: number) => lock.hold(() => routeOne(row, MONDAY_10AM_NY + i, false))
    const [first, second] = await Promise.all([runProcess(50, step), runProcess(50, step)])
    const all = [...first!, ...second!].sort((a, b) => a.versionRead - b.versionRead)
    assert.deepEqual(
      all.map((t) => t.versionRead),
      Array.from({ length: 100 }, (_, i) => i),
      'every version of the row was read by exactly one decision',
    )
    // Interleaved processes hand out exactly the sequence one process alone would: A B A C …
    assert.equal(all.map((t) => t.repId[0]).join(''), 'abac'.repeat(25))
    assert.equal(row.state.version, 100)
    assert.ok(first!.length === 50 && second!.length === 50)
  })

  test('without the lock two processes read the same state and give the same turn twice: the contract matters', async () => {
    const row = new PoolRow()
    const step = (i: number) => routeOne(row, MONDAY_10AM_NY + i, false)
    const [first, second] = await Promise.all([runProcess(20, step), runProcess(20, step)])
    const versions = [...first!, ...second!].map((t) => t.versionRead)
    assert.ok(new Set(versions).size < versions.length, 'some row version was used by two decisions')
    const both = first!.filter((t, i) => second![i]!.versionRead === t.versionRead && second![i]!.repId === t.repId)
    assert.ok(both.length > 0, 'the same rep got the same turn in both processes')
    // 40 leads, yet the row advanced once per pair of colliding decisions: turns were lost.
    assert.ok(row.state.version < 40, `row version ${row.state.version}`)
  })

  test('a version check on write catches the collision when the row was not locked', async () => {
    const row = new PoolRow()
    const step = (i: number) => routeOne(row, MONDAY_10AM_NY + i, true)
    const [first, second] = await Promise.all([runProcess(10, step), runProcess(10, step)])
    const results = [...first!, ...second!]
    const rejected = results.filter((t) => !t.written)
    assert.ok(rejected.length > 0, 'the second writer of a version is refused and must retry')
    assert.equal(row.state.version, results.length - rejected.length)
  })
})
