/**
 * The binder: gives every scalar expression a type and every tabular expression a result schema, resolves
 * names (columns, lets, parameters, tables, functions) and reports semantic diagnostics. Results live in
 * side tables keyed by node, so the tree stays a plain value. Expressions: bind-expressions.ts; tabular
 * operators: bind-operators.ts.
 */
import { diag, type Diagnostic } from '../../common/diagnostics.js';
import type { Span } from '../../common/span.js';
import type { CallExpr, Expr, FunctionDecl, LetStatement, NameRef, Parameter, ScalarTypeName, Script, Statement } from '../syntax/ast.js';
import type { Catalog } from './catalog.js';
import type { FunctionSignature } from './signatures/index.js';
import type { ColumnSchema, TableSchema } from './types.js';

export type Symbol =
  | { kind: 'scalar'; type: ScalarTypeName; statement?: LetStatement; param?: Parameter; /** a parameter given a string literal at the call being bound (table(name) resolves it) */ constant?: string }
  | { kind: 'tabular'; schema: TableSchema; statement?: LetStatement; param?: Parameter }
  | { kind: 'function'; decl: FunctionDecl; statement: LetStatement; /** where it was declared */ scope?: Scope };

export type Ref =
  | { kind: 'column'; name: string; type: ScalarTypeName }
  | { kind: 'let'; statement: LetStatement }
  | { kind: 'parameter'; param: Parameter }
  | { kind: 'table'; name: string; schema: TableSchema }
  | { kind: 'function'; statement: LetStatement };

export type CallTarget =
  | { kind: 'scalar'; signature: FunctionSignature }
  | { kind: 'aggregate'; signature: FunctionSignature }
  | { kind: 'user'; statement: LetStatement }
  | { kind: 'plugin'; name: string };

export class Scope {
  readonly symbols = new Map<string, Symbol>();
  constructor(readonly parent?: Scope) {}

  lookup(name: string): Symbol | undefined {
    return this.symbols.get(name) ?? this.parent?.lookup(name);
  }

  names(): string[] {
    return [...this.symbols.keys(), ...(this.parent?.names() ?? [])];
  }
}

/** The columns in scope inside an operator (plus `$left`/`$right` inside a join's `on`). */
export interface Row {
  schema: TableSchema;
  left?: TableSchema;
  right?: TableSchema;
  /** Aggregates are allowed here (summarize, make-series, top-nested). */
  aggregates?: boolean;
  /** Inside scan steps: `step.Column` reads a column of that step's state. */
  steps?: ReadonlyMap<string, TableSchema>;
  /** Inside graph-match / graph-shortest-paths: the pattern's variables and the graph's properties. */
  graph?: import('./bind-graph.js').GraphRow;
}

export interface BinderOptions {
  catalog: Catalog;
  /** Operator words the engine runs; when given, others are reported as unsupported. */
  engineOperators?: ReadonlySet<string>;
  enginePlugins?: ReadonlySet<string>;
}

export class Binder {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<Expr, ScalarTypeName>();
  readonly schemas = new Map<Expr, TableSchema>();
  readonly refs = new Map<NameRef, Ref>();
  readonly calls = new Map<CallExpr, CallTarget>();
  readonly resultSchemas: TableSchema[] = [];
  /** Expressions whose type kqlite computed from a dynamic (unknown) argument: not certain enough to check. */
  readonly guessed = new WeakSet<Expr>();
  /** The implicit input of the sub-pipeline being bound (mv-apply, partition, fork, facet). */
  implicit: TableSchema[] = [];
  /**
   * Calls of a function whose body reads table(parameter), bound again for that call with its literal table
   * names (bind-tabular.ts userFunctionResult): the engine runs the body with these schemas and types.
   */
  readonly callBindings = new Map<CallExpr, Binder>();
  /** Guards recursion through user functions that call themselves. */
  readonly functionDepth = new Map<FunctionDecl, number>();

  constructor(readonly options: BinderOptions) {}

  error(code: string, message: string, span: Span, suggestion?: string): void {
    this.diagnostics.push(diag(code, 'error', message, span, suggestion));
  }

  warning(code: string, message: string, span: Span): void {
    this.diagnostics.push(diag(code, 'warning', message, span));
  }
}

export const OPEN_SCHEMA: TableSchema = { columns: [], open: true };

export function findColumn(schema: TableSchema, name: string): ColumnSchema | undefined {
  return schema.columns.find((c) => c.name === name);
}

export type BindStatements = (b: Binder, statements: Statement[], scope: Scope) => void;
export type { Script };
