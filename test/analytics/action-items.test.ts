import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * Action items of the review packs over HTTP: a manager lists what is open, closes an item (it leaves the next pack
 * and is reported there as closed), reopens or re-assigns it; every change is audited; other workspaces' items and
 * bad patches are refused with the field named.
 */
describe('review pack action items over HTTP', () => {
  let t: TestApp
  let now = Date.parse('2026-11-16T09:00:00Z')
  const ids: Record<string, number> = {}
  before(async () => {
    t = await createTestApp({ now: () => now })
    const rows = await t.ctx.db
      .insertInto('action_item')
      .values([
        {
          workspace_id: t.workspaceId,
          pack_kind: 'weekly_pipeline',
          key: 'stalled:bob',
          text: 'Bob has 4 deals without activity for 21 days',
          owner: 'bob',
        },
        {
          workspace_id: t.workspaceId,
          pack_kind: 'monthly_sla_health',
          key: 'breaches:na_east_sdr',
          text: 'na_east_sdr breached 6 SLAs',
          owner: null,
        },
      ])
      .returning(['id', 'key'])
      .execute()
    for (const r of rows) ids[r.key] = r.id
  })
  after(() => t.close())

  const patch = (id: number, payload: unknown, role: 'marketing' | 'sales' | 'admin' | 'rep' = 'sales') =>
    t.app.inject({ method: 'PATCH', url: `/v1/action-items/${id}`, headers: t.auth(role), payload: payload as never })
  const list = async (query = '') => {
    const res = await t.app.inject({ url: `/v1/action-items${query}`, headers: t.auth('marketing') })
    assert.equal(res.statusCode, 200, res.body)
    return res.json() as { id: number; key: string; status: string; owner: string | null; closedAt: string | null }[]
  }
  const weeklyPack = async (period: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: t.auth('marketing'),
      payload: { kind: 'weekly', period },
    })
    assert.equal(res.statusCode, 201, res.body)
    return res.json().pack as { actionItems: { id: string }[]; closedSinceLastPack: { id: string }[] }
  }

  test('closing an item stamps when, takes it out of the next weekly pack and reports it there as closed', async () => {
    const w46 = await weeklyPack('2026-W46')
    assert.deepEqual(
      w46.actionItems.map((i) => i.id),
      ['stalled:bob'],
    )
    const res = await patch(ids['stalled:bob']!, { status: 'done' })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().status, 'done')
    assert.equal(res.json().closedAt, '2026-11-16T09:00:00.000Z')
    assert.deepEqual(
      (await list('?status=open')).map((i) => i.key),
      ['breaches:na_east_sdr'],
    )
    now = Date.parse('2026-11-23T09:00:00Z')
    const w47 = await weeklyPack('2026-W47')
    assert.deepEqual(w47.actionItems, [])
    assert.deepEqual(
      w47.closedSinceLastPack.map((i) => i.id),
      ['stalled:bob'],
    )
  })

  test('closing again keeps the first closing time; reopening clears it; owner and text can change', async () => {
    now = Date.parse('2026-11-24T10:00:00Z')
    const again = await patch(ids['stalled:bob']!, { status: 'done' })
    assert.equal(again.json().closedAt, '2026-11-16T09:00:00.000Z')
    const reopened = await patch(ids['stalled:bob']!, { status: 'open', owner: 'carla', text: '  Carla takes over  ' })
    assert.equal(reopened.statusCode, 200, reopened.body)
    assert.deepEqual(
      { ...(reopened.json() as object), id: 0, createdAt: '' },
      {
        id: 0,
        kind: 'weekly_pipeline',
        key: 'stalled:bob',
        text: 'Carla takes over',
        owner: 'carla',
        status: 'open',
        createdAt: '',
        closedAt: null,
      },
    )
    const cleared = await patch(ids['stalled:bob']!, { owner: null })
    assert.equal(cleared.json().owner, null)
    assert.equal(cleared.json().status, 'open')
  })

  test('every change is in the audit log with the item before and after and who made it', async () => {
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'subject', 'details'])
      .where('workspace_id', '=', t.workspaceId)
      .where('action', '=', 'action_item.updated')
      .orderBy('id')
      .execute()
    assert.equal(rows.length, 4)
    assert.equal(rows[0]!.subject, `action_item:${ids['stalled:bob']}`)
    assert.equal(rows[0]!.actor, 'sales key')
    assert.deepEqual(rows[0]!.details, {
      key: 'stalled:bob',
      before: { status: 'open', owner: 'bob', text: 'Bob has 4 deals without activity for 21 days' },
      after: { status: 'done', owner: 'bob', text: 'Bob has 4 deals without activity for 21 days' },
    })
  })

  test('lists filter by status and kind; open items come first', async () => {
    await patch(ids['breaches:na_east_sdr']!, { status: 'done' })
    assert.deepEqual(
      (await list()).map((i) => [i.key, i.status]),
      [
        ['stalled:bob', 'open'],
        ['breaches:na_east_sdr', 'done'],
      ],
    )
    assert.deepEqual(
      (await list('?kind=monthly_sla_health')).map((i) => i.key),
      ['breaches:na_east_sdr'],
    )
    const bad = await t.app.inject({ url: '/v1/action-items?status=closed', headers: t.auth('marketing') })
    assert.equal(bad.statusCode, 422)
    assert.equal(bad.json().error.issues[0].path, 'status')
  })

  test('bad patches are refused naming the field, and nothing changes', async () => {
    const empty = await patch(ids['stalled:bob']!, {})
    assert.equal(empty.statusCode, 422)
    assert.equal(empty.json().error.issues[0].path, '(body)')
    const blank = await patch(ids['stalled:bob']!, { text: '   ', status: 'done' })
    assert.equal(blank.statusCode, 422)
    assert.equal(blank.json().error.issues[0].path, 'text')
    const status = await patch(ids['stalled:bob']!, { status: 'closed' })
    assert.equal(status.statusCode, 422)
    assert.equal(status.json().error.issues[0].path, 'status')
    const unknown = await patch(ids['stalled:bob']!, { done: true })
    assert.equal(unknown.statusCode, 422, unknown.body)
    assert.match(unknown.json().error.issues[0].message, /done/)
    assert.equal((await list('?status=open')).map((i) => i.key).includes('stalled:bob'), true)
  })

  test('a rep may not change items; another workspace’s item is not found', async () => {
    const rep = await patch(ids['stalled:bob']!, { status: 'done' }, 'rep')
    assert.equal(rep.statusCode, 403)
    const other = await t.ctx.db
      .insertInto('workspace')
      .values({ slug: 'other', name: 'Other' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const foreign = await t.ctx.db
      .insertInto('action_item')
      .values({ workspace_id: other.id, pack_kind: 'weekly_pipeline', key: 'x', text: 'not yours' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const res = await patch(foreign.id, { status: 'done' })
    assert.equal(res.statusCode, 404)
    const row = await t.ctx.db
      .selectFrom('action_item')
      .select('status')
      .where('id', '=', foreign.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'open')
  })
})
