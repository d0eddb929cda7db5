/**
 * Queued qualification (`POST /v1/events?qualify=queued`, src/leads/qualify-backlog.ts): the events are stored with a
 * backlog row and decided shortly after by the workspace's qualifier, in chunks. It must decide exactly what the
 * synchronous path decides — same stages, transitions, states and handoffs — apply every event once (including a
 * visitor's anonymous history, re-pointed when they identify), and lose nothing when the process dies in between.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { LeadState } from '../../src/core/engine/index.ts'
import { createPool } from '../../src/db/pool.ts'
import type { DB } from '../../src/db/schema.ts'
import { startWorkers } from '../../src/handoff/workers.ts'
import { ingestEvents } from '../../src/ingest/ingest-events.ts'
import { eventPolicy } from '../../src/leads/event-policy.ts'
import { cachedVersions } from '../../src/leads/lead-state-cache.ts'
import { qualifierIdle, qualifyAllQueued, stopQualifiers } from '../../src/leads/qualify-backlog.ts'
import { storedLeadState } from '../../src/leads/stored-state.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { activateAgreement, demoRequest, seedAccounts } from '../helpers/handoff.ts'

const example = readFileSync('accord.example.yaml', 'utf8')
const NOW = Date.parse('2026-11-21T12:00:00Z')
const DOMAINS = ['acme-health-0.com', 'acme-health-1.com', 'acme-health-2.com']

const view = (id: string, person: object, at: string, path = '/pricing') => ({
  id,
  type: 'page_view',
  occurred_at: at,
  person,
  properties: { path },
  context: { source: 'google', medium: 'cpc' },
})

/** Four batches: pricing views of three people, a visitor's anonymous views, then a demo request and an identification. */
const batches = [
  [
    view('a1', { email: 'ana@acme-health-0.com', title: 'VP Compliance' }, '2026-11-17T10:00:00Z'),
    view('b1', { email: 'ben@acme-health-1.com', title: 'IT Manager' }, '2026-11-17T11:00:00Z', '/product'),
    view('v1', { anonymous_id: 'visitor-1' }, '2026-11-17T12:00:00Z'),
  ],
  [
    view('a2', { email: 'ana@acme-health-0.com' }, '2026-11-18T10:00:00Z'),
    view('v2', { anonymous_id: 'visitor-1' }, '2026-11-18T12:00:00Z', '/product'),
    view('b2', { email: 'ben@acme-health-1.com' }, '2026-11-18T13:00:00Z'),
  ],
  [
    view('a3', { email: 'ana@acme-health-0.com' }, '2026-11-19T10:00:00Z'),
    demoRequest('b3', 'ben@acme-health-1.com', '2026-11-19T11:00:00Z', 'Ben', 'Ortiz'),
  ],
  [
    {
      ...view(
        'v3',
        { anonymous_id: 'visitor-1', email: 'cara@acme-health-2.com', title: 'CISO' },
        '2026-11-20T09:00:00Z',
      ),
      type: 'form_submit',
      properties: { form: 'newsletter' },
    },
    view('v4', { email: 'cara@acme-health-2.com' }, '2026-11-20T10:00:00Z'),
  ],
]

type Decided = {
  email: string
  stage: string
  tier: string | null
  state: LeadState
  transitions: { to_stage: string; at: Date; rule: string; reasons: string[] }[]
  assignments: number
}

async function decided(t: TestApp): Promise<Decided[]> {
  const leads = await sql<Omit<Decided, 'transitions' | 'assignments'> & { id: number }>`select l.id, p.email,
      l.stage, l.tier, ${storedLeadState('l')} as state
    from lead l join person p on p.id = l.person_id where l.workspace_id = ${t.workspaceId} order by p.email`.execute(
    t.ctx.db,
  )
  return Promise.all(
    leads.rows.map(async ({ id, ...lead }) => ({
      ...lead,
      transitions: (
        await sql<Decided['transitions'][number]>`select to_stage, at, rule, reasons from stage_transition
          where lead_id = ${id} order by at, id`.execute(t.ctx.db)
      ).rows,
      assignments: Number(
        (await sql<{ n: number }>`select count(*) as n from assignment where lead_id = ${id}`.execute(t.ctx.db))
          .rows[0]!.n,
      ),
    })),
  )
}

async function backlog(t: TestApp): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from qualification_backlog
      where workspace_id = ${t.workspaceId}`.execute(t.ctx.db)
  return r.rows[0]!.n
}

describe('queued qualification', () => {
  let now: TestApp
  let queued: TestApp
  before(async () => {
    now = await createTestApp({ now: () => NOW })
    queued = await createTestApp({ now: () => NOW })
    for (const t of [now, queued]) {
      await activateAgreement(t, example)
      await seedAccounts(t, DOMAINS)
    }
  })
  after(async () => {
    await now?.close()
    await queued?.close()
  })

  const post = async (t: TestApp, events: object[], query = '') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/events${query}`,
      headers: t.auth('ingest'),
      payload: { events },
    })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  test('decides exactly what the synchronous path decides, each event once', async () => {
    for (const batch of batches) {
      await post(now, batch)
      const res = await post(queued, batch, '?qualify=queued')
      assert.equal(res.qualification, 'queued')
      assert.equal(res.accepted, batch.length)
    }
    await qualifierIdle(queued.ctx, queued.workspaceId)
    assert.equal(await backlog(queued), 0, 'the qualifier took every queued event')

    const expected = await decided(now)
    assert.deepEqual(
      expected.map((l) => [l.email, l.stage]),
      [
        ['ana@acme-health-0.com', 'MQL'],
        ['ben@acme-health-1.com', 'MQL'],
        ['cara@acme-health-2.com', 'Lead'],
      ],
    )
    assert.equal(
      expected.find((l) => l.email === 'ben@acme-health-1.com')!.assignments,
      1,
      'the demo request hands off',
    )
    assert.equal(
      expected.find((l) => l.email === 'cara@acme-health-2.com')!.state.events,
      4,
      'the visitor’s two anonymous views count once, with the identifying form and the view after it',
    )
    assert.deepEqual(await decided(queued), expected)
  })

  test('another process’s qualifier reads the queued events back and decides the same', async () => {
    // The process that stored the events holds them in memory for its own qualifier; this one stops its qualifier
    // at once, so a second database handle — another process — finds only the backlog rows and the stored events.
    const stored = await createTestApp({ now: () => NOW })
    const other = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(stored.databaseUrl, 2) }) })
    try {
      await activateAgreement(stored, example)
      await seedAccounts(stored, DOMAINS)
      await stopQualifiers(stored.ctx)
      for (const batch of batches) await post(stored, batch, '?qualify=queued')
      assert.ok((await backlog(stored)) > 0, 'nothing qualified by the process that stored them')
      assert.equal(await qualifyAllQueued({ ...stored.ctx, db: other }, stored.workspaceId), 10)
      assert.equal(await backlog(stored), 0)
      assert.deepEqual(await decided(stored), await decided(now))
    } finally {
      await other.destroy()
      await stored.close()
    }
  })

  test('a lead a chunk wrote is taken from memory by the next, and read back once another path wrote it', async () => {
    // The queued qualifier's lead-state cache (src/leads/lead-state-cache.ts): the lead must end as the synchronous
    // path leaves it either way.
    const EVE = 'eve@acme-health-0.com'
    const eveView = (id: string, day: number, path: string) =>
      view(id, { email: EVE, title: 'VP Compliance' }, `2026-11-${day}T10:00:00Z`, path)
    const eve = async (t: TestApp) =>
      (
        await sql<{ id: number; person_id: number; stage: string; state: LeadState }>`select l.id, l.person_id,
            l.stage, ${storedLeadState('l')} as state from lead l join person p on p.id = l.person_id
          where l.workspace_id = ${t.workspaceId} and p.email = ${EVE}`.execute(t.ctx.db)
      ).rows[0]!
    const sent = [
      [eveView('e1', 10, '/product'), ''],
      [eveView('e2', 11, '/blog'), '?qualify=queued'],
      [eveView('e3', 12, '/product'), '?qualify=queued'],
      // Decided synchronously: the row changes under the cached state.
      [eveView('e4', 13, '/blog'), ''],
      [eveView('e5', 14, '/product'), '?qualify=queued'],
      [eveView('e6', 15, '/blog'), '?qualify=queued'],
    ] as const
    for (const [event, query] of sent) {
      await post(now, [event])
      await post(queued, [event], query)
      await qualifierIdle(queued.ctx, queued.workspaceId)
      if (event.id === 'e3' || event.id === 'e6') {
        const l = await eve(queued)
        assert.deepEqual(
          cachedVersions(queued.ctx.db, [l.person_id]).leadIds,
          [l.id],
          `${event.id}: the lead is cached`,
        )
      }
    }
    const expected = await eve(now)
    const actual = await eve(queued)
    assert.equal(actual.state.events, 6, 'every event counted once, e4 included')
    assert.deepEqual({ ...actual, id: 0, person_id: 0 }, { ...expected, id: 0, person_id: 0 })
  })

  test('a re-sent batch queues nothing more', async () => {
    const res = await post(queued, batches[0]!, '?qualify=queued')
    assert.deepEqual(res, { received: 3, accepted: 0, duplicates: 3, qualification: 'queued' })
    await qualifierIdle(queued.ctx, queued.workspaceId)
    assert.equal(await backlog(queued), 0)
    assert.deepEqual(await decided(queued), await decided(now))
  })

  test('events queued by a process that died before qualifying them are decided by the workers', async () => {
    // What a killed process leaves: the events and their backlog row committed, the qualifier never woken.
    const late = [view('d1', { email: 'dan@acme-health-0.com', title: 'VP Compliance' }, '2026-11-20T11:00:00Z')]
    const ws = queued.workspaceId
    await ingestEvents(queued.ctx, ws, late, await eventPolicy(queued.ctx, ws, { queued: true }))
    assert.equal(await backlog(queued), 1)
    const workers = startWorkers(queued.ctx, { pollMs: 20 })
    try {
      for (let i = 0; i < 500 && (await backlog(queued)) > 0; i++) await new Promise((r) => setTimeout(r, 20))
    } finally {
      await workers.stop()
    }
    assert.equal(await backlog(queued), 0)
    const dan = (await decided(queued)).find((l) => l.email === 'dan@acme-health-0.com')
    assert.equal(dan?.state.events, 1)
  })

  test('without an Agreement in force, queued events are stored and nothing is queued', async () => {
    const bare = await createTestApp({ now: () => NOW })
    try {
      const res = await post(bare, batches[0]!, '?qualify=queued')
      assert.deepEqual(res, { received: 3, accepted: 3, duplicates: 0, qualification: 'none' })
      assert.equal(await backlog(bare), 0)
    } finally {
      await bare.close()
    }
  })

  test('an unknown qualify mode is refused, naming the parameter', async () => {
    const res = await queued.app.inject({
      method: 'POST',
      url: '/v1/events?qualify=later',
      headers: queued.auth('ingest'),
      payload: { events: batches[0] },
    })
    assert.equal(res.statusCode, 422, res.body)
    assert.match(JSON.stringify(res.json().error.issues), /qualify/)
  })
})
