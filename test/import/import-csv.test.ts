import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { importCsv } from '../../src/import/import-csv.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const dir = mkdtempSync(join(tmpdir(), 'accord-import-'))
function csv(name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

describe('CSV import', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  test('accounts import reports bad rows by line and imports the rest', async () => {
    const file = csv(
      'accounts.csv',
      [
        'domain,name,industry,employees,technologies',
        'acme.com,Acme,Healthcare,450,Salesforce;Snowflake',
        'globex.io,Globex,Fintech,ten,HubSpot',
        'not a domain,Broken,,12,',
        'initech.com,Initech,Manufacturing,1200,',
      ].join('\n'),
    )
    const report = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'accounts', path: file })
    assert.equal(report.rows, 4)
    assert.equal(report.imported, 2)
    assert.deepEqual(
      report.rejected.map((r) => [r.line, r.issues[0]!.path, r.issues[0]!.message]),
      [
        [3, 'employees', 'expected a number, got "ten"'],
        [4, 'domain', '"not a domain" is not a domain'],
      ],
    )
    const acme = await t.ctx.db
      .selectFrom('account')
      .selectAll()
      .where('domain', '=', 'acme.com')
      .executeTakeFirstOrThrow()
    assert.equal(acme.employees, 450)
    assert.deepEqual(acme.technologies, ['Salesforce', 'Snowflake'])
  })

  test('an enrichment export of account signals: provider column names, dates, bad rows by line, re-import is a no-op', async () => {
    const file = csv(
      'signals.csv',
      [
        'Company Domain Name,Signal Type,Date,Provider,details.round',
        'acme.com,funding_round,2026-09-14,crunchbase,Series B',
        'globex.io,ipo,2026-09-01,crunchbase,',
        'initech.com,hiring_surge,2026-10-02T08:00:00Z,linkedin,',
        'acme.com,compliance_deadline,sometime,bombora,',
      ].join('\n'),
    )
    const report = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'signals', path: file })
    assert.equal(report.rows, 4)
    assert.equal(report.imported, 2)
    assert.deepEqual(
      report.rejected.map((r) => [r.line, r.issues[0]!.path]),
      [
        [3, 'type'],
        [5, 'at'],
      ],
    )
    assert.match(report.rejected[0]!.issues[0]!.message, /unknown account signal type "ipo"/)
    const stored = await t.ctx.db
      .selectFrom('account_signal as s')
      .innerJoin('account as a', 'a.id', 's.account_id')
      .select(['a.domain', 's.type', 's.at', 's.source', 's.details'])
      .where('s.workspace_id', '=', t.workspaceId)
      .orderBy('s.at')
      .execute()
    assert.deepEqual(
      stored.map((r) => [r.domain, r.type, r.at.toISOString(), r.source, r.details]),
      [
        ['acme.com', 'funding_round', '2026-09-14T00:00:00.000Z', 'crunchbase', { round: 'Series B' }],
        ['initech.com', 'hiring_surge', '2026-10-02T08:00:00.000Z', 'linkedin', {}],
      ],
    )
    const again = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'signals', path: file })
    assert.equal(again.imported, 0)
    assert.equal(again.duplicates, 2)
  })

  test('attributes columns that conditions read are coerced to their type (tags to a list), others kept as text', async () => {
    const file = csv(
      'typed-attributes.csv',
      [
        'domain,name,attributes.tags,attributes.customer_status,attributes.notes',
        'typed-a.com,Typed A,enterprise; healthcare,prospect,42',
        'typed-b.com,Typed B,,partner,',
      ].join('\n'),
    )
    const report = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'accounts', path: file })
    assert.equal(report.imported, 2, JSON.stringify(report.rejected))
    const a = await t.ctx.db
      .selectFrom('account')
      .select('attributes')
      .where('domain', '=', 'typed-a.com')
      .executeTakeFirstOrThrow()
    assert.deepEqual(a.attributes, { tags: ['enterprise', 'healthcare'], customer_status: 'prospect', notes: '42' })

    const people = csv(
      'typed-people.csv',
      ['email,title,attributes.seniority', 'ok@typed-a.com,Analyst,individual'].join('\n'),
    )
    const imported = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'people', path: people })
    assert.equal(imported.imported, 1, JSON.stringify(imported.rejected))
  })

  test('an empty cell leaves the stored value alone', async () => {
    const file = csv('accounts2.csv', 'domain,name,industry,employees\nacme.com,,Life Sciences,\n')
    await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'accounts', path: file })
    const acme = await t.ctx.db
      .selectFrom('account')
      .selectAll()
      .where('domain', '=', 'acme.com')
      .executeTakeFirstOrThrow()
    assert.equal(acme.name, 'Acme')
    assert.equal(acme.industry, 'Life Sciences')
    assert.equal(acme.employees, 450)
  })

  test('HubSpot export column names are recognised', async () => {
    const file = csv(
      'hubspot-deals.csv',
      'Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Company Domain Name\n901,Acme expansion,closedwon,"12,500",2026-08-01,2026-10-15,acme.com\n902,Globex pilot,appointmentscheduled,4000,2026-09-01,,globex.io\n',
    )
    const report = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'opportunities', path: file })
    assert.equal(report.rejected.length, 0, JSON.stringify(report.rejected))
    const won = await t.ctx.db
      .selectFrom('opportunity')
      .selectAll()
      .where('external_id', '=', '901')
      .executeTakeFirstOrThrow()
    assert.equal(won.amount, 12500)
    assert.equal(won.is_won, true)
    assert.equal(won.is_closed, true)
    assert.equal(won.closed_at?.toISOString(), '2026-10-15T00:00:00.000Z')
    const open = await t.ctx.db
      .selectFrom('opportunity')
      .selectAll()
      .where('external_id', '=', '902')
      .executeTakeFirstOrThrow()
    assert.equal(open.is_closed, false)
  })

  test('a mapping file renames columns and the required fields are checked', async () => {
    const file = csv('people.csv', 'Work address,Position,Notes\nmaya@acme.com,VP Marketing,met at SaaStr\n')
    await assert.rejects(
      importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'people', path: file }),
      (e: Error & { issues?: { path: string }[] }) => e.issues?.[0]?.path === 'email',
    )
    const report = await importCsv(t.ctx, {
      workspaceId: t.workspaceId,
      kind: 'people',
      path: file,
      mapping: { 'Work address': 'email', Position: 'title', Notes: 'ignore' },
    })
    assert.equal(report.imported, 1)
    const maya = await t.ctx.db
      .selectFrom('person')
      .selectAll()
      .where('email', '=', 'maya@acme.com')
      .executeTakeFirstOrThrow()
    assert.equal(maya.title, 'VP Marketing')
    assert.ok(maya.account_id, 'linked to acme.com by email domain')
  })

  test('events without an id column get content ids, so importing twice duplicates nothing', async () => {
    const file = csv(
      'events.csv',
      'type,occurred_at,email,properties.path,utm_source\npage_view,2026-11-01T10:00:00Z,li@globex.io,/pricing,google\npage_view,2026-11-02T10:00:00Z,li@globex.io,/pricing,google\nwebinar_attended,yesterday,li@globex.io,,\n',
    )
    const first = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'events', path: file })
    assert.equal(first.imported, 2)
    assert.deepEqual(
      first.rejected.map((r) => r.line),
      [4],
    )
    const again = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'events', path: file })
    assert.equal(again.imported, 0)
    assert.equal(again.duplicates, 2)
    const rows = await t.ctx.db
      .selectFrom('event')
      .select(['properties', 'source'])
      .where('type', '=', 'page_view')
      .execute()
    assert.equal(rows.length, 2)
    assert.deepEqual(rows[0]!.properties, { path: '/pricing' })
    assert.equal(rows[0]!.source, 'google')
  })

  test('a row the use case refuses (unknown event type) is reported and the rest of its batch still imports', async () => {
    const file = csv(
      'events2.csv',
      'id,type,occurred_at,email\ne1,page_view,2026-11-01T10:00:00Z,x@initech.com\ne2,pageview,2026-11-01T10:00:00Z,x@initech.com\ne3,page_view,2026-11-01T11:00:00Z,x@initech.com\n',
    )
    const report = await importCsv(t.ctx, { workspaceId: t.workspaceId, kind: 'events', path: file })
    assert.equal(report.imported, 2)
    assert.equal(report.rejected.length, 1)
    assert.equal(report.rejected[0]!.line, 3)
    assert.equal(report.rejected[0]!.issues[0]!.path, 'type')
  })
})
