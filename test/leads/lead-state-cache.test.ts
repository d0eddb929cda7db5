/**
 * The queued qualifier's lead-state cache (src/leads/lead-state-cache.ts): a lead written by one chunk is taken from
 * memory by the next, unless anything wrote the row since — then it is read back. Either way the lead must end as
 * the synchronous path leaves it.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { cachedVersions } from '../../src/leads/lead-state-cache.ts'
import { qualifierIdle } from '../../src/leads/qualify-backlog.ts'
import { storedLeadState } from '../../src/leads/stored-state.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { activateAgreement, seedAccounts } from '../helpers/handoff.ts'

const example = readFileSync('accord.example.yaml', 'utf8')
const NOW = Date.parse('2026-11-21T12:00:00Z')
const ANA = 'ana@acme-health-0.com'

const view = (id: string, day: number, path: string) => ({
  id,
  type: 'page_view',
  occurred_at: `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`,
  person: { email: ANA, title: 'VP Compliance' },
  properties: { path },
})

describe('the queued qualifier’s lead-state cache', () => {
  let reference: TestApp
  let queued: TestApp
  before(async () => {
    reference = await createTestApp({ now: () => NOW })
    queued = await createTestApp({ now: () => NOW })
    for (const t of [reference, queued]) {
      await activateAgreement(t, example)
      await seedAccounts(t, ['acme-health-0.com'])
    }
  })
  after(async () => {
    await reference?.close()
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
    await qualifierIdle(t.ctx, t.workspaceId)
  }
  const lead = async (t: TestApp) =>
    (
      await sql<{ id: number; person_id: number; stage: string; state: object }>`select l.id, l.person_id, l.stage,
          ${storedLeadState('l')} as state from lead l where l.workspace_id = ${t.workspaceId}`.execute(t.ctx.db)
    ).rows
  const cachedFor = async (t: TestApp) => {
    const [l] = await lead(t)
    return cachedVersions(t.ctx.db, [l!.person_id]).leadIds
  }

  test('a lead written by another path meanwhile is read back; one only its chunks wrote is taken from memory', async () => {
    const sent = [
      [view('e1', 10, '/product'), ''],
      [view('e2', 11, '/blog'), '?qualify=queued'],
      [view('e3', 12, '/product'), '?qualify=queued'],
      // Decided synchronously: the row changes under the cached state.
      [view('e4', 13, '/blog'), ''],
      [view('e5', 14, '/product'), '?qualify=queued'],
      [view('e6', 15, '/blog'), '?qualify=queued'],
    ] as const
    for (const [event, query] of sent) {
      await post(reference, [event])
      await post(queued, [event], query)
      if (event.id === 'e3' || event.id === 'e6') {
        const [l] = await lead(queued)
        assert.deepEqual(await cachedFor(queued), [l!.id], `${event.id}: the chunk's lead is cached`)
      }
    }
    const [expected] = await lead(reference)
    const [actual] = await lead(queued)
    assert.equal((actual!.state as { events: number }).events, 6, 'every event counted once, e4 included')
    assert.deepEqual({ ...actual, id: 0, person_id: 0 }, { ...expected, id: 0, person_id: 0 })
  })
})
