import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { activateAgreement } from '../helpers/handoff.ts'

/**
 * Person and account fields reach fit evaluation from four places: the event envelope's `person`, record upserts
 * (columns and `attributes`), and CSV imports of both. A value of the wrong type must be refused at the edge with
 * the field named — never reach a condition such as `person.title.lowerAscii()` and fail there as a 500.
 */

// The example Agreement, with its student disqualifier reading `person.seniority` (an attribute-backed field) through
// a string method too, so a wrong-typed attribute would reach a string function inside evaluation.
const example = readFileSync('accord.example.yaml', 'utf8')
const agreement = example.replace('person.seniority == "student"', 'person.seniority.lowerAscii() == "student"')
assert.notEqual(agreement, example, 'the example Agreement still has its student disqualifier')

type Issue = { path: string; message: string }

describe('wrong-typed person and account fields', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp({ now: () => Date.parse('2026-11-21T12:00:00Z') })
    await activateAgreement(t, agreement)
  })
  after(() => t.close())

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: t.auth('ingest'), payload })

  const pageView = (id: string, person: Record<string, unknown>) => ({
    id,
    type: 'page_view',
    occurred_at: '2026-11-20T14:03:00Z',
    person,
    properties: { path: '/pricing' },
  })

  async function countPeople(emails: string[]): Promise<number> {
    const rows = await t.ctx.db.selectFrom('person').select('id').where('email', 'in', emails).execute()
    return rows.length
  }

  function issuesOf(res: { statusCode: number; body: string; json(): unknown }): Issue[] {
    assert.equal(res.statusCode, 422, res.body)
    return (res.json() as { error: { issues: Issue[] } }).error.issues
  }

  test('a number or an object as a person title in an upsert is refused with the field named', async () => {
    const people = [
      { email: 'p0@types-a.com', title: 'VP Compliance' },
      { email: 'p1@types-a.com', title: 42 },
      { email: 'p2@types-a.com', title: { text: 'CISO' } },
    ]
    const issues = issuesOf(await post('/v1/people', { people }))
    assert.deepEqual(issues, [
      { path: 'people[1].title', message: 'expected a string, got 42' },
      { path: 'people[2].title', message: 'expected a string, got an object' },
    ])
    assert.equal(await countPeople(people.map((p) => p.email)), 0, 'nothing written')
  })

  test('a number as the title in an event envelope is refused with the field named', async () => {
    const res = await post('/v1/events', {
      events: [
        pageView('ft_e1', { email: 'e1@types-b.com' }),
        pageView('ft_e2', { email: 'e2@types-b.com', title: 7 }),
      ],
    })
    assert.deepEqual(issuesOf(res), [{ path: 'events[1].person.title', message: 'expected a string, got 7' }])
    assert.equal(await countPeople(['e1@types-b.com', 'e2@types-b.com']), 0, 'nothing written')
  })

  test('a person attribute that conditions read as a string is refused when it is not one', async () => {
    const people = [
      { email: 'a0@types-c.com', attributes: { seniority: 'vp', favourite_number: 7 } },
      { email: 'a1@types-c.com', attributes: { seniority: 42 } },
      { email: 'a2@types-c.com', attributes: { title: { text: 'CISO' }, department: ['it'] } },
    ]
    const issues = issuesOf(await post('/v1/people', { people }))
    assert.deepEqual(issues, [
      {
        path: 'people[1].attributes.seniority',
        message: 'expected a string, got 42 (the type of person.seniority in conditions)',
      },
      {
        path: 'people[2].attributes.title',
        message: 'person.title is read from the title field, never from attributes; send it there',
      },
      {
        path: 'people[2].attributes.department',
        message: 'expected a string, got a list (the type of person.department in conditions)',
      },
    ])
    assert.equal(await countPeople(people.map((p) => p.email)), 0, 'nothing written')
  })

  test('an account attribute of the wrong type for its catalogue field is refused', async () => {
    const res = await post('/v1/accounts', {
      accounts: [
        { domain: 'ok.types-d.com', attributes: { customer_status: 'prospect', tags: ['a'], notes: { any: 1 } } },
        { domain: 'bad.types-d.com', attributes: { customer_status: 3, tags: 'a;b', employees: '300' } },
      ],
    })
    assert.deepEqual(issuesOf(res), [
      {
        path: 'accounts[1].attributes.customer_status',
        message: 'expected a string, got 3 (the type of account.customer_status in conditions)',
      },
      {
        path: 'accounts[1].attributes.tags',
        message: 'expected a list of strings, got "a;b" (the type of account.tags in conditions)',
      },
      {
        path: 'accounts[1].attributes.employees',
        message: 'account.employees is read from the employees field, never from attributes; send it there',
      },
    ])
    const rows = await t.ctx.db
      .selectFrom('account')
      .select('id')
      .where('domain', 'in', ['ok.types-d.com', 'bad.types-d.com'])
      .execute()
    assert.equal(rows.length, 0, 'nothing written')
  })

  test('an attribute that a field of its own shadows is refused even when well typed: it would be dropped unread', async () => {
    const res = await post('/v1/people', {
      people: [{ email: 'shadow@types-f.com', attributes: { title: 'CISO', country: 'US', seniority: 'vp' } }],
    })
    assert.deepEqual(issuesOf(res), [
      {
        path: 'people[0].attributes.title',
        message: 'person.title is read from the title field, never from attributes; send it there',
      },
      {
        path: 'people[0].attributes.country',
        message: 'person.country is read from the country field, never from attributes; send it there',
      },
    ])
    assert.equal(await countPeople(['shadow@types-f.com']), 0, 'nothing written')
  })

  test('well-typed attributes are accepted and the lead is scored', async () => {
    const people = await post('/v1/people', {
      people: [{ email: 'ok@types-e.com', title: 'Compliance Analyst', attributes: { seniority: 'Student' } }],
    })
    assert.equal(people.statusCode, 200, people.body)
    const events = await post('/v1/events', { events: [pageView('ft_ok', { email: 'ok@types-e.com' })] })
    assert.equal(events.statusCode, 200, events.body)
    const lead = await t.app.inject({ url: '/v1/leads/ok@types-e.com', headers: t.auth('marketing') })
    assert.equal(lead.statusCode, 200, lead.body)
    assert.equal(lead.json().stage, 'Disqualified')
  })
  test('a person stored with a wrong-typed attribute before validation existed is scored with that criterion unknown', async () => {
    const stored = await post('/v1/people', { people: [{ email: 'legacy@types-f.com', title: 'Compliance Analyst' }] })
    assert.equal(stored.statusCode, 200, stored.body)
    await t.ctx.db
      .updateTable('person')
      .set({ attributes: JSON.stringify({ seniority: 42 }) })
      .where('email', '=', 'legacy@types-f.com')
      .execute()
    const res = await post('/v1/events', { events: [pageView('ft_legacy', { email: 'legacy@types-f.com' })] })
    assert.equal(res.statusCode, 200, res.body)
    const lead = await t.app.inject({ url: '/v1/leads/legacy@types-f.com', headers: t.auth('marketing') })
    assert.equal(lead.statusCode, 200, lead.body)
    assert.equal(lead.json().stage, 'Lead')
    assert.match(JSON.stringify(lead.json()), /person\.seniority/)
  })
})
