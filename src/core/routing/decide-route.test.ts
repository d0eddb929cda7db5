import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  countAssignmentLoad,
  createPoolState,
  type DecideRouteArgs,
  decideRoute,
  explainRoute,
  listPoolsToLock,
  type Pool,
  type PoolState,
  type Rep,
  type RoutingRule,
} from './index.ts'
import {
  alwaysOpen,
  assignedRep,
  everyoneToPool,
  MONDAY_10AM_NY,
  makePool,
  makeRep,
  nextState,
  SATURDAY_NOON_NY,
  tally,
  weekendHours,
} from './routing-fixtures.ts'

const HOUR = 3_600_000

/** Routes `n` leads one after another through one pool, carrying the pool state, as the use case would. */
function routeMany(
  n: number,
  setup: { reps: Rep[]; pools: Pool[]; rules?: RoutingRule[]; now?: number; state?: PoolState },
): { repIds: string[]; state: PoolState | undefined } {
  const rules = setup.rules ?? [everyoneToPool(setup.pools[0]!.name)]
  let state = setup.state
  const repIds: string[] = []
  for (let i = 0; i < n; i++) {
    const poolName = setup.pools[0]!.name
    const decision = decideRoute({
      rules,
      input: { accountOwnerId: null, fields: {} },
      reps: setup.reps,
      pools: setup.pools,
      poolStates: state ? { [poolName]: state } : {},
      load: {},
      now: setup.now ?? MONDAY_10AM_NY + i * 1000,
    })
    repIds.push(assignedRep(decision))
    state = nextState(decision, state)
  }
  return { repIds, state }
}

describe('fair weighted round robin', () => {
  test('round robin over 3 reps with weights 2:1:1 and one rep out of office hands out leads in the expected proportions; nothing is ever assigned to an inactive rep', () => {
    const reps = [
      makeRep('ana'),
      makeRep('ben', { outOfOffice: [{ from: '2026-11-20', to: '2026-11-24' }] }),
      makeRep('chloe'),
      makeRep('dan', { active: false }),
    ]
    const pools = [makePool('na', { ana: 2, ben: 1, chloe: 1, dan: 5 })]
    // Monday and Tuesday Ben is away: Ana and Chloe share 2:1; Dan, inactive and heaviest, gets nothing.
    const away = routeMany(300, { reps, pools })
    assert.deepEqual(tally(away.repIds), { ana: 200, chloe: 100 })
    // Wednesday Ben is back: 2:1:1 over the next 400 leads, still nothing for Dan.
    const wednesday = Date.parse('2026-11-25T15:00:00Z')
    const back = routeMany(400, { reps, pools, now: wednesday, ...(away.state ? { state: away.state } : {}) })
    assert.deepEqual(tally(back.repIds), { ana: 200, ben: 100, chloe: 100 })
    assert.ok(!away.repIds.includes('dan') && !back.repIds.includes('dan'))
  })

  test('weights 2:1:1 over 400 leads give exactly 200, 100 and 100, and every prefix is within one lead of its share', () => {
    const reps = [makeRep('ana'), makeRep('ben'), makeRep('chloe')]
    const weights = { ana: 2, ben: 1, chloe: 1 }
    const { repIds } = routeMany(400, { reps, pools: [makePool('na', weights)] })
    assert.deepEqual(tally(repIds), { ana: 200, ben: 100, chloe: 100 })
    const counts: Record<string, number> = { ana: 0, ben: 0, chloe: 0 }
    repIds.forEach((id, i) => {
      counts[id]!++
      for (const [rep, weight] of Object.entries(weights)) {
        const share = ((i + 1) * weight) / 4
        assert.ok(Math.abs(counts[rep]! - share) <= 1, `after ${i + 1} leads ${rep} has ${counts[rep]}, share ${share}`)
      }
    })
  })

  test('weights 2:1:1 hand out A B A C, not A A B C', () => {
    const reps = [makeRep('a'), makeRep('b'), makeRep('c')]
    const { repIds } = routeMany(8, { reps, pools: [makePool('na', { a: 2, b: 1, c: 1 })] })
    assert.equal(repIds.join(' '), 'a b a c a b a c')
  })

  test('an out-of-office member is skipped and the others share its leads in proportion to their weights', () => {
    const reps = [
      makeRep('ana'),
      makeRep('ben', { outOfOffice: [{ from: '2026-11-23', to: '2026-11-23', note: 'conference' }] }),
      makeRep('chloe'),
      makeRep('dora'),
    ]
    const { repIds } = routeMany(120, { reps, pools: [makePool('na', { ana: 3, ben: 2, chloe: 2, dora: 1 })] })
    assert.deepEqual(tally(repIds), { ana: 60, chloe: 40, dora: 20 })
  })

  test('a rep back from out of office does not get a run of leads for the turns it missed', () => {
    const reps = [makeRep('ana'), makeRep('ben'), makeRep('chloe')]
    const away = reps.map((r) =>
      r.id === 'ben' ? makeRep('ben', { outOfOffice: [{ from: '2026-11-23', to: '2026-11-23' }] }) : r,
    )
    const pools = [makePool('na', { ana: 1, ben: 1, chloe: 1 })]
    const before = routeMany(100, { reps: away, pools })
    assert.ok(!before.repIds.includes('ben'))
    const tuesday = Date.parse('2026-11-24T15:00:00Z')
    const after = routeMany(12, { reps, pools, now: tuesday, ...(before.state ? { state: before.state } : {}) })
    assert.equal(tally(after.repIds).ben, 4, `Ben takes his share of 12, no more: ${after.repIds.join(' ')}`)
    for (let i = 1; i < after.repIds.length; i++) {
      assert.ok(!(after.repIds[i] === 'ben' && after.repIds[i - 1] === 'ben'), after.repIds.join(' '))
    }
  })

  test('a member at its daily cap is skipped for the rest of its local day and takes leads again the next day', () => {
    const reps = [makeRep('ana', { capacity: { daily: 2 } }), makeRep('ben')]
    const pools = [makePool('na', { ana: 1, ben: 1 })]
    // Ana got leads at 09:15 and 09:45 New York today, and one last night at 23:30 (yesterday, local).
    const anaAssignments = [
      Date.parse('2026-11-23T14:15:00Z'),
      Date.parse('2026-11-23T14:45:00Z'),
      Date.parse('2026-11-23T04:30:00Z'),
    ]
    const load = { ana: countAssignmentLoad(anaAssignments, 'America/New_York', MONDAY_10AM_NY) }
    assert.deepEqual(load.ana, { today: 2, thisWeek: 2 })
    const args: DecideRouteArgs = {
      rules: [everyoneToPool('na')],
      input: { accountOwnerId: null, fields: {} },
      reps,
      pools,
      poolStates: {},
      load,
      now: MONDAY_10AM_NY,
    }
    const capped = decideRoute(args)
    assert.equal(assignedRep(capped), 'ben')
    assert.match(explainRoute(capped.trace).join('\n'), /Ana skipped: daily cap 2 reached/)
    const tuesday = MONDAY_10AM_NY + 24 * HOUR
    const nextDay = { ana: countAssignmentLoad(anaAssignments, 'America/New_York', tuesday) }
    assert.equal(assignedRep(decideRoute({ ...args, load: nextDay, now: tuesday })), 'ana')
  })

  test('a member at its weekly cap is skipped, and respectCapacity: false ignores caps', () => {
    const reps = [makeRep('ana', { capacity: { daily: 10, weekly: 5 } }), makeRep('ben')]
    const args: DecideRouteArgs = {
      rules: [everyoneToPool('na')],
      input: { accountOwnerId: null, fields: {} },
      reps,
      pools: [makePool('na', { ana: 1, ben: 1 })],
      poolStates: {},
      load: { ana: { today: 1, thisWeek: 5 } },
      now: MONDAY_10AM_NY,
    }
    const decision = decideRoute(args)
    assert.equal(assignedRep(decision), 'ben')
    assert.match(explainRoute(decision.trace).join('\n'), /Ana skipped: weekly cap 5 reached/)
    const ignoring = decideRoute({ ...args, pools: [makePool('na', { ana: 1, ben: 1 }, { respectCapacity: false })] })
    assert.equal(assignedRep(ignoring), 'ana')
  })
})

describe('working hours and backup pools', () => {
  const reps = [
    makeRep('ana'),
    makeRep('ben'),
    makeRep('wes', { calendar: weekendHours }),
    makeRep('wendy', { calendar: weekendHours }),
  ]
  const pools = [makePool('na', { ana: 2, ben: 1 }, { backup: 'weekend' }), makePool('weekend', { wes: 1, wendy: 1 })]
  const base: DecideRouteArgs = {
    rules: [everyoneToPool('na')],
    input: { accountOwnerId: null, fields: {} },
    reps,
    pools,
    poolStates: {},
    load: {},
    now: SATURDAY_NOON_NY,
  }

  test('a lead arriving Saturday goes to the backup pool whose members work weekends', () => {
    const decision = decideRoute(base)
    assert.equal(decision.kind, 'assigned')
    assert.ok(decision.kind === 'assigned')
    assert.equal(decision.repId, 'wes')
    assert.equal(decision.poolName, 'weekend')
    assert.equal(decision.viaBackup, true)
    assert.equal(decision.newPoolState?.poolName, 'weekend')
    assert.equal(decision.newPoolState?.version, 1)
    assert.deepEqual(explainRoute(decision.trace), [
      'Rule 1 Everyone else → pool na: nobody available (Ana skipped: outside working hours (opens Mon 09:00 America/New_York); Ben skipped: outside working hours (opens Mon 09:00 America/New_York))',
      '  → backup pool weekend (of na): Wes (weight 1) chosen; Wendy (weight 1) passed over: not their turn',
    ])
  })

  test('the same lead on Monday morning stays in the primary pool', () => {
    const decision = decideRoute({ ...base, now: MONDAY_10AM_NY })
    assert.ok(decision.kind === 'assigned')
    assert.equal(decision.repId, 'ana')
    assert.equal(decision.viaBackup, false)
    assert.equal(decision.poolName, 'na')
  })

  test('when the pool and its backup have nobody available the lead is unassigned with a reason', () => {
    const tuesday3am = Date.parse('2026-11-24T08:00:00Z')
    const decision = decideRoute({ ...base, now: tuesday3am })
    assert.equal(decision.kind, 'unassigned')
    assert.ok(decision.kind === 'unassigned')
    assert.equal(decision.code, 'pools_unavailable')
    assert.equal(decision.reason, 'rule 1 "Everyone else": nobody available in pool na, then backup weekend')
  })

  test('a pool with respectWorkingHours: false routes outside working hours', () => {
    const decision = decideRoute({
      ...base,
      pools: [makePool('na', { ana: 2, ben: 1 }, { respectWorkingHours: false })],
    })
    assert.equal(assignedRep(decision), 'ana')
  })

  test('backup pools that point at each other are tried once each', () => {
    const loop = [makePool('na', { ana: 1 }, { backup: 'emea' }), makePool('emea', { ben: 1 }, { backup: 'na' })]
    const decision = decideRoute({ ...base, pools: loop })
    assert.ok(decision.kind === 'unassigned')
    assert.equal(decision.reason, 'rule 1 "Everyone else": nobody available in pool na, then backup emea')
    assert.deepEqual(listPoolsToLock({ ...base, pools: loop }), ['emea', 'na'])
  })
})

describe('rules', () => {
  const reps = [
    makeRep('ana', { name: 'Ana Ruiz', outOfOffice: [{ from: '2026-11-20', to: '2026-12-02' }] }),
    makeRep('ben', { name: 'Ben Cho' }),
    makeRep('olga', { name: 'Olga Berg', calendar: alwaysOpen }),
    makeRep('ivan', { name: 'Ivan Petrov', active: false }),
  ]
  const pools = [makePool('na', { ben: 1 }), makePool('emea', { olga: 1 })]
  const region = (input: { fields: Readonly<Record<string, unknown>> }) => {
    const value = (input.fields.account as { region?: string } | undefined)?.region
    return value === undefined ? ('unknown' as const) : value === 'EMEA'
  }
  const rules: RoutingRule[] = [
    { name: 'Account owner', condition: null, to: { kind: 'account_owner' } },
    { name: 'EMEA', condition: region, conditionText: 'account.region == "EMEA"', to: { kind: 'pool', pool: 'emea' } },
    everyoneToPool('na'),
  ]
  const args = (accountOwnerId: string | null, fields: Record<string, unknown> = {}): DecideRouteArgs => ({
    rules,
    input: { accountOwnerId, accountDomain: 'acme.com', fields },
    reps,
    pools,
    poolStates: {},
    load: {},
    now: MONDAY_10AM_NY,
  })

  test('the account owner gets the lead when active and in office, even outside the pools', () => {
    const decision = decideRoute(args('ben'))
    assert.ok(decision.kind === 'assigned')
    assert.equal(decision.repId, 'ben')
    assert.equal(decision.ruleName, 'Account owner')
    assert.equal(decision.newPoolState, undefined)
    assert.deepEqual(explainRoute(decision.trace), ['Rule 1 Account owner → account owner: Ben Cho chosen'])
    assert.deepEqual(listPoolsToLock(args('ben')), [])
  })

  test('an owner out of office is reported and routing continues with the next rule', () => {
    const decision = decideRoute(args('ana', { account: { region: 'NA' } }))
    assert.equal(assignedRep(decision), 'ben')
    assert.deepEqual(explainRoute(decision.trace), [
      'Rule 1 Account owner: owner Ana Ruiz is out of office until Dec 2; trying the next rule',
      'Rule 2 EMEA: condition not met (account.region == "EMEA")',
      'Rule 3 Everyone else → pool na: Ben Cho (weight 1) chosen',
    ])
  })

  test('an inactive owner never gets the lead', () => {
    const decision = decideRoute(args('ivan', { account: { region: 'EMEA' } }))
    assert.equal(assignedRep(decision), 'olga')
    assert.equal(
      explainRoute(decision.trace)[0],
      'Rule 1 Account owner: owner Ivan Petrov is inactive; trying the next rule',
    )
  })

  test('a lead whose account has no owner says so and goes on to the next rule', () => {
    const decision = decideRoute(args(null, { account: { region: 'EMEA' } }))
    assert.equal(assignedRep(decision), 'olga')
    assert.equal(explainRoute(decision.trace)[0], 'Rule 1 Account owner: no owner on acme.com')
  })

  test('rules are tried in order and the first match wins, so later matching rules are not tried', () => {
    const decision = decideRoute(args(null, { account: { region: 'EMEA' } }))
    assert.ok(decision.kind === 'assigned')
    assert.equal(decision.ruleName, 'EMEA')
    assert.deepEqual(
      decision.trace.rules.map((r) => [r.number, r.condition]),
      [
        [1, 'always'],
        [2, 'matched'],
      ],
    )
  })

  test('a condition answering unknown counts as no match and the trace says a field is missing', () => {
    const decision = decideRoute(args(null, {}))
    assert.equal(assignedRep(decision), 'ben')
    assert.equal(decision.trace.rules[1]?.condition, 'unknown')
    assert.equal(
      explainRoute(decision.trace)[1],
      'Rule 2 EMEA: condition unknown (account.region == "EMEA"), a field it reads is missing; treated as no match',
    )
  })

  test('a condition that throws is recorded as unknown with its message, never thrown to the caller', () => {
    const broken: RoutingRule = {
      name: 'Broken',
      condition: () => {
        throw new TypeError('no such overload')
      },
      to: { kind: 'pool', pool: 'emea' },
    }
    const decision = decideRoute({ ...args(null), rules: [broken, everyoneToPool('na')] })
    assert.equal(assignedRep(decision), 'ben')
    assert.equal(decision.trace.rules[0]?.conditionError, 'no such overload')
  })

  test('a rule naming a rep who is out of office falls through to the next rule', () => {
    const vip: RoutingRule = { name: 'VIP', condition: null, to: { kind: 'rep', rep: 'ana' } }
    const decision = decideRoute({ ...args(null), rules: [vip, everyoneToPool('na')] })
    assert.equal(assignedRep(decision), 'ben')
    assert.equal(
      explainRoute(decision.trace)[0],
      'Rule 1 VIP: rep Ana Ruiz is out of office until Dec 2; trying the next rule',
    )
  })

  test('when no rule gives an owner the lead is unassigned', () => {
    const decision = decideRoute({ ...args('ana'), rules: [rules[0]!] })
    assert.ok(decision.kind === 'unassigned')
    assert.equal(decision.code, 'no_rule_matched')
    assert.equal(decision.reason, 'no routing rule gave an owner (1 tried)')
  })

  test('listPoolsToLock names the pool of the first pool rule reached and its backups, sorted', () => {
    const chained = [
      makePool('na', { ben: 1 }, { backup: 'overflow' }),
      makePool('overflow', { olga: 1 }),
      makePool('emea', { olga: 1 }),
    ]
    assert.deepEqual(listPoolsToLock({ ...args('ana', { account: { region: 'NA' } }), pools: chained }), [
      'na',
      'overflow',
    ])
    assert.deepEqual(listPoolsToLock({ ...args(null, { account: { region: 'EMEA' } }), pools: chained }), ['emea'])
  })
})

describe('availability details', () => {
  test('out-of-office dates are local to the rep and include the last day', () => {
    const ana = makeRep('ana', { calendar: alwaysOpen, outOfOffice: [{ from: '2026-12-01', to: '2026-12-02' }] })
    const ny = makeRep('ana', { outOfOffice: [{ from: '2026-12-01', to: '2026-12-02' }] })
    const route = (rep: Rep, now: number) =>
      decideRoute({
        rules: [everyoneToPool('p')],
        input: { accountOwnerId: null, fields: {} },
        reps: [rep],
        pools: [makePool('p', { ana: 1 }, { respectWorkingHours: false })],
        poolStates: {},
        load: {},
        now,
      }).kind
    // 23:59 on Dec 2 in New York is already Dec 3 in UTC: still away in New York, back in UTC.
    assert.equal(route(ny, Date.parse('2026-12-03T04:59:00Z')), 'unassigned')
    assert.equal(route(ny, Date.parse('2026-12-03T05:00:00Z')), 'assigned')
    assert.equal(route(ana, Date.parse('2026-12-03T04:59:00Z')), 'assigned')
    assert.equal(route(ana, Date.parse('2026-11-30T23:59:00Z')), 'assigned')
    assert.equal(route(ana, Date.parse('2026-12-01T00:00:00Z')), 'unassigned')
  })

  test('overlapping absences report the end of the whole stretch away', () => {
    const rep = makeRep('ana', {
      outOfOffice: [
        { from: '2026-11-20', to: '2026-11-24' },
        { from: '2026-11-24', to: '2026-11-27', note: 'Thanksgiving' },
      ],
    })
    const decision = decideRoute({
      rules: [{ name: 'Owner', condition: null, to: { kind: 'account_owner' } }],
      input: { accountOwnerId: 'ana', fields: {} },
      reps: [rep],
      pools: [],
      poolStates: {},
      load: {},
      now: MONDAY_10AM_NY,
    })
    assert.equal(
      explainRoute(decision.trace)[0],
      'Rule 1 Owner: owner Ana is out of office until Nov 27 (Thanksgiving); trying the next rule',
    )
  })

  test('an unreadable out-of-office entry keeps the rep out of pools rather than risk handing them a lead', () => {
    const decision = decideRoute({
      rules: [everyoneToPool('p')],
      input: { accountOwnerId: null, fields: {} },
      reps: [makeRep('ana', { outOfOffice: [{ from: '2026-13-01', to: '2026-12-02' }] }), makeRep('ben')],
      pools: [makePool('p', { ana: 1, ben: 1 })],
      poolStates: {},
      load: {},
      now: MONDAY_10AM_NY,
    })
    assert.equal(assignedRep(decision), 'ben')
    assert.match(explainRoute(decision.trace)[0]!, /Ana skipped: out-of-office entry 0 unreadable \("2026-13-01"\)/)
  })

  test('the load of a rep is counted in its own local day and ISO week across a DST change', () => {
    // Sunday 2026-11-01 is fall-back day in New York (25 hours); the ISO week runs Mon Oct 26 – Sun Nov 1.
    const sundayNight = Date.parse('2026-11-02T04:30:00Z') // Sun 23:30 EST
    const at = [
      Date.parse('2026-11-01T04:30:00Z'), // Sun 00:30 EDT: today
      Date.parse('2026-11-02T04:59:00Z'), // Sun 23:59 EST: today
      Date.parse('2026-10-26T04:00:00Z'), // Mon 00:00 EDT: this week
      Date.parse('2026-10-26T03:59:00Z'), // Sun 23:59 the week before
      Date.parse('2026-11-02T05:00:00Z'), // Mon 00:00 EST: next week
    ]
    assert.deepEqual(countAssignmentLoad(at, 'America/New_York', sundayNight), { today: 2, thisWeek: 3 })
  })

  test('deciding is pure: the same arguments give the same decision and the stored state is not mutated', () => {
    const state = createPoolState('na')
    const args: DecideRouteArgs = {
      rules: [everyoneToPool('na')],
      input: { accountOwnerId: null, fields: {} },
      reps: [makeRep('ana'), makeRep('ben')],
      pools: [makePool('na', { ana: 1, ben: 1 })],
      poolStates: { na: state },
      load: {},
      now: MONDAY_10AM_NY,
    }
    const first = decideRoute(args)
    assert.deepEqual(decideRoute(args), first)
    assert.deepEqual(state, { poolName: 'na', nextStart: {}, version: 0 })
    assert.deepEqual(JSON.parse(JSON.stringify(first)), first, 'the trace survives a JSON round trip')
  })
})
