/**
 * KQL semantics: types, the schema catalog, function signatures and the binder.
 * `checkQuery` is the one-call entry point (parse + bind) used by `kqlite check`, rule validation and the UI.
 */
import type { Diagnostic } from '../../common/diagnostics.js';
import { parse } from '../syntax/index.js';
import type { CallExpr, Expr, NameRef, ScalarTypeName, Script } from '../syntax/ast.js';
import { Binder, Scope, type BinderOptions, type CallTarget, type Ref } from './binder.js';
import { bindStatements } from './bind-tabular.js';
import { defaultCatalog, restrictCatalog, type Catalog } from './catalog.js';
import { checkDirectives } from './directives.js';
import { preludeFor, type FunctionLibrary } from './function-library.js';
import type { TableSchema } from './types.js';

export * from './types.js';
export * from './catalog.js';
export { SEMANTIC } from './codes.js';
export { FUNCTION_SIGNATURES, AGGREGATE_SIGNATURES, lookupFunction, lookupAggregate } from './signatures/index.js';
export type { FunctionSignature, ReturnRule } from './signatures/index.js';
export type { Ref, CallTarget, BinderOptions } from './binder.js';
export { nearestName } from './suggest.js';
export { multiColumnResult, type ExpandedColumn } from './multi-column.js';
export { OPERATOR_WORD, globMatch } from './bind-operators.js';
export { planUnion, type UnionPlan } from './union-schema.js';
export { reorderColumns } from './reorder.js';
export { FILE_PROFILE_COLUMNS, FILE_PROFILE_IDS, FILE_PROFILE_TABLE, fileProfileSchema, SEEN_BY_COLUMN, NETWORK_INFO_TABLE, ASSIGNED_IP_COLUMNS, DEVICE_FROM_IP_COLUMNS } from './defender-functions.js';
export { createLibrary, functionText, preludeFor, type FunctionLibrary, type LibraryFunction, type LibraryFunctionDef } from './function-library.js';

export interface BoundScript {
  diagnostics: Diagnostic[];
  /** Schemas of the query statements' results, in order. */
  resultSchemas: TableSchema[];
  typeOf(expr: Expr): ScalarTypeName | undefined;
  schemaOf(expr: Expr): TableSchema | undefined;
  refOf(name: NameRef): Ref | undefined;
  callOf(call: CallExpr): CallTarget | undefined;
  /** Library functions the script calls, as `let` statements to run before it (callees first). */
  prelude: import('../syntax/ast.js').LetStatement[];
  /** A function call whose body was bound again for its literal table names: the body's binding for it. */
  callBinding(call: CallExpr): BoundScript | undefined;
}

/** A binder's results as a BoundScript; nodes it did not bind are looked up in `parent`. */
function boundOf(b: Binder, prelude: BoundScript['prelude'], parent?: BoundScript): BoundScript {
  const self: BoundScript = {
    prelude,
    diagnostics: b.diagnostics,
    resultSchemas: b.resultSchemas,
    typeOf: (e) => b.types.get(e) ?? parent?.typeOf(e),
    schemaOf: (e) => b.schemas.get(e) ?? parent?.schemaOf(e),
    refOf: (n) => b.refs.get(n) ?? parent?.refOf(n),
    callOf: (c) => b.calls.get(c) ?? parent?.callOf(c),
    callBinding: (c) => {
      const inner = b.callBindings.get(c);
      return inner ? boundOf(inner, prelude, self) : parent?.callBinding(c);
    },
  };
  return self;
}

export function bind(script: Script, options: Partial<BinderOptions> & { library?: FunctionLibrary } = {}): BoundScript {
  const { library, ...rest } = options;
  const b = new Binder({ catalog: options.catalog ?? defaultCatalog(), ...rest } as BinderOptions);
  // Library functions are bound in an outer scope; what is wrong inside them is the library's, not the query's.
  const root = new Scope();
  const prelude = preludeFor(script, library).map((f) => f.statement);
  if (prelude.length) {
    bindStatements(b, prelude, root, false);
    b.diagnostics.length = 0;
  }
  checkDirectives(b, script.directives ?? []);
  bindStatements(b, script.statements, prelude.length ? new Scope(root) : root);
  return boundOf(b, prelude);
}

export interface CheckResult {
  script: Script;
  bound: BoundScript;
  /** Syntax and semantic diagnostics together, in source order (binding runs even after syntax errors). */
  diagnostics: Diagnostic[];
}

/**
 * Parse and bind. `tables` restricts the catalog to the tables a rule declares, so a query that reads a
 * table its rule does not declare is reported.
 */
export function checkQuery(text: string, options: { catalog?: Catalog; tables?: readonly string[]; library?: FunctionLibrary } & Partial<BinderOptions> = {}): CheckResult {
  const { script, diagnostics } = parse(text);
  let catalog = options.catalog ?? defaultCatalog();
  if (options.tables && options.tables.length) catalog = restrictCatalog(catalog, options.tables);
  const bound = bind(script, { ...options, catalog });
  const all = [...diagnostics, ...bound.diagnostics].sort((a, b) => a.span.start - b.span.start);
  return { script, bound, diagnostics: all };
}
