import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { agreementJsonSchema } from '../../src/core/agreement/index.ts'

test('the published JSON Schema for editors matches the Agreement schema (regenerate with scripts/export-agreement-schema.ts)', () => {
  const published = JSON.parse(readFileSync('schema/agreement.schema.json', 'utf8'))
  assert.deepEqual(published, JSON.parse(JSON.stringify(agreementJsonSchema())))
})
