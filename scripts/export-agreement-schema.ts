/**
 * Regenerates schema/agreement.schema.json from the zod Agreement schema, so editors can autocomplete accord.yaml.
 * Run: npx tsx scripts/export-agreement-schema.ts   (add --check to fail when the committed file is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { agreementJsonSchema } from '../src/core/agreement/agreement-json-schema.ts'

const target = path.resolve(import.meta.dirname, '../schema/agreement.schema.json')
const text = `${JSON.stringify(agreementJsonSchema(), null, 2)}\n`
if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    // A missing file is simply stale.
  }
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), target)} is stale: run npx tsx scripts/export-agreement-schema.ts`)
    process.exit(1)
  }
  console.log('agreement schema is up to date')
} else {
  writeFileSync(target, text)
  console.log(`wrote ${path.relative(process.cwd(), target)} (${text.length} bytes)`)
}
