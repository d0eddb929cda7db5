import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { runCli } from './run-cli.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'accord-agreement-cli-'))
const example = readFileSync('accord.example.yaml', 'utf8')

test('`agreement validate` exits 0 for a valid file and names its version', async () => {
  const r = await runCli(['agreement', 'validate', 'accord.example.yaml'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /accord\.example\.yaml: valid \(version [0-9a-f]{12}\)/)
})

test('`agreement validate` exits 1 listing every problem with its file, line and path', async () => {
  const bad = path.join(dir, 'bad.yaml')
  writeFileSync(
    bad,
    example.replace('points: 25', 'points: ten').replace('account.industry in lists', 'acount.industry in lists'),
  )
  const r = await runCli(['agreement', 'validate', bad])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /bad\.yaml:\d+ icp\.fit\[0\]\.when: unknown field `acount` \(did you mean `account`\?\)/)
  assert.match(r.stderr, /bad\.yaml:\d+ icp\.fit\[0\]\.points: expected a number, got "ten"/)
  assert.match(r.stderr, /2 problems/)
})

test('`agreement diff` of two files prints the change in RevOps words, without a database', async () => {
  const next = path.join(dir, 'next.yaml')
  writeFileSync(next, example.replace('fit >= 60 && (intent', 'fit >= 65 && (intent'))
  const r = await runCli(['agreement', 'diff', 'accord.example.yaml', next])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /MQL: fit >= 60 .*→ fit >= 65/)
  assert.equal(r.createdDataDir, false)
})
