import assert from 'node:assert/strict'
// biome-ignore lint/style/noRestrictedImports: the test reads the shipped example Agreement; the code under test stays pure
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { simulateQuarter } from '../../demo/simulate/index.ts'
import { compileAgreement } from '../agreement/compile-agreement.ts'
import { parseAgreement } from '../agreement/parse-agreement.ts'
import { createEngine, type Engine } from './create-engine.ts'
import { ACME, makeEngine } from './engine-fixture.ts'
import type { FitSnapshot, LeadFacts } from './engine-types.ts'
import { computeFit, resolveFit } from './score-fit.ts'

const EXAMPLE = readFileSync(new URL('../../../accord.example.yaml', import.meta.url), 'utf8')

function exampleEngine(): Engine {
  const parsed = parseAgreement(EXAMPLE)
  assert.ok(parsed.ok)
  return createEngine(compileAgreement(parsed.agreement), { id: 1, hash: parsed.hash })
}

/** People whose fields hit every branch of a person criterion: matches, non-matches, missing and non-string values. */
function people(): Record<string, unknown>[] {
  const q = simulateQuarter({ seed: 3, start: '2026-10-01', accounts: 40 })
  const titles = [...new Set(q.people.map((p) => p.title))].slice(0, 30)
  const out: Record<string, unknown>[] = titles.map((title, i) => ({ email: `p${i}@x.com`, title }))
  out.push(
    { email: 'a@x.com', title: 'Student Ambassador' },
    { email: 'b@x.com', title: 'VP Finance', seniority: 'student' },
    { email: 'c@x.com', title: 'VP Finance', seniority: 'vp' },
    { email: 'd@x.com', title: 'VP Finance', seniority: null },
    { email: 'e@x.com' },
    { email: 'f@x.com', title: '' },
    { email: 'g@x.com', title: 'VP Finance', seniority: 42 },
    { email: 'h@x.com', title: 'CFO', seniority: ['student'] },
    { email: 'i@x.com', title: 'null' },
    { email: 'j@x.com', title: 'VP Finance' },
  )
  return out
}

function accounts(): LeadFacts['account'][] {
  const q = simulateQuarter({ seed: 3, start: '2026-10-01', accounts: 40 })
  return [null, ACME, { domain: 'tiny.io', employees: 5 }, ...q.accounts.map((a) => ({ ...a, owner: undefined }))]
}

/** Every (account, person) pair: the shared snapshot equals the one computed criterion by criterion. */
function assertSharedEqualsComputed(engine: Engine): Set<FitSnapshot> {
  const at = Date.parse('2026-11-16T10:00:00Z')
  const snapshots = new Set<FitSnapshot>()
  for (const account of accounts())
    for (const person of people()) {
      const facts: LeadFacts = { person: { ...person }, account }
      const memo = resolveFit(engine, facts, at)
      assert.deepEqual(
        memo.fit,
        computeFit(engine, account, memo.personContext, [], at),
        `${JSON.stringify(person)} at ${account?.domain ?? '(no account)'}`,
      )
      snapshots.add(memo.fit)
    }
  return snapshots
}

describe('shared fit snapshots', () => {
  test('a lead shares its account’s snapshot only when it is the snapshot computed for that lead', () => {
    const engine = exampleEngine()
    const snapshots = assertSharedEqualsComputed(engine)
    // The example's only person criterion (students) reads the person alone: an account's people share a snapshot
    // per result of it (a known or unknown seniority), except a student (whose disqualifier quotes the title).
    const pairs = accounts().length * people().length
    assert.ok(snapshots.size * 5 < pairs, `${snapshots.size} snapshots for ${pairs} leads`)
  })

  // Each row adds person criteria next to a person-only student disqualifier; the shared snapshots must still equal
  // the computed ones, whichever way the person fields are read.
  const withStudentDisqualifier: { name: string; fit: Record<string, unknown> }[] = [
    {
      name: 'a criterion that reads the person and the account keeps snapshots per person values',
      fit: {
        id: 'cfo_healthcare',
        name: 'CFO in healthcare',
        when: 'person.title == "CFO" && account.industry == "Healthcare"',
        points: 9,
      },
    },
    {
      name: 'person-only criteria with a fit part and an unknown share snapshots',
      fit: { id: 'senior', name: 'Senior title', when: 'person.seniority == "vp"', points: 5 },
    },
  ]
  test('criteria reading the person beside a student disqualifier: shared snapshots equal computed ones', async (t) => {
    for (const row of withStudentDisqualifier)
      await t.test(row.name, () => {
        const engine = makeEngine((a) => {
          a.icp.fit.push(row.fit)
          a.icp.disqualify.push({
            id: 'student',
            name: 'Student',
            when: 'person.title.lowerAscii().contains("student")',
            reason: 'too_small',
          })
        })
        assertSharedEqualsComputed(engine)
      })
  })
})
