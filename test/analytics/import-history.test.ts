import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { importCsv } from '../../src/import/import-csv.ts'
import { readImportMapping } from '../../src/import/read-import-mapping.ts'
import { accountKeyOfName } from '../../src/ingest/account-names.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const dir = mkdtempSync(join(tmpdir(), 'accord-history-'))
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

describe('importing CRM history with account names and lookups', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
  })
  after(() => t.close())

  test('an account name becomes a reserved-domain key, stable across spellings of case and spaces', () => {
    assert.equal(accountKeyOfName('Acme  Corporation '), 'acme-corporation.name.invalid')
    assert.equal(accountKeyOfName('ACME corporation'), 'acme-corporation.name.invalid')
  })

  test('Salesforce column names import; a product missing from the lookup file and a deal without an account are warnings by line', async () => {
    file('products.csv', 'product,series\nGTX Pro,GTX\nMG Special,MG\n')
    const mapping = file(
      'deals.yaml',
      'columns:\n  Product: attributes.product\nlookups:\n  - { column: Product, file: products.csv, key: product, fields: { series: attributes.series } }\n',
    )
    const deals = file(
      'deals.csv',
      [
        'Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date,Product',
        'OPP-1,Big deal,Acme Corporation,Closed Won,"12,000",2026-01-05,2026-02-10,GTX Pro',
        'OPP-2,Second,acme corporation,Closed Lost,500,2026-01-07,2026-01-30,GTXPro',
        'OPP-3,Open one,,Prospecting,,2026-02-01,,MG Special',
      ].join('\n'),
    )
    const m = readImportMapping(mapping)
    const report = await importCsv(t.ctx, {
      workspaceId: t.workspaceId,
      kind: 'opportunities',
      path: deals,
      mapping: m.columns,
      lookups: m.lookups,
    })
    assert.deepEqual([report.rows, report.imported, report.rejected.length], [3, 3, 0])
    assert.deepEqual(
      report.warnings.map((w) => [w.line, w.code, w.path, w.message]),
      [
        [3, 'lookup_miss', 'Product', '"GTXPro" is not in products.csv (column product)'],
        [4, 'no_account', 'account', 'open deal without an account (stage Prospecting): imported without one'],
      ],
    )
    const rows = await t.ctx.db
      .selectFrom('opportunity as o')
      .leftJoin('account as a', 'a.id', 'o.account_id')
      .select(['o.external_id', 'o.is_won', 'o.is_closed', 'o.amount', 'o.attributes', 'a.domain', 'a.name'])
      .orderBy('o.external_id')
      .execute()
    assert.deepEqual(
      rows.map((r) => [r.external_id, r.is_closed, r.is_won, r.domain, r.name]),
      [
        ['OPP-1', true, true, 'acme-corporation.name.invalid', 'Acme Corporation'],
        ['OPP-2', true, false, 'acme-corporation.name.invalid', 'Acme Corporation'],
        ['OPP-3', false, false, null, null],
      ],
    )
    assert.equal(Number(rows[0]!.amount), 12_000)
    assert.deepEqual(rows[0]!.attributes, { product: 'GTX Pro', series: 'GTX' })
  })

  test('a lookup with on_miss: reject refuses the row, naming the column and the file', async () => {
    file('teams.csv', 'agent,office\nAnn,East\n')
    const mapping = file(
      'strict.yaml',
      'columns:\n  agent: owner\nlookups:\n  - { column: agent, file: teams.csv, fields: { office: attributes.team }, on_miss: reject }\n',
    )
    const deals = file('strict.csv', 'external_id,stage,agent\nS-1,open,Ann\nS-2,open,Bob\n')
    const m = readImportMapping(mapping)
    const report = await importCsv(t.ctx, {
      workspaceId: t.workspaceId,
      kind: 'opportunities',
      path: deals,
      mapping: m.columns,
      lookups: m.lookups,
    })
    assert.equal(report.imported, 1)
    assert.deepEqual(report.rejected, [
      { line: 3, issues: [{ path: 'agent', message: '"Bob" is not in teams.csv (column agent)' }] },
    ])
  })

  test('a mapping whose lookup names a missing column is refused with the path of the entry', () => {
    file('p2.csv', 'sku\nA\n')
    const mapping = file('bad.yaml', 'lookups:\n  - { column: product, file: p2.csv }\n')
    assert.throws(
      () => readImportMapping(mapping),
      (e: { issues: { path: string; message: string }[] }) =>
        e.issues[0]!.path === 'lookups[0].key' && e.issues[0]!.message.startsWith('p2.csv has no column "product"'),
    )
  })
})
