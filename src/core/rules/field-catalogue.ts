/**
 * The fields an Agreement condition may read, by scope. This catalogue is the contract between the Agreement and the
 * engine: the engine must supply exactly these names with these types, and validation refuses any other name, so a
 * typo (`acount.industry`) fails at load time instead of evaluating to a silent `false` in production.
 *
 * Numbers are CEL `double` (plain JS numbers). Comparisons with integer literals (`fit >= 60`, `fit == 60`) type-check
 * because cel-js defines ordering across int and double and the environment adds the missing `double == int` and
 * arithmetic overloads (see cel-environment.ts).
 */

export type FieldType = 'string' | 'double' | 'bool' | 'list<string>'

export type FieldSpec = { type: FieldType; description: string }

/** A root either holds a value itself (`fit`) or is an object of named fields (`account.industry`). */
export type RootSpec =
  | { kind: 'value'; type: FieldType; description: string }
  | { kind: 'object'; fields: Record<string, FieldSpec>; description: string }

/**
 * Where a condition is written decides what it may read.
 * - `criterion`: ICP fit criteria and disqualifiers (who the buyer is, not what they did).
 * - `stage`: stage entry conditions and tiers (adds scores, signals and the lead's current stage).
 * - `routing`: routing rules (adds the tier the lead was given).
 */
export type ConditionScope = 'criterion' | 'stage' | 'routing'

/**
 * The account and person fields conditions read from the record's own columns; every other field of theirs comes from
 * the record's `attributes` (src/leads/qualify-events.ts `accountFacts`, `personFacts`).
 */
export const ACCOUNT_COLUMN_FIELDS = [
  'domain',
  'name',
  'industry',
  'employees',
  'revenue',
  'country',
  'region',
  'state',
  'segment',
  'technologies',
  'owner',
] as const
export const PERSON_COLUMN_FIELDS = ['email', 'email_domain', 'is_free_email', 'title', 'country'] as const

export const ACCOUNT_FIELDS: Record<string, FieldSpec> = {
  domain: { type: 'string', description: 'Primary web domain, lower case (`northwind.io`).' },
  name: { type: 'string', description: 'Company name.' },
  industry: { type: 'string', description: 'Industry label from enrichment or the CRM (`Healthcare`).' },
  sub_industry: { type: 'string', description: 'Finer industry label (`Health Insurance`).' },
  employees: { type: 'double', description: 'Head count.' },
  revenue: { type: 'double', description: 'Annual revenue in the workspace currency.' },
  country: { type: 'string', description: 'ISO 3166-1 alpha-2 country code (`US`, `DE`).' },
  region: { type: 'string', description: 'Sales region (`NA`, `EMEA`, `APAC`, `LATAM`).' },
  state: { type: 'string', description: 'State or province code (`NY`, `CA`).' },
  city: { type: 'string', description: 'City.' },
  segment: { type: 'string', description: 'Segment label (`smb`, `mid_market`, `enterprise`).' },
  technologies: { type: 'list<string>', description: 'Technologies detected or declared, lower case (`salesforce`).' },
  owner: { type: 'string', description: 'Rep id of the account owner; absent when nobody owns the account.' },
  product_line: { type: 'string', description: 'Product line the account buys or is evaluating.' },
  customer_status: { type: 'string', description: '`prospect`, `customer`, `former_customer` or `partner`.' },
  tags: { type: 'list<string>', description: 'Free tags from the CRM.' },
}

export const PERSON_FIELDS: Record<string, FieldSpec> = {
  email: { type: 'string', description: 'Email address, lower case.' },
  email_domain: { type: 'string', description: 'Domain part of the email address.' },
  is_free_email: { type: 'bool', description: 'True for gmail.com, outlook.com and other free mail providers.' },
  title: { type: 'string', description: 'Job title as entered.' },
  persona: { type: 'string', description: 'Persona id matched from the title (see `personas`).' },
  seniority: { type: 'string', description: '`c_level`, `vp`, `director`, `manager`, `individual` or `student`.' },
  department: { type: 'string', description: 'Department (`finance`, `it`, `operations`).' },
  country: { type: 'string', description: 'ISO 3166-1 alpha-2 country code of the person.' },
  state: { type: 'string', description: 'State or province code of the person.' },
}

/**
 * Whether a present value has the type conditions assume of a field. Conditions are type-checked against this
 * catalogue, so evaluation trusts the types it declares (`person.title.lowerAscii()` calls a string method): a value
 * of another type must be refused where records come in, or treated as absent, before a condition reads it.
 *
 * Example: `hasFieldType('list<string>', ['aws'])` → true; `hasFieldType('string', 42)` → false
 */
export function hasFieldType(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'double':
      return typeof value === 'number' && Number.isFinite(value)
    case 'bool':
      return typeof value === 'boolean'
    case 'list<string>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
  }
}

/** A catalogue type in an error message: `expected a list of strings`. */
export const FIELD_TYPE_NAMES: Record<FieldType, string> = {
  string: 'a string',
  double: 'a number',
  bool: 'true or false',
  'list<string>': 'a list of strings',
}

export const LEAD_FIELDS: Record<string, FieldSpec> = {
  source: { type: 'string', description: 'Original source (`organic_search`, `paid_search`, `referral`, `event`).' },
  medium: { type: 'string', description: 'UTM medium of the converting touch.' },
  campaign: { type: 'string', description: 'UTM campaign of the converting touch.' },
  product_interest: { type: 'string', description: 'Product the lead asked about.' },
  use_case: { type: 'string', description: 'Use case declared on a form.' },
  trigger: { type: 'string', description: 'Event type that created or advanced the lead (`demo_request`).' },
  form: { type: 'string', description: 'Id of the last form submitted.' },
}

export const ACCOUNT_ENGAGEMENT_FIELDS: Record<string, FieldSpec> = {
  engaged_people: { type: 'double', description: 'People at the account with intent > 0 in the intent window.' },
  engaged_personas: { type: 'list<string>', description: 'Distinct personas among the engaged people.' },
  committee_coverage: {
    type: 'double',
    description: 'Share (0–1) of buying-committee personas engaged at the account.',
  },
  intent: { type: 'double', description: 'Sum of the intent of the people at the account.' },
}

/** Names an Agreement declares itself; each becomes a typed field of its root. */
export type ScopeDeclarations = {
  lists: readonly string[]
  signals: readonly string[]
  accountSignals: readonly string[]
  stages: readonly string[]
  tiers: readonly string[]
}

function fieldsOf(names: readonly string[], type: FieldType, what: string): Record<string, FieldSpec> {
  const fields: Record<string, FieldSpec> = {}
  for (const name of names) fields[name] = { type, description: `${what} \`${name}\`` }
  return fields
}

/**
 * The roots a condition in `scope` may read, with their fields.
 *
 * Example: `listScopeRoots('criterion', decl).account.fields.industry.type === 'string'`
 */
export function listScopeRoots(scope: ConditionScope, decl: ScopeDeclarations): Record<string, RootSpec> {
  const roots: Record<string, RootSpec> = {
    account: { kind: 'object', fields: ACCOUNT_FIELDS, description: 'The account (company) of the person.' },
    person: { kind: 'object', fields: PERSON_FIELDS, description: 'The person behind the lead.' },
    lists: {
      kind: 'object',
      fields: fieldsOf(decl.lists, 'list<string>', 'Agreement list'),
      description: 'Named lists declared under `lists:`.',
    },
  }
  if (scope === 'criterion') {
    roots.account_signals = {
      kind: 'object',
      fields: fieldsOf(decl.accountSignals, 'bool', 'Account signal seen within the criterion window:'),
      description: 'Situational account signals (funding, hiring…) observed within the criterion `within` window.',
    }
    return roots
  }
  roots.lead = { kind: 'object', fields: LEAD_FIELDS, description: 'The lead (one qualification cycle).' }
  roots.fit = { kind: 'value', type: 'double', description: 'Fit score: sum of matched ICP criterion points.' }
  roots.intent = { kind: 'value', type: 'double', description: 'Intent score after decay.' }
  roots.stage = { kind: 'value', type: 'string', description: 'Current lifecycle stage (`Lead`, `MQL`…).' }
  roots.signals = {
    kind: 'object',
    fields: fieldsOf(decl.signals, 'bool', 'Windowed signal'),
    description: 'Windowed signals declared under `intent.signals`, true while they hold.',
  }
  roots.account_engagement = {
    kind: 'object',
    fields: ACCOUNT_ENGAGEMENT_FIELDS,
    description: 'Engagement of everyone at the account (for AQL).',
  }
  if (scope === 'routing') {
    roots.tier = { kind: 'value', type: 'string', description: 'Tier the lead was given (`hot`, `warm`…).' }
  }
  return roots
}
