import { z } from 'zod'
import { AgreementSchema } from './agreement-schema.ts'

/**
 * The Agreement format as JSON Schema (draft 2020-12), for editor autocompletion through a
 * `# yaml-language-server: $schema=schema/agreement.schema.json` comment. It describes the file as written (input
 * side: durations are strings), not the parsed value.
 *
 * Example: `agreementJsonSchema().properties.icp`
 */
export function agreementJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(AgreementSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return {
    ...schema,
    $id: 'https://accord.dev/schema/agreement.schema.json',
    title: 'Accord Agreement',
    description: 'The revenue Agreement between marketing and sales, as code. See docs/agreement.md.',
  }
}
