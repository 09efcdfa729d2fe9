/**
 * The KQL syntax tree: plain discriminated unions (`kind`), every node with a source span.
 *
 * One `Expr` union holds scalar and tabular expressions alike, because KQL cannot tell them apart
 * syntactically in many places (`let x = ...`, function bodies, `toscalar(...)`, `in (...)`); the binder
 * decides which is which. A pipeline `T | where p | take 5` is `Pipe(Pipe(NameRef T, Where), Take)`.
 *
 * Operator nodes are named after the KQL word (`Summarize` for `summarize`, `MvExpand` for `mv-expand`),
 * the same word the parser (`parseSummarize`), binder (`bindSummarize`) and engine
 * (`engine/operators/summarize.ts`) use.
 */
import type { Span } from '../../common/span.js';

export type { Span };

/** KQL scalar type names as written in queries (aliases like `int32`, `date`, `time`, `double`, `uuid`, `boolean` are normalised by the parser). */
export type ScalarTypeName =
  | 'bool'
  | 'int'
  | 'long'
  | 'real'
  | 'decimal'
  | 'string'
  | 'datetime'
  | 'timespan'
  | 'guid'
  | 'dynamic';

export interface Node {
  span: Span;
}

export interface Identifier extends Node {
  kind: 'Identifier';
  /** The name with brackets/quotes removed: `['my col']` → `my col`. */
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Script and statements
// ---------------------------------------------------------------------------------------------

export interface Script extends Node {
  kind: 'Script';
  /** Client directives before the first statement (`#connect ...`): kept for the binder to judge, never run. */
  directives?: Directive[];
  statements: Statement[];
}

/** A client directive line, `#name argument`. */
export interface Directive extends Node {
  kind: 'Directive';
  name: string;
  argument: string;
}

export type Statement = LetStatement | DeclareQueryParametersStatement | SetStatement | QueryStatement | PatternStatement;

/** `let name = <expr>` ; the value may be a function (`(a:long) { ... }`) or view (`view () { ... }`). */
export interface LetStatement extends Node {
  kind: 'LetStatement';
  name: Identifier;
  value: Expr | FunctionDecl;
}

/** `declare query_parameters(name:type [= default], ...)` */
export interface DeclareQueryParametersStatement extends Node {
  kind: 'DeclareQueryParametersStatement';
  parameters: Parameter[];
}

/** `set name [= value]` (client request properties; recorded, not executed). */
export interface SetStatement extends Node {
  kind: 'SetStatement';
  name: Identifier;
  value?: Expr;
}

/**
 * `declare pattern name [= (arg:type, ...) [[path:type]] { (value, ...)[.[pathValue]] = { query }; ... }]`.
 * `text` is the statement after the name; `rules` are the bodies, each chosen by its argument values.
 */
export interface PatternStatement extends Node {
  kind: 'PatternStatement';
  name: Identifier;
  text: string;
  parameters: Parameter[];
  pathParameter?: Parameter;
  rules: PatternRule[];
}

/** One body of a pattern: `("USA").["New York"] = { print Capital = "Albany" }` (values may be `*`). */
export interface PatternRule extends Node {
  kind: 'PatternRule';
  args: Expr[];
  path?: Expr;
  body: FunctionBody;
}

export interface QueryStatement extends Node {
  kind: 'QueryStatement';
  expr: Expr;
}

/** A user-defined function or view: `(x:long, T:(a:string, *), y:string = 'd') { let z = 1; T | ... }` */
export interface FunctionDecl extends Node {
  kind: 'FunctionDecl';
  isView: boolean;
  parameters: Parameter[];
  body: FunctionBody;
}

export interface FunctionBody extends Node {
  kind: 'FunctionBody';
  /** `let` statements inside the body, in order. */
  statements: Statement[];
  /** The final expression whose value the function returns. */
  result: Expr;
}

export interface Parameter extends Node {
  kind: 'Parameter';
  name: Identifier;
  /** A scalar type, or a tabular schema `(col:type, ..., *)`. */
  type: ParameterType;
  default?: Expr;
}

export type ParameterType =
  | { kind: 'ScalarParamType'; type: ScalarTypeName; span: Span }
  | { kind: 'TabularParamType'; columns: ColumnDecl[]; open: boolean; span: Span };

/** `name:type` in datatable, externaldata, parse-kv, tabular parameter schemas. */
export interface ColumnDecl extends Node {
  kind: 'ColumnDecl';
  name: Identifier;
  type: ScalarTypeName;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type Expr =
  // scalar
  | Literal
  | NameRef
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | BetweenExpr
  | CallExpr
  | MemberExpr
  | IndexExpr
  | StarExpr
  | ParenExpr
  | ListExpr
  | ErrorExpr
  | TypeExpr
  // tabular
  | PipeExpr
  | DatatableExpr
  | PrintExpr
  | RangeExpr
  | UnionExpr
  | SearchExpr
  | FindExpr
  | ExternaldataExpr
  | EvaluateExpr
  | ImplicitInput
  | ContextualSubquery;

export type LiteralValue = null | boolean | number | bigint | string | DynamicValue;
/** JSON-like value of a `dynamic(...)` literal. An integer beyond ±2^53 is a bigint (exact int64); every other number a number. */
export type DynamicValue = null | boolean | number | bigint | string | DynamicValue[] | { [key: string]: DynamicValue };

/**
 * A literal of any scalar type. `value` is already decoded:
 * - bool → boolean; int/long/real/decimal → number (long keeps its exact digits in `text`);
 * - string → the unescaped string (adjacent string literals are concatenated, as Kusto does);
 * - datetime → bigint ticks (100 ns) since 1970-01-01T00:00:00Z; timespan → bigint ticks;
 * - guid → lower-case canonical string; dynamic → DynamicValue;
 * - `null` for typed nulls (`long(null)`, `datetime(null)`, `dynamic(null)`).
 * `real(nan)`, `real(+inf)`, `real(-inf)` → NaN / ±Infinity.
 */
export interface Literal extends Node {
  kind: 'Literal';
  type: ScalarTypeName;
  value: LiteralValue;
  /** Source text of the literal (for exact longs/decimals and for diagnostics). */
  text: string;
  /** True for obfuscated strings `h'...'` (hide from logs). */
  obfuscated?: boolean;
}

/** A column, variable, table, or `$left` / `$right` reference. */
export interface NameRef extends Node {
  kind: 'NameRef';
  name: string;
  /** True when written bracketed (`['x']`), so keywords are plain names. */
  quoted?: boolean;
}

export interface UnaryExpr extends Node {
  kind: 'UnaryExpr';
  op: '-' | '+';
  operand: Expr;
}

/**
 * Binary operators, `op` as written but normalised to lower case where KQL is case-insensitive:
 * arithmetic `+ - * / %`; comparison `== != < <= > >= =~ !~ <>`; logic `and or`;
 * string: `has !has has_cs !has_cs hasprefix !hasprefix hasprefix_cs !hasprefix_cs hassuffix !hassuffix
 * hassuffix_cs !hassuffix_cs contains !contains contains_cs !contains_cs startswith !startswith
 * startswith_cs !startswith_cs endswith !endswith endswith_cs !endswith_cs matches regex like notlike likecs notlikecs`.
 */
export interface BinaryExpr extends Node {
  kind: 'BinaryExpr';
  op: string;
  opSpan: Span;
  left: Expr;
  right: Expr;
}

/** `x in (a, b)`, `x !in (...)`, `in~`, `!in~`, `has_any (...)`, `has_all (...)`, `has_any_cs`. The list may hold a tabular expression. */
export interface InExpr extends Node {
  kind: 'InExpr';
  op: 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all' | 'has_any_cs' | 'has_all_cs';
  opSpan: Span;
  left: Expr;
  right: Expr[];
}

/** `x between (low .. high)` / `x !between (low .. high)` */
export interface BetweenExpr extends Node {
  kind: 'BetweenExpr';
  negated: boolean;
  left: Expr;
  low: Expr;
  high: Expr;
}

/** A function, aggregate or user-function call. Named arguments appear as `NamedArg`. */
export interface CallExpr extends Node {
  kind: 'CallExpr';
  name: Identifier;
  args: (Expr | NamedArg)[];
}

export interface NamedArg extends Node {
  kind: 'NamedArg';
  name: Identifier;
  value: Expr;
}

/** `a.b` (dynamic property, or `$left.col`, or `cluster('x').database('y')` chains). */
export interface MemberExpr extends Node {
  kind: 'MemberExpr';
  target: Expr;
  name: Identifier;
}

/** `a['b']`, `a[0]`, `a[-1]` */
export interface IndexExpr extends Node {
  kind: 'IndexExpr';
  target: Expr;
  index: Expr;
}

/** `*` as an argument (`count(*)`, `arg_max(x, *)`, `hash_many(*)`), or `T | project *`-like positions. */
export interface StarExpr extends Node {
  kind: 'StarExpr';
}

/** `( expr )`: kept so spans and tabular/scalar grouping survive. */
export interface ParenExpr extends Node {
  kind: 'ParenExpr';
  expr: Expr;
}

/** `(a, b, c)` in positions that take a list (e.g. `pack_array` style tuples, `(x, y) = f()`). */
export interface ListExpr extends Node {
  kind: 'ListExpr';
  items: Expr[];
}

/** `typeof(long)` or `typeof(*, a:string)`: a type or schema written as an argument. */
export interface TypeExpr extends Node {
  kind: 'TypeExpr';
  type?: ScalarTypeName;
  schema?: import('./ast-operators.js').OutputSchema;
}

/** Placeholder where the parser could not read an expression (a diagnostic was reported). */
export interface ErrorExpr extends Node {
  kind: 'ErrorExpr';
}

// ---- tabular expressions -------------------------------------------------------------------

/** `source | operator` */
export interface PipeExpr extends Node {
  kind: 'PipeExpr';
  source: Expr;
  op: Operator;
}

/** The input of a sub-pipeline in `mv-apply ... on (...)`, `facet ... with (...)`, `fork (...)`, `partition ... (...)`, `as`. */
export interface ImplicitInput extends Node {
  kind: 'ImplicitInput';
}

/** A parenthesised/braced sub-pipeline that starts from the implicit input: `( top 1 by x | project y )`. */
export interface ContextualSubquery extends Node {
  kind: 'ContextualSubquery';
  /** A pipeline whose innermost source is `ImplicitInput`. */
  body: Expr;
}

/** `datatable(a:long, b:string) [1, 'x', 2, 'y']` */
export interface DatatableExpr extends Node {
  kind: 'DatatableExpr';
  columns: ColumnDecl[];
  values: Expr[];
}

/** `print [name =] expr, ...` */
export interface PrintExpr extends Node {
  kind: 'PrintExpr';
  columns: ColumnAssignment[];
}

/** `range x from a to b step s` */
export interface RangeExpr extends Node {
  kind: 'RangeExpr';
  name: Identifier;
  from: Expr;
  to: Expr;
  step: Expr;
}

/** `union [kind=inner|outer] [withsource=Name] [isfuzzy=true] T1, T2, (T3 | ...)`, as a source or after `|`. */
export interface UnionExpr extends Node {
  kind: 'UnionExpr';
  parameters: NamedArg[];
  /** Table references; may include wildcards as NameRef (`Device*`). */
  tables: Expr[];
}

/** `search [kind=case_sensitive] [in (T1, T2)] predicate`, as a source or after `|`. */
export interface SearchExpr extends Node {
  kind: 'SearchExpr';
  parameters: NamedArg[];
  tables: Expr[];
  predicate: Expr;
}

/** `find [withsource=N] [in (T1, ...)] where predicate [project ...| project-smart]` */
export interface FindExpr extends Node {
  kind: 'FindExpr';
  parameters: NamedArg[];
  tables: Expr[];
  predicate: Expr;
  project?: Expr[];
  projectSmart?: boolean;
}

/** `externaldata(a:string, ...) [ 'url', ... ] [with (...)]`: parsed; the engine refuses it (needs outside data). */
export interface ExternaldataExpr extends Node {
  kind: 'ExternaldataExpr';
  columns: ColumnDecl[];
  uris: Expr[];
  properties: NamedArg[];
}

/** `evaluate plugin(args)` as a source (plugins that take no input). */
export interface EvaluateExpr extends Node {
  kind: 'EvaluateExpr';
  parameters: NamedArg[];
  call: CallExpr;
}

export * from './ast-operators.js';
export * from './ast-graph.js';
import type { Operator, ColumnAssignment, SortKey, MvItem, NamePattern, TopNestedLevel, ScanStep } from './ast-operators.js';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

export type AnyNode = Script | Statement | Expr | Operator | FunctionDecl | FunctionBody | Parameter | ColumnDecl | ColumnAssignment | SortKey | NamedArg | MvItem | NamePattern | Identifier | TopNestedLevel | ScanStep;

/** Operator words as they appear after `|`, mapped to the node kind the parser produces. */
export const OPERATOR_WORDS: Readonly<Record<string, Operator['kind']>> = {
  where: 'WhereOp',
  filter: 'WhereOp',
  project: 'ProjectOp',
  'project-away': 'ProjectAwayOp',
  'project-keep': 'ProjectKeepOp',
  'project-rename': 'ProjectRenameOp',
  'project-reorder': 'ProjectReorderOp',
  'project-by-names': 'ProjectByNamesOp',
  extend: 'ExtendOp',
  summarize: 'SummarizeOp',
  count: 'CountOp',
  take: 'TakeOp',
  limit: 'TakeOp',
  top: 'TopOp',
  'top-nested': 'TopNestedOp',
  'top-hitters': 'TopHittersOp',
  sort: 'SortOp',
  order: 'SortOp',
  distinct: 'DistinctOp',
  union: 'UnionOp',
  join: 'JoinOp',
  lookup: 'LookupOp',
  'mv-expand': 'MvExpandOp',
  mvexpand: 'MvExpandOp',
  'mv-apply': 'MvApplyOp',
  mvapply: 'MvApplyOp',
  parse: 'ParseOp',
  'parse-where': 'ParseWhereOp',
  'parse-kv': 'ParseKvOp',
  'make-series': 'MakeSeriesOp',
  serialize: 'SerializeOp',
  as: 'AsOp',
  invoke: 'InvokeOp',
  evaluate: 'EvaluateOp',
  getschema: 'GetSchemaOp',
  sample: 'SampleOp',
  'sample-distinct': 'SampleDistinctOp',
  render: 'RenderOp',
  search: 'SearchOp',
  scan: 'ScanOp',
  partition: 'PartitionOp',
  fork: 'ForkOp',
  facet: 'FacetOp',
  consume: 'ConsumeOp',
  reduce: 'ReduceOp',
  'execute-and-cache': 'ExecuteAndCacheOp',
  'make-graph': 'GraphOp',
  'graph-match': 'GraphOp',
  'graph-shortest-paths': 'GraphOp',
  'graph-to-table': 'GraphOp',
  'graph-mark-components': 'GraphOp',
  'graph-merge': 'GraphOp',
};
