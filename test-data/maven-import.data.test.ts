import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { type ImportReport, importCsv } from '../src/import/import-csv.ts'
import { readImportMapping } from '../src/import/read-import-mapping.ts'
import { createTestApp, type TestApp } from '../test/helpers/app.ts'

const DIR = path.resolve(process.cwd(), '../shared/data/maven-crm-sales-opportunities')
const FIXTURES = path.resolve(process.cwd(), 'test-data/fixtures')
const present = existsSync(path.join(DIR, 'sales_pipeline.csv'))

type Row = Record<string, string>
const readCsv = (name: string): Row[] =>
  parse(readFileSync(path.join(DIR, name), 'utf8'), { columns: true, skip_empty_lines: true }) as Row[]

if (!present) {
  test('Maven CRM import', (t) => {
    t.skip(`../shared/data/maven-crm-sales-opportunities is absent (looked in ${DIR}); real-data import suite skipped`)
  })
} else {
  describe('the Maven CRM history imported through the CSV import and read through the metrics API', () => {
    let t: TestApp
    let accounts: ImportReport
    let pipeline: ImportReport
    before(async () => {
      t = await createTestApp({ now: () => Date.parse('2018-01-15T00:00:00Z') })
      const accountMap = readImportMapping(path.join(FIXTURES, 'maven-accounts.mapping.yaml'))
      accounts = await importCsv(t.ctx, {
        workspaceId: t.workspaceId,
        kind: 'accounts',
        path: path.join(DIR, 'accounts.csv'),
        mapping: accountMap.columns,
        lookups: accountMap.lookups,
      })
      const oppMap = readImportMapping(path.join(FIXTURES, 'maven-opportunities.mapping.yaml'))
      pipeline = await importCsv(t.ctx, {
        workspaceId: t.workspaceId,
        kind: 'opportunities',
        path: path.join(DIR, 'sales_pipeline.csv'),
        mapping: oppMap.columns,
        lookups: oppMap.lookups,
      })
    })
    after(() => t.close())

    const get = async (url: string) => {
      const res = await t.app.inject({ url, headers: t.auth('sales') })
      assert.equal(res.statusCode, 200, res.body)
      return res.json()
    }

    test('all 85 accounts and 8,800 deals are imported, none rejected', () => {
      assert.deepEqual([accounts.rows, accounts.imported, accounts.rejected.length], [85, 85, 0])
      assert.deepEqual([pipeline.rows, pipeline.imported, pipeline.rejected.length], [8800, 8800, 0])
    })

    test('the 1,480 rows whose product is not in products.csv are reported by line (GTXPro), and imported', () => {
      const misses = pipeline.warnings.filter((w) => w.code === 'lookup_miss')
      assert.equal(misses.length, 1480)
      assert.ok(misses.every((w) => w.path === 'product' && w.message.startsWith('"GTXPro" is not in')))
      // Line numbers point into the file: line 3 is the second deal, Z063OYW0 (GTXPro).
      assert.equal(misses[0]!.line, 3)
    })

    test('the 1,425 open deals without an account are reported by line as warnings, and imported', () => {
      const noAccount = pipeline.warnings.filter((w) => w.code === 'no_account')
      const expected = readCsv('sales_pipeline.csv').flatMap((r, i) => (r.account === '' ? [i + 2] : []))
      assert.equal(noAccount.length, 1425)
      assert.deepEqual(
        noAccount.map((w) => w.line),
        expected,
      )
      assert.ok(noAccount.every((w) => w.message.startsWith('open deal without an account')))
    })

    test('accounts keyed by name are shared by the deals that name them', async () => {
      const rows = await t.ctx.db
        .selectFrom('opportunity as o')
        .innerJoin('account as a', 'a.id', 'o.account_id')
        .select((eb) => [
          eb.fn.count<number>('o.id').as('deals'),
          eb.fn.count<number>('a.id').distinct().as('accounts'),
        ])
        .executeTakeFirstOrThrow()
      assert.equal(Number(rows.deals), 8800 - 1425)
      assert.equal(Number(rows.accounts), 85)
    })

    test('win rate by count is 4,238 / 6,711 = 0.6315 and the won cycle averages 51.78 days', async () => {
      const m = await get('/v1/metrics/opportunities?period=2017')
      assert.equal(m.won.count, 4238)
      assert.equal(m.lost.count, 2473)
      assert.equal(m.winRate, 4238 / 6711)
      assert.equal(Math.round(m.winRate * 1e4) / 1e4, 0.6315)
      assert.ok(Math.abs(m.cycleDays.mean - 51.78) < 0.005, `won cycle mean ${m.cycleDays.mean}`)
      assert.equal(m.won.amount, 10_005_534)
      assert.equal(m.undated, 500)
    })

    test('every agent’s win rate equals reference/agent_win_rates.csv', async () => {
      const m = await get('/v1/metrics/opportunities?period=2017&by=owner')
      const byAgent = new Map<
        string,
        { won: { count: number; amount: number }; lost: { count: number }; winRate: number }
      >(m.groups.map((g: { key: string }) => [g.key, g]))
      const reference = readCsv('reference/agent_win_rates.csv')
      assert.equal(reference.length, 30)
      for (const r of reference) {
        const g = byAgent.get(r.sales_agent!)
        assert.ok(g, `no agent ${r.sales_agent}`)
        assert.equal(g.won.count, Number(r.won), r.sales_agent)
        assert.equal(g.won.count + g.lost.count, Number(r.closed), r.sales_agent)
        assert.equal(g.won.amount, Number(r.won_revenue), r.sales_agent)
        assert.equal(Math.round(g.winRate * 1e4) / 1e4, Number(r.win_rate), r.sales_agent)
      }
    })

    test('win rate by regional office (the agents’ team, from sales_teams.csv): Central 0.6256, East 0.6302, West 0.6394', async () => {
      const m = await get('/v1/metrics/opportunities?period=2017&by=team')
      const rates = Object.fromEntries(
        m.groups.map((g: { key: string; winRate: number }) => [g.key, Math.round(g.winRate * 1e4) / 1e4]),
      )
      assert.deepEqual(rates, { Central: 0.6256, East: 0.6302, West: 0.6394 })
    })
  })
}
