/**
 * A large synthetic workspace built with set-based SQL (insert … select generate_series), shared by the metrics bench
 * and the dashboard bench, so the scoreboard is measured on the data the metric queries are tuned for. Sizes scale
 * with `leads` (1,000,000 ≈ 6 minutes on a quiet 2-core machine):
 * - 50,000 accounts (3 segments, 6 industries), one person per lead;
 * - leads whose first event is spread over 2026, with 8 sources × 5 media, 40 campaigns, 3 tiers, 10 owners;
 * - stage transitions: 25% of leads reach MQL, 40% of those SQL, 50% of those Opportunity, 30% of those Won;
 * - one opportunity per lead reaching Opportunity, on the lead's account, 60% closed (60% of those won);
 * - 10 events per lead over the lead's year, 30% of them carrying source/medium/campaign (marketing touches).
 *
 * Building takes minutes, so `startLargeWorkspaceServer` keeps the built embedded data directory in a cache
 * (`$BENCH_CACHE_DIR`, default `<tmp>/accord-bench-cache`, one entry per size: `leads-<n>-<hash>`) keyed by a hash of
 * the migrations and this file, and later runs start from a copy of it (a 1,000,000-lead copy takes seconds; the
 * cache entry itself is never opened, so a run cannot change it). A new migration or a change here is a new key:
 * the next run builds again and replaces the entry of that size. With DATABASE_URL there is no cache: the
 * workspace is built on that server every run. `rm -rf` the cache directory to reclaim its space (several GB).
 *
 * Example: `await buildLargeWorkspace(ctx.db, workspaceId, 100_000, console.log)`
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { openDatabase } from '../src/db/database.ts'
import type { DB } from '../src/db/schema.ts'
import { createWorkspace } from '../src/workspace/create-workspace.ts'
import { type BenchServer, fmt, startBenchServer } from './helpers.ts'

export const EVENTS_PER_LEAD = 10

export async function buildLargeWorkspace(
  db: Kysely<DB>,
  ws: number,
  leads: number,
  log: (line: string) => void,
): Promise<void> {
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t0 = performance.now()
    const r = await q.execute(db)
    log(
      `  ${label.padEnd(28)} ${fmt((performance.now() - t0) / 1000, 1)} s${r.numAffectedRows !== undefined ? `  (${fmt(Number(r.numAffectedRows))} rows)` : ''}`,
    )
  }
  const accounts = Math.min(50_000, Math.max(100, Math.round(leads / 20)))
  await step(
    'accounts',
    sql`insert into account (workspace_id, domain, name, segment, industry, employees)
    select ${ws}, 'acc' || g || '-w' || ${ws} || '.example', 'Account ' || g, (array['smb','mid_market','enterprise'])[1 + g % 3],
      (array['Healthcare','Fintech','Retail','Insurance','Manufacturing','Media'])[1 + g % 6], 10 + (g * 37) % 5000
    from generate_series(1, ${accounts}) g`,
  )
  await step(
    'people',
    sql`insert into person (workspace_id, email, account_id)
    select ${ws}, 'p' || g || '@acc' || (1 + g % ${accounts}) || '.example',
      (select min(id) from account where workspace_id = ${ws}) + g % ${accounts}
    from generate_series(1, ${leads}) g`,
  )
  await step(
    'leads',
    sql`insert into lead (workspace_id, person_id, account_id, stage, stage_entered_at, state, source, medium,
      campaign, tier, owner_rep_id, fit, first_event_at, last_event_at)
    select ${ws}, p.id, p.account_id, 'Lead', t, '{}'::jsonb,
      (array['google','linkedin','newsletter','webinar','g2','partner','direct','events'])[1 + (p.id * 7) % 8],
      (array['cpc','paid_social','email','organic','referral'])[1 + (p.id * 11) % 5],
      'c' || ((p.id * 13) % 40), (array['hot','warm','cold'])[1 + (p.id * 17) % 3],
      (array['ana_ruiz','ben_cho','chloe_adams','diego_santos','erin_park','felix_braun','greta_lind','ana_ruiz','ben_cho','erin_park'])[1 + (p.id * 19) % 10],
      (p.id * 23) % 100, t, t
    from (select id, account_id, timestamptz '2026-01-01' + ((id * 7919) % 31536000) * interval '1 second' as t
          from person where workspace_id = ${ws}) p`,
  )
  await step(
    'stage transitions',
    sql`insert into stage_transition (workspace_id, lead_id, from_stage, to_stage, at, rule, explanation)
    select ${ws}, l.id, s.from_stage, s.to_stage, l.first_event_at + s.days * interval '1 day', 'stages.' || s.to_stage, 'bench'
    from lead l
    cross join lateral (values
      ('Lead', 'MQL', 1 + l.id % 6, 4),
      ('MQL', 'SQL', 8 + l.id % 9, 10),
      ('SQL', 'Opportunity', 20 + l.id % 11, 20),
      ('Opportunity', 'Won', 60 + l.id % 40, 67)) as s(from_stage, to_stage, days, modulo)
    where l.workspace_id = ${ws} and l.id % s.modulo = 0`,
  )
  await step(
    'opportunities',
    sql`insert into opportunity (workspace_id, external_id, account_id, amount, stage, is_closed, is_won,
      opened_at, closed_at, owner, source)
    select ${ws}, 'o' || l.id, l.account_id, 1000 + (l.id * 31) % 90000,
      case when l.id % 5 < 3 then (case when l.id % 5 < 2 then 'closedwon' else 'closedlost' end) else 'proposal' end,
      l.id % 5 < 3, l.id % 5 < 2, t.at,
      case when l.id % 5 < 3 then t.at + (10 + l.id % 80) * interval '1 day' end, l.owner_rep_id, l.source
    from stage_transition t join lead l on l.id = t.lead_id
    where t.workspace_id = ${ws} and t.to_stage = 'Opportunity'`,
  )
  await step(
    'events',
    sql`insert into event (workspace_id, id, type, occurred_at, person_id, account_id, source, medium, campaign)
    select ${ws}, 'e' || l.id || '-' || k, (array['page_view','page_view','page_view','email_open','form_submit'])[1 + (l.id + k) % 5],
      l.first_event_at + ((l.id * 104729 + k * 7907) % 31536000) * interval '1 second', l.person_id, l.account_id,
      case when (l.id + k) % 10 < 3 then l.source end, case when (l.id + k) % 10 < 3 then l.medium end,
      case when (l.id + k) % 10 < 3 then l.campaign end
    from lead l cross join generate_series(1, ${EVENTS_PER_LEAD}) k where l.workspace_id = ${ws}`,
  )
  // The funnel's day counts (migration 0011) as the worker leaves them: the triggers' changes merged per key.
  await step('funnel_day compaction', sql`select funnel_day_compact(${ws}, 100000)`)
  // Vacuum as autovacuum would after a bulk load: the visibility map lets the funnel and the touch ledger be read
  // index-only, as they are in a steady workspace.
  await step('vacuum analyze', sql`vacuum analyze`)
}

const CACHE_DIR = process.env.BENCH_CACHE_DIR || join(tmpdir(), 'accord-bench-cache')
const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'src', 'db', 'migrations')

/** The cache entry's name: the size, and a hash of everything that decides the built database's contents. */
function cacheEntryName(leads: number): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(MIGRATIONS_DIR).sort())
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)))
  hash.update(readFileSync(import.meta.filename))
  return `leads-${leads}-${hash.digest('hex').slice(0, 16)}`
}

/** `cp -a`: keeps the owner (PostgreSQL's files belong to the `postgres` user when benches run as root). */
function copyDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true })
  execFileSync('cp', ['-a', `${from}/.`, to])
}

/** Builds the workspace in a fresh embedded data directory, stops its server, and returns the directory. */
async function buildDataDir(leads: number, log: (line: string) => void): Promise<{ dir: string; workspaceId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-'))
  const database = await openDatabase({ databaseUrl: null, dataDir: dir })
  try {
    const ws = await createWorkspace({ db: database.db }, { slug: 'bench-large', name: 'Bench large' })
    await buildLargeWorkspace(database.db, ws.id, leads, log)
    return { dir, workspaceId: ws.id }
  } finally {
    await database.close()
  }
}

/**
 * A bench server (its own small workspace, as `startBenchServer`) whose database also holds a large workspace of
 * `leads` leads: restored from the cache, or built and then cached (embedded database); built in place with
 * DATABASE_URL.
 *
 * Example: `const { server, workspaceId } = await startLargeWorkspaceServer(1_000_000, console.log)`
 */
export async function startLargeWorkspaceServer(
  leads: number,
  log: (line: string) => void,
): Promise<{ server: BenchServer; workspaceId: number }> {
  const t0 = performance.now()
  const done = (what: string) => log(`  ${what} in ${fmt((performance.now() - t0) / 1000, 0)} s`)
  if (process.env.DATABASE_URL) {
    const server = await startBenchServer()
    const ws = await createWorkspace(server.ctx, { slug: `bench-large-${Date.now()}`, name: 'Bench large' })
    await buildLargeWorkspace(server.ctx.db, ws.id, leads, log)
    done('built')
    return { server, workspaceId: ws.id }
  }
  const name = cacheEntryName(leads)
  const entry = join(CACHE_DIR, name)
  const meta = join(entry, 'bench-large.json')
  if (existsSync(meta)) {
    const { workspaceId } = JSON.parse(readFileSync(meta, 'utf8')) as { workspaceId: number }
    const dir = mkdtempSync(join(tmpdir(), 'accord-bench-'))
    copyDir(entry, dir)
    done(`restored from ${entry}`)
    return { server: await startBenchServer({ dataDir: dir }), workspaceId }
  }
  const built = await buildDataDir(leads, log)
  done('built')
  mkdirSync(CACHE_DIR, { recursive: true })
  for (const old of readdirSync(CACHE_DIR))
    if (old.startsWith(`leads-${leads}-`)) rmSync(join(CACHE_DIR, old), { recursive: true, force: true })
  // Copied under a temporary name and renamed: an interrupted copy is never mistaken for an entry.
  const partial = `${entry}.partial-${process.pid}`
  copyDir(built.dir, partial)
  writeFileSync(join(partial, 'bench-large.json'), JSON.stringify({ workspaceId: built.workspaceId }))
  renameSync(partial, entry)
  log(`  cached in ${entry}`)
  return { server: await startBenchServer({ dataDir: built.dir }), workspaceId: built.workspaceId }
}
