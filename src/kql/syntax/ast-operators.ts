/**
 * Tabular operator nodes (the right-hand side of `|`), part of the syntax tree in ast.ts, which
 * re-exports everything here. Each is named after its KQL word.
 */
import type { ColumnDecl, ContextualSubquery, CallExpr, Expr, Identifier, NameRef, NamedArg, Node, ScalarTypeName, Span } from './ast.js';

// ---------------------------------------------------------------------------------------------
// Tabular operators (right-hand side of `|`)
// ---------------------------------------------------------------------------------------------

/** `[name =] expr` or `(a, b) = expr` (multi-column results of e.g. `arg_max` or a tuple-returning function). */
export interface ColumnAssignment extends Node {
  kind: 'ColumnAssignment';
  /** Empty when the column name is derived from the expression (e.g. `count_`, `max_x`, `print_0`). */
  names: Identifier[];
  expr: Expr;
}

export interface SortKey extends Node {
  kind: 'SortKey';
  expr: Expr;
  /** Explicit order, undefined when not written (sort defaults to desc, top to desc). */
  order?: 'asc' | 'desc';
  /** Explicit nulls placement, undefined when not written. */
  nulls?: 'first' | 'last';
}

export type Operator =
  | WhereOp
  | ProjectOp
  | ProjectAwayOp
  | ProjectKeepOp
  | ProjectRenameOp
  | ProjectReorderOp
  | ProjectByNamesOp
  | ExtendOp
  | SummarizeOp
  | CountOp
  | TakeOp
  | TopOp
  | TopNestedOp
  | TopHittersOp
  | SortOp
  | DistinctOp
  | UnionOp
  | JoinOp
  | LookupOp
  | MvExpandOp
  | MvApplyOp
  | ParseOp
  | ParseWhereOp
  | ParseKvOp
  | MakeSeriesOp
  | SerializeOp
  | AsOp
  | InvokeOp
  | EvaluateOp
  | GetSchemaOp
  | SampleOp
  | SampleDistinctOp
  | RenderOp
  | SearchOp
  | ScanOp
  | PartitionOp
  | ForkOp
  | FacetOp
  | ConsumeOp
  | ReduceOp
  | ExecuteAndCacheOp
  | GraphOp;

/** `where` / `filter` */
export interface WhereOp extends Node {
  kind: 'WhereOp';
  predicate: Expr;
  /** Set for `where name = expr` (`=` where `==` was meant), which parses but never binds. */
  assigns?: Identifier;
}

export interface ProjectOp extends Node {
  kind: 'ProjectOp';
  columns: ColumnAssignment[];
}

/** Column-name patterns with `*` wildcards (`Initiating*`). */
export interface NamePattern extends Node {
  kind: 'NamePattern';
  pattern: string;
}

export interface ProjectAwayOp extends Node {
  kind: 'ProjectAwayOp';
  columns: NamePattern[];
}

export interface ProjectKeepOp extends Node {
  kind: 'ProjectKeepOp';
  columns: NamePattern[];
}

export interface ProjectRenameOp extends Node {
  kind: 'ProjectRenameOp';
  /** `oldName` is missing for a bare `project-rename x`, which parses but never binds (as in Kusto). */
  renames: { newName: Identifier; oldName?: Identifier; /** `x = f(y)`: an expression where the existing column's name belongs */ notAName?: Expr; span: Span }[];
}

export interface ProjectReorderOp extends Node {
  kind: 'ProjectReorderOp';
  columns: { pattern: NamePattern; order?: 'asc' | 'desc' | 'granny-asc' | 'granny-desc'; span: Span }[];
}

/** `project-by-names` (column names given as string expressions). */
export interface ProjectByNamesOp extends Node {
  kind: 'ProjectByNamesOp';
  names: Expr[];
}

export interface ExtendOp extends Node {
  kind: 'ExtendOp';
  columns: ColumnAssignment[];
}

/** `summarize [hint.x=y ...] aggs [by groups]` */
export interface SummarizeOp extends Node {
  kind: 'SummarizeOp';
  parameters: NamedArg[];
  aggregates: ColumnAssignment[];
  by: ColumnAssignment[];
}

/** `count [as Name]` */
export interface CountOp extends Node {
  kind: 'CountOp';
  as?: Identifier;
}

/** `take N` / `limit N` */
export interface TakeOp extends Node {
  kind: 'TakeOp';
  count: Expr;
}

/** `top N by expr [asc|desc] [nulls first|last]` */
export interface TopOp extends Node {
  kind: 'TopOp';
  count: Expr;
  by: SortKey;
}

/** `top-nested [N] of col [with others = v] by agg [asc|desc], ...` */
export interface TopNestedOp extends Node {
  kind: 'TopNestedOp';
  levels: TopNestedLevel[];
}

export interface TopNestedLevel extends Node {
  kind: 'TopNestedLevel';
  count?: Expr;
  of: ColumnAssignment;
  withOthers?: Expr;
  by: ColumnAssignment;
  order?: 'asc' | 'desc';
}

/** `top-hitters N of col [by expr]` */
export interface TopHittersOp extends Node {
  kind: 'TopHittersOp';
  count: Expr;
  of: Expr;
  by?: Expr;
}

/** `sort by` / `order by` */
export interface SortOp extends Node {
  kind: 'SortOp';
  keys: SortKey[];
}

/** `distinct *` (columns empty, star true) or `distinct a, b` */
export interface DistinctOp extends Node {
  kind: 'DistinctOp';
  star: boolean;
  /** `distinct a, b` or, as Kusto also takes, `distinct a, c = 1`. */
  columns: ColumnAssignment[];
}

/** `| union ...`: the piped input is the first table. */
export interface UnionOp extends Node {
  kind: 'UnionOp';
  parameters: NamedArg[];
  tables: Expr[];
}

/**
 * `join [kind=..] [hint.x=..] (right) on cond, ...` ; `on` items are either a plain column name (NameRef,
 * same name both sides) or `$left.a == $right.b` (BinaryExpr of MemberExprs).
 */
export interface JoinOp extends Node {
  kind: 'JoinOp';
  parameters: NamedArg[];
  right: Expr;
  on: Expr[];
}

/** `lookup [kind=leftouter|inner] (right) on keys` */
export interface LookupOp extends Node {
  kind: 'LookupOp';
  parameters: NamedArg[];
  right: Expr;
  on: Expr[];
}

/** One expanded item of mv-expand / mv-apply: `[name =] expr [to typeof(type)]`. */
export interface MvItem extends Node {
  kind: 'MvItem';
  name?: Identifier;
  expr: Expr;
  toType?: ScalarTypeName;
}

/** `mv-expand [bagexpansion=bag|array] [with_itemindex=I] items [limit N]` (also `mvexpand`). */
export interface MvExpandOp extends Node {
  kind: 'MvExpandOp';
  parameters: NamedArg[];
  items: MvItem[];
  limit?: Expr;
}

/** `mv-apply [with_itemindex=I] items [limit N] [id_column=..] on ( subquery )` */
export interface MvApplyOp extends Node {
  kind: 'MvApplyOp';
  parameters: NamedArg[];
  items: MvItem[];
  limit?: Expr;
  subquery: ContextualSubquery;
}

/** One element of a `parse` pattern: a literal string, a column capture `name[:type]`, or `*`. */
export type ParsePatternPart =
  | { kind: 'ParseLiteral'; value: string; span: Span }
  | { kind: 'ParseColumn'; name: Identifier; type?: ScalarTypeName; span: Span }
  | { kind: 'ParseStar'; span: Span };

/** `parse [kind=simple|regex|relaxed] [flags=...] expr with pattern` */
export interface ParseOp extends Node {
  kind: 'ParseOp';
  parameters: NamedArg[];
  source: Expr;
  pattern: ParsePatternPart[];
}

export interface ParseWhereOp extends Node {
  kind: 'ParseWhereOp';
  parameters: NamedArg[];
  source: Expr;
  pattern: ParsePatternPart[];
}

/** `parse-kv expr as (k:type, ...) with (pair_delimiter=..., kv_delimiter=..., quote=..., greedy=..., regex=...)` */
export interface ParseKvOp extends Node {
  kind: 'ParseKvOp';
  source: Expr;
  columns: ColumnDecl[];
  properties: NamedArg[];
}

/** `make-series [kind=nonempty] agg [default=v], ... on axis [from a] [to b] step s [by ...]` (or `in range(a,b,s)`). */
export interface MakeSeriesOp extends Node {
  kind: 'MakeSeriesOp';
  parameters: NamedArg[];
  aggregates: { assignment: ColumnAssignment; default?: Expr; span: Span }[];
  on: Expr;
  from?: Expr;
  to?: Expr;
  step: Expr;
  /** Set by the legacy `in range(a, b, s)` form, whose end b is inside the axis. */
  inclusiveEnd?: boolean;
  by: ColumnAssignment[];
}

export interface SerializeOp extends Node {
  kind: 'SerializeOp';
  columns: ColumnAssignment[];
}

/** `as [hint.materialized=true] Name` */
export interface AsOp extends Node {
  kind: 'AsOp';
  parameters: NamedArg[];
  name: Identifier;
}

/** `invoke f(args)`: calls a tabular function with the input as its first argument. */
export interface InvokeOp extends Node {
  kind: 'InvokeOp';
  call: CallExpr;
}

/** `evaluate [hint...] plugin(args)` */
export interface EvaluateOp extends Node {
  kind: 'EvaluateOp';
  parameters: NamedArg[];
  call: CallExpr;
  /** Declared output schema after `:` (`evaluate bag_unpack(d) : (*, Name:string)`). */
  outputSchema?: OutputSchema;
}

/** `(*, a:string, b:long)`: columns declared for a plugin's output or in `typeof(...)`; `open` when `*` is listed. */
export interface OutputSchema extends Node {
  kind: 'OutputSchema';
  columns: ColumnDecl[];
  open: boolean;
}

export interface GetSchemaOp extends Node {
  kind: 'GetSchemaOp';
}

export interface SampleOp extends Node {
  kind: 'SampleOp';
  count: Expr;
}

export interface SampleDistinctOp extends Node {
  kind: 'SampleDistinctOp';
  count: Expr;
  of: Expr;
}

/** `render chart [with (prop=value, ...)]`: a presentation hint; results pass through unchanged. */
export interface RenderOp extends Node {
  kind: 'RenderOp';
  chart: Identifier;
  properties: NamedArg[];
}

/** `| search predicate` */
export interface SearchOp extends Node {
  kind: 'SearchOp';
  parameters: NamedArg[];
  predicate: Expr;
}

/** `scan [order by ...] [partition by ...] [declare (...)] with (step ...)`: kept structured enough to bind. */
export interface ScanOp extends Node {
  kind: 'ScanOp';
  parameters: NamedArg[];
  orderBy: SortKey[];
  partitionBy: Expr[];
  declare: ColumnDecl[];
  declareDefaults: (Expr | undefined)[];
  steps: ScanStep[];
}

export interface ScanStep extends Node {
  kind: 'ScanStep';
  name: Identifier;
  optional: boolean;
  output?: 'all' | 'last' | 'none';
  predicate: Expr;
  assignments: ColumnAssignment[];
}

/** `partition [hint...] by col ( subquery )` or `{ subquery }` */
export interface PartitionOp extends Node {
  kind: 'PartitionOp';
  parameters: NamedArg[];
  by: Expr;
  subquery: ContextualSubquery;
}

/** `fork (op | op) (op) ...` with optional `name=` per branch */
export interface ForkOp extends Node {
  kind: 'ForkOp';
  branches: { name?: Identifier; subquery: ContextualSubquery; span: Span }[];
}

/** `facet by a, b [with (subquery)]` */
export interface FacetOp extends Node {
  kind: 'FacetOp';
  columns: NameRef[];
  with?: ContextualSubquery;
}

export interface ConsumeOp extends Node {
  kind: 'ConsumeOp';
  parameters: NamedArg[];
}

/** `reduce [kind=source] by expr [with threshold=..., characters=...]` (all named parameters in `parameters`) */
export interface ReduceOp extends Node {
  kind: 'ReduceOp';
  by: Expr;
  parameters: NamedArg[];
}

export interface ExecuteAndCacheOp extends Node {
  kind: 'ExecuteAndCacheOp';
}

/** Graph operators: see ast-graph.ts. */
export type { GraphOp } from './ast-graph.js';
import type { GraphOp } from './ast-graph.js';

