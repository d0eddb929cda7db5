import { Environment } from '@marcbachmann/cel-js'
import { type ConditionScope, listScopeRoots, type RootSpec, type ScopeDeclarations } from './field-catalogue.ts'

/**
 * A typed CEL environment for one scope of one Agreement version. Building one costs about a millisecond, so build it
 * once per version (compileAgreement does) and reuse it for every condition of that scope.
 */
export type ConditionEnvironment = {
  scope: ConditionScope
  roots: Record<string, RootSpec>
  declarations: ScopeDeclarations
  lists: Readonly<Record<string, readonly string[]>>
  cel: Environment
}

function toNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v
}

/**
 * cel-js orders int against double but has no `double == int` or mixed arithmetic: without these, `fit == 60` and
 * `fit + 10 > 70` would be type errors for RevOps authors who never think about int versus double.
 */
function registerMixedNumberOperators(env: Environment): void {
  env.registerOperator('double == int', (a: number | bigint, b: number | bigint) => toNumber(a) === toNumber(b))
  for (const op of ['+', '-', '*', '/'] as const) {
    const apply = (x: number, y: number): number => {
      switch (op) {
        case '+':
          return x + y
        case '-':
          return x - y
        case '*':
          return x * y
        case '/':
          return x / y
      }
    }
    env.registerOperator(`double ${op} int`, (a: number | bigint, b: number | bigint) =>
      apply(toNumber(a), toNumber(b)),
    )
    env.registerOperator(`int ${op} double`, (a: number | bigint, b: number | bigint) =>
      apply(toNumber(a), toNumber(b)),
    )
  }
  env.registerOperator('double in list<int>', (a: number, b: readonly bigint[]) => b.some((x) => Number(x) === a))
}

/**
 * Build the environment for `scope`. `lists` become constants so conditions never need them in their context.
 *
 * Example: `createConditionEnvironment('stage', { lists: {}, signals: ['demo_request'], accountSignals: [], stages: ['MQL'], tiers: [] })`
 */
export function createConditionEnvironment(
  scope: ConditionScope,
  declarations: Omit<ScopeDeclarations, 'lists'> & { lists: Readonly<Record<string, readonly string[]>> },
): ConditionEnvironment {
  const decl: ScopeDeclarations = { ...declarations, lists: Object.keys(declarations.lists) }
  const roots = listScopeRoots(scope, decl)
  const cel = new Environment({ homogeneousAggregateLiterals: true })
  registerMixedNumberOperators(cel)
  for (const [name, root] of Object.entries(roots)) {
    if (name === 'lists') {
      // Declared as a plain map: cel-js does not check keys of a constant's schema, so the field walk in
      // compile-condition.ts checks list names instead.
      cel.registerConstant('lists', 'map<string, list<string>>', declarations.lists)
      continue
    }
    if (root.kind === 'value') {
      cel.registerVariable(name, root.type, { description: root.description })
      continue
    }
    const schema: Record<string, string> = {}
    for (const [field, spec] of Object.entries(root.fields)) schema[field] = spec.type
    // An empty schema would make every access an error before our clearer "unknown field" message.
    if (Object.keys(schema).length === 0)
      cel.registerVariable(name, 'map<string, dyn>', { description: root.description })
    else cel.registerVariable({ name, schema, description: root.description })
  }
  return { scope, roots, declarations: decl, lists: declarations.lists, cel }
}
