import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { getFunnel } from '../../src/analytics/funnel.queries.ts'
import { type FunnelLead, funnel, parsePeriod } from '../../src/core/metrics/index.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import {
  seedAccount,
  seedDisposition,
  seedLead,
  seedOpportunity,
  seedSlaClock,
  seedTouch,
} from '../helpers/seed-analytics.ts'

const DAY = 86_400_000
const HOUR = 3_600_000

/**
 * Q4 2026 on a hand-sized workspace, "now" 16 November (46 of the quarter's 92 days: half the targets expected).
 *
 * leads  L1 acme google/q4  Lead 10-05 → MQL 10-06 → SQL 10-10   hot, ana_ruiz
 *        L2 acme google     Lead 10-07 → MQL 10-08               warm, diego_santos
 *        L3 globex webinar  Lead 10-09
 *        L4 globex webinar  Lead 09-20 → MQL 10-02 → SQL 10-03   warm, ana_ruiz
 * opps   O1 acme 100k opened 10-10 won 11-09 · O2 globex 50k 10-03 lost 10-23 · O3 acme 200k 11-01 open
 *        O4 globex 40k opened 09-01 won 10-11
 * touches acme: google/cpc 09-20, linkedin/paid_social 10-08, email/email 11-05 · globex: webinar/event 09-25
 */
describe('the shared numbers over HTTP', () => {
  let t: TestApp
  let versionId: number
  const leads: Record<string, number> = {}
  before(async () => {
    t = await createTestApp({ now: () => Date.parse('2026-11-16T00:00:00Z') })
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: { ...t.auth('marketing'), 'content-type': 'application/yaml' },
      payload: readFileSync('accord.example.yaml', 'utf8'),
    })
    versionId = proposed.json().id
    await t.app.inject({ method: 'POST', url: `/v1/agreements/${versionId}/sign`, headers: t.auth('marketing') })
    await t.app.inject({ method: 'POST', url: `/v1/agreements/${versionId}/sign`, headers: t.auth('sales') })
    const { db } = t.ctx
    const ws = t.workspaceId
    const acme = await seedAccount(db, ws, { domain: 'acme.com', segment: 'mid_market', employees: 450 })
    const globex = await seedAccount(db, ws, { domain: 'globex.io', segment: 'smb', employees: 20 })
    leads.L1 = await seedLead(db, ws, {
      email: 'l1@acme.com',
      account: acme,
      firstEventAt: '2026-10-05',
      stages: [
        ['MQL', '2026-10-06'],
        ['SQL', '2026-10-10'],
      ],
      source: 'google',
      campaign: 'q4',
      tier: 'hot',
      owner: 'ana_ruiz',
    })
    leads.L2 = await seedLead(db, ws, {
      email: 'l2@acme.com',
      account: acme,
      firstEventAt: '2026-10-07',
      stages: [['MQL', '2026-10-08']],
      source: 'google',
      tier: 'warm',
      owner: 'diego_santos',
    })
    leads.L3 = await seedLead(db, ws, {
      email: 'l3@globex.io',
      account: globex,
      firstEventAt: '2026-10-09',
      source: 'webinar',
      campaign: 'w1',
    })
    leads.L4 = await seedLead(db, ws, {
      email: 'l4@globex.io',
      account: globex,
      firstEventAt: '2026-09-20',
      stages: [
        ['MQL', '2026-10-02'],
        ['SQL', '2026-10-03'],
      ],
      source: 'webinar',
      tier: 'warm',
      owner: 'ana_ruiz',
    })
    await seedOpportunity(db, ws, {
      id: 'O1',
      account: acme,
      amount: 100_000,
      openedAt: '2026-10-10',
      closedAt: '2026-11-09',
      won: true,
      owner: 'ana_ruiz',
      source: 'google',
    })
    await seedOpportunity(db, ws, {
      id: 'O2',
      account: globex,
      amount: 50_000,
      openedAt: '2026-10-03',
      closedAt: '2026-10-23',
      won: false,
      owner: 'diego_santos',
      source: 'webinar',
    })
    await seedOpportunity(db, ws, {
      id: 'O3',
      account: acme,
      amount: 200_000,
      openedAt: '2026-11-01',
      owner: 'ana_ruiz',
    })
    await seedOpportunity(db, ws, {
      id: 'O4',
      account: globex,
      amount: 40_000,
      openedAt: '2026-09-01',
      closedAt: '2026-10-11',
      won: true,
      owner: 'diego_santos',
      source: 'webinar',
    })
    await seedTouch(db, ws, {
      id: 'e1',
      account: acme,
      at: '2026-09-20',
      source: 'google',
      medium: 'cpc',
      campaign: 'q4-search',
    })
    await seedTouch(db, ws, {
      id: 'e2',
      account: acme,
      at: '2026-10-08',
      source: 'linkedin',
      medium: 'paid_social',
      campaign: 'abm',
    })
    await seedTouch(db, ws, { id: 'e3', account: acme, at: '2026-11-05', source: 'newsletter', medium: 'email' })
    await seedTouch(db, ws, {
      id: 'e4',
      account: globex,
      at: '2026-09-25',
      source: 'webinar',
      medium: 'event',
      campaign: 'w0',
    })
    // Speed-to-lead and SLA: C1 met in 30 business minutes, C2 breached untouched, C3 met late after 2 business hours.
    await seedSlaClock(db, ws, {
      lead: leads.L1,
      rep: 'ana_ruiz',
      agreementVersionId: versionId,
      startedAt: '2026-10-06T10:00:00Z',
      dueAt: '2026-10-06T11:00:00Z',
      status: 'met',
      metAt: '2026-10-06T10:30:00Z',
      consumedMs: 30 * 60_000,
    })
    await seedSlaClock(db, ws, {
      lead: leads.L2,
      rep: 'diego_santos',
      agreementVersionId: versionId,
      startedAt: '2026-10-08T13:00:00Z',
      dueAt: '2026-10-08T14:00:00Z',
      status: 'breached',
      breachedAt: '2026-10-08T14:00:00Z',
    })
    await seedSlaClock(db, ws, {
      lead: leads.L4,
      rep: 'ana_ruiz',
      agreementVersionId: versionId,
      startedAt: '2026-10-02T12:00:00Z',
      dueAt: '2026-10-02T13:00:00Z',
      status: 'met',
      metAt: '2026-10-02T15:00:00Z',
      late: true,
      consumedMs: 2 * HOUR,
    })
    await seedDisposition(db, ws, { lead: leads.L1, outcome: 'accept', reason: 'good_fit', at: '2026-10-06T11:00:00Z' })
    await seedDisposition(db, ws, { lead: leads.L2, outcome: 'reject', reason: 'too_small', at: '2026-10-09' })
    await seedDisposition(db, ws, { lead: leads.L3, outcome: 'reject', reason: 'too_small', at: '2026-10-10' })
    await seedDisposition(db, ws, { lead: leads.L4, outcome: 'recycle', reason: 'not_now', at: '2026-10-03T12:00:00Z' })
  })
  after(() => t.close())

  const get = async (url: string, role: 'marketing' | 'sales' | 'admin' = 'marketing') => {
    const res = await t.app.inject({ url, headers: t.auth(role) })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }
  const near = (a: number | null, b: number, what: string) =>
    assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${what}: expected ${b}, got ${a}`)

  test('Q4 opportunities: 3 created for 350k, bookings 140k, win rate 2/3, won cycle 35 days, velocity 1,333.33/day', async () => {
    const m = await get('/v1/metrics/opportunities?period=2026-Q4')
    assert.deepEqual(m.created, { count: 3, amount: 350_000 })
    assert.deepEqual(m.won, { count: 2, amount: 140_000 })
    assert.deepEqual(m.lost, { count: 1, amount: 50_000 })
    near(m.winRate, 2 / 3, 'win rate')
    assert.equal(m.avgDealSize, 70_000)
    assert.equal(m.cycleDays.mean, 35)
    assert.equal(m.lostCycleDays.mean, 20)
    assert.deepEqual([m.velocity.openCount, m.velocity.openAmount], [1, 200_000])
    near(m.velocity.perDay, (1 * (2 / 3) * 70_000) / 35, 'velocity')
  })

  test('opportunities by owner and by the owner’s Agreement team', async () => {
    const byOwner = await get('/v1/metrics/opportunities?period=2026-Q4&by=owner')
    assert.deepEqual(
      byOwner.groups.map((g: { key: string; won: { count: number }; lost: { count: number } }) => [
        g.key,
        g.won.count,
        g.lost.count,
      ]),
      [
        ['ana_ruiz', 1, 0],
        ['diego_santos', 1, 1],
      ],
    )
    const byTeam = await get('/v1/metrics/opportunities?period=2026-Q4&by=team')
    assert.deepEqual(
      byTeam.groups.map((g: { key: string }) => g.key),
      ['na_east_sdr', 'na_west_sdr'],
    )
  })

  test('the funnel counts Q4 entries: Lead 3 → 2 advanced, MQL 3 → 2, SQL 2; by source google and webinar', async () => {
    const f = await get('/v1/metrics/funnel?period=2026-Q4&stages=Lead,MQL,SQL&by=source')
    const rows = (g: { stages: { stage: string; entered: number; advanced: number | null }[] }) =>
      g.stages.map((s) => [s.stage, s.entered, s.advanced])
    assert.deepEqual(rows(f.overall), [
      ['Lead', 3, 2],
      ['MQL', 3, 2],
      ['SQL', 2, null],
    ])
    near(f.overall.stages[0].conversion, 2 / 3, 'Lead → MQL')
    // Time in Lead: L1 and L2 left after a day, L3 has not left; time in MQL: L1 4 days, L4 1 day.
    assert.deepEqual(f.overall.stages[0].timeInStageMs, { count: 2, mean: DAY, median: DAY, p90: DAY })
    assert.equal(f.overall.stages[1].timeInStageMs.median, 2.5 * DAY)
    assert.deepEqual(
      f.groups.map((g: { key: string }) => [g.key, ...rows(g as never).map((r) => r.slice(1))]),
      [
        ['google', [2, 2], [2, 1], [1, null]],
        ['webinar', [1, 0], [1, 1], [1, null]],
      ],
    )
  })

  test('the funnel in SQL equals the pure core’s funnel on the same stage histories', async () => {
    const period = parsePeriod('2026-Q4')
    const stages = ['Lead', 'MQL', 'SQL']
    const d = (s: string) => Date.parse(`${s}T00:00:00Z`)
    const histories: FunnelLead[] = [
      {
        id: 'L1',
        dims: { source: 'google' },
        stages: [
          { stage: 'Lead', enteredAt: d('2026-10-05'), exitedAt: d('2026-10-06') },
          { stage: 'MQL', enteredAt: d('2026-10-06'), exitedAt: d('2026-10-10') },
          { stage: 'SQL', enteredAt: d('2026-10-10'), exitedAt: null },
        ],
      },
      {
        id: 'L2',
        dims: { source: 'google' },
        stages: [
          { stage: 'Lead', enteredAt: d('2026-10-07'), exitedAt: d('2026-10-08') },
          { stage: 'MQL', enteredAt: d('2026-10-08'), exitedAt: null },
        ],
      },
      {
        id: 'L3',
        dims: { source: 'webinar' },
        stages: [{ stage: 'Lead', enteredAt: d('2026-10-09'), exitedAt: null }],
      },
      {
        id: 'L4',
        dims: { source: 'webinar' },
        stages: [
          { stage: 'Lead', enteredAt: d('2026-09-20'), exitedAt: d('2026-10-02') },
          { stage: 'MQL', enteredAt: d('2026-10-02'), exitedAt: d('2026-10-03') },
          { stage: 'SQL', enteredAt: d('2026-10-03'), exitedAt: null },
        ],
      },
    ]
    const pure = funnel(histories, { stages, period, by: 'source', cohort: 'entered_in_period' })
    const stored = await getFunnel(t.ctx, t.workspaceId, { period, stages, by: ['source'] })
    assert.deepEqual(stored.overall, pure.overall)
    assert.deepEqual(stored.groups, pure.groups)
  })

  test('the scoreboard paces Q4 targets at half the quarter and says the MQL commitment is not met', async () => {
    const s = await get('/v1/metrics/scoreboard?period=2026-Q4&by=source', 'sales')
    assert.equal(s.targets.period, '2026-Q4')
    near(s.targets.elapsed, 0.5, 'elapsed')
    const line = (m: string) => s.targets.lines.find((l: { metric: string }) => l.metric === m)
    assert.deepEqual([line('pipeline').actual, line('pipeline').status], [350_000, 'behind'])
    assert.equal(line('bookings').actual, 140_000)
    assert.equal(line('mqls').actual, 3)
    assert.deepEqual(s.targets.mqlCommitment, { target: 1200, actual: 3, met: false })
    assert.equal(s.funnel.breakdowns.length, 2)
    assert.deepEqual(
      s.funnel.breakdowns.map((b: { by: string }) => b.by),
      ['source', 'campaign'],
    )
  })

  test('speed-to-lead: 3 handoffs, 2 touched in a median 1.25 business hours; SLA compliance 1 of 3, by tier', async () => {
    const s = await get('/v1/metrics/scoreboard?period=2026-Q4')
    assert.deepEqual(
      [s.speedToLead.overall.handoffs, s.speedToLead.overall.touched, s.speedToLead.overall.businessHours.median],
      [3, 2, 1.25],
    )
    const o = s.sla.overall
    assert.deepEqual([o.metInTime, o.metLate, o.breached], [1, 1, 1])
    near(o.compliance, 1 / 3, 'compliance')
    assert.deepEqual(
      s.sla.byTier.map((r: { key: string; compliance: number }) => [r.key, r.compliance]),
      [
        ['hot', 1],
        ['warm', 0],
      ],
    )
    assert.deepEqual(
      s.sla.byTeam.map((r: { key: string; clocks: number }) => [r.key, r.clocks]),
      [
        ['na_east_sdr', 2],
        ['na_west_sdr', 1],
      ],
    )
    near(s.dispositions.overall.acceptanceRate, 0.25, 'acceptance')
    assert.deepEqual(s.dispositions.overall.rejectionReasons[0], {
      code: 'too_small',
      count: 2,
      share: 1,
      shareOfAll: 0.5,
    })
  })

  test('the scoreboard narrowed to segment mid_market counts only Acme’s leads, deals, clocks and dispositions', async () => {
    const s = await get('/v1/metrics/scoreboard?period=2026-Q4&by=source&segment=mid_market')
    assert.deepEqual(s.filter, { segment: 'mid_market' })
    assert.equal(s.targets, null, 'the targets are company-wide: not compared against a segment')
    assert.deepEqual(
      s.funnel.overall.stages.map((x: { stage: string; entered: number }) => [x.stage, x.entered]),
      [
        ['Lead', 2],
        ['MQL', 2],
        ['SAL', 0],
        ['SQL', 1],
        ['Opportunity', 0],
        ['Won', 0],
      ],
    )
    assert.deepEqual(
      s.funnel.groups.map((g: { key: string }) => g.key),
      ['google'],
    )
    assert.deepEqual(s.opportunities.created, { count: 2, amount: 300_000 })
    assert.deepEqual(s.opportunities.won, { count: 1, amount: 100_000 })
    assert.deepEqual([s.speedToLead.overall.handoffs, s.speedToLead.overall.touched], [2, 1])
    assert.deepEqual([s.sla.overall.metInTime, s.sla.overall.breached], [1, 1])
    near(s.dispositions.overall.acceptanceRate, 0.5, 'acceptance')

    // A filtered total is the unfiltered breakdown's group of that value.
    const all = await get('/v1/metrics/scoreboard?period=2026-Q4&by=segment')
    const group = all.funnel.groups.find((g: { key: string }) => g.key === 'mid_market')
    assert.deepEqual(s.funnel.overall.stages, group.stages)
    const opps = await get('/v1/metrics/opportunities?period=2026-Q4&by=segment')
    const oppGroup = opps.groups.find((g: { key: string }) => g.key === 'mid_market')
    assert.deepEqual([s.opportunities.created, s.opportunities.won], [oppGroup.created, oppGroup.won])
  })

  test('breakdown filters combine, and a team filter narrows clocks to that team’s reps', async () => {
    const s = await get('/v1/metrics/scoreboard?period=2026-Q4&segment=mid_market&owner=ana_ruiz')
    assert.deepEqual(s.filter, { segment: 'mid_market', owner: 'ana_ruiz' })
    assert.equal(s.funnel.overall.stages[0].entered, 1, 'only L1')
    assert.deepEqual(s.opportunities.created, { count: 2, amount: 300_000 }, 'O1 and O3 are Ana’s, on Acme')
    assert.deepEqual([s.sla.overall.clocks, s.dispositions.overall.total], [1, 1])

    const team = await get('/v1/metrics/scoreboard?period=2026-Q4&team=na_east_sdr')
    assert.deepEqual(
      team.sla.byTeam.map((r: { key: string; clocks: number }) => [r.key, r.clocks]),
      [['na_east_sdr', 2]],
    )
    const funnel = await get('/v1/metrics/funnel?period=2026-Q4&by=owner&team=na_east_sdr')
    assert.deepEqual(
      funnel.groups.map((g: { key: string }) => g.key),
      ['ana_ruiz'],
    )
    const none = await get('/v1/metrics/scoreboard?period=2026-Q4&source=no_such_source')
    assert.deepEqual(
      [none.funnel.overall.stages[0].entered, none.opportunities.created.count, none.sla.overall.clocks],
      [0, 0, 0],
    )
  })

  test('rejection and recycle reasons by source', async () => {
    const r = await get('/v1/feedback/reasons?period=2026-Q4&by=source')
    assert.equal(r.total, 4)
    assert.deepEqual(
      r.rows.map((x: { key: { source: string }; accepted: number; rejected: number; recycled: number }) => [
        x.key.source,
        x.accepted,
        x.rejected,
        x.recycled,
      ]),
      [
        ['google', 1, 1, 0],
        ['webinar', 0, 1, 1],
      ],
    )
  })

  test('attribution uses w_shaped, locked from 2026-10-01, with first and last beside it as alternatives', async () => {
    const a = await get('/v1/attribution?period=2026-Q4&model=first,last')
    assert.equal(a.locked.model, 'w_shaped')
    assert.equal(a.locked.locked, true)
    assert.equal(a.locked.lockedFrom, '2026-10-01')
    assert.deepEqual(a.journeys, { opportunities: 3, touches: 4 })
    // O1 is the only won journey: cpc (first), paid_social (opportunity creation), email (after: middle).
    // W-shaped without a lead milestone renormalises 0.3 / 0.3 / 0.1 → 3/7, 3/7, 1/7 of 100k.
    const w = a.locked.result.byChannel
    near(w.cpc.value, (100_000 * 3) / 7, 'w_shaped cpc')
    near(w.paid_social.value, (100_000 * 3) / 7, 'w_shaped paid_social')
    near(w.email.value, 100_000 / 7, 'w_shaped email')
    assert.deepEqual(
      a.alternatives.map((x: { model: string; label: string }) => [x.model, x.label]),
      [
        ['first', 'alternative'],
        ['last', 'alternative'],
      ],
    )
    assert.equal(a.alternatives[0].result.byChannel.cpc.value, 100_000)
    assert.equal(a.alternatives[1].result.byChannel.email.value, 100_000)
  })

  test('sourced and influenced pipeline from the same ledger: cpc sourced 300k, paid social influenced 300k, event sourced 50k', async () => {
    const a = await get('/v1/attribution?period=2026-Q4')
    const row = (c: string) => a.pipeline.byChannel.find((r: { channel: string }) => r.channel === c)
    assert.deepEqual([row('cpc').sourcedPipeline, row('cpc').influencedPipeline], [300_000, 300_000])
    assert.deepEqual([row('paid_social').sourcedPipeline, row('paid_social').influencedPipeline], [0, 300_000])
    assert.deepEqual([row('event').sourcedPipeline, row('event').influencedPipeline], [50_000, 50_000])
    assert.equal(row('email'), undefined)
    assert.deepEqual(a.pipeline.untouched, { count: 0, pipeline: 0 })
  })

  test('a bad period or breakdown is refused naming the parameter; a rep key may not read metrics', async () => {
    const bad = await t.app.inject({ url: '/v1/metrics/opportunities?period=2026-Q5', headers: t.auth() })
    assert.equal(bad.statusCode, 422)
    assert.equal(bad.json().error.issues[0].path, 'period')
    const by = await t.app.inject({ url: '/v1/metrics/funnel?by=colour', headers: t.auth() })
    assert.equal(by.statusCode, 422)
    assert.equal(by.json().error.issues[0].path, 'by[0]')
    const empty = await t.app.inject({ url: '/v1/metrics/scoreboard?segment=', headers: t.auth() })
    assert.equal(empty.statusCode, 422)
    assert.equal(empty.json().error.issues[0].path, 'segment')
    const rep = await t.app.inject({ url: '/v1/metrics/scoreboard', headers: t.auth('rep') })
    assert.equal(rep.statusCode, 403)
  })
})
