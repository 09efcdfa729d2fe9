/**
 * What a query sees while it runs: let bindings and function parameters (Env), and the runtime that holds
 * the bound tree, the reference time, the table source and the limits (Runtime).
 */
import v8 from 'node:v8';
import type { BoundScript } from '../../kql/semantics/index.js';
import type { Expr, FunctionDecl, PatternStatement, ScalarTypeName } from '../../kql/syntax/ast.js';
import type { TableSource } from '../source.js';
import { QueryError, type EvalContext, type Value } from '../values/value.js';
import type { Relation } from './relation.js';

/** A compiled scalar expression: its type and a closure over a PHYSICAL row index. */
export interface Compiled {
  type: ScalarTypeName;
  eval: (row: number) => Value;
  /** Set when the value does not depend on the row (lets, literals, folded calls). */
  constant?: boolean;
}

export type EnvEntry =
  | { kind: 'scalar'; value: Value; type: ScalarTypeName }
  | { kind: 'compiled'; compiled: Compiled }
  | { kind: 'tabular'; get: () => Relation }
  | { kind: 'function'; decl: FunctionDecl; env: Env }
  | { kind: 'pattern'; decl: PatternStatement; env: Env };

export class Env {
  readonly vars = new Map<string, EnvEntry>();
  constructor(readonly parent?: Env) {}

  lookup(name: string): EnvEntry | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  /** Every name in scope, innermost first. */
  names(): string[] {
    return [...this.vars.keys(), ...(this.parent?.names() ?? [])];
  }
}

export interface Limits {
  maxRows: number;
  deadline: number;
  memoryBudgetBytes: number;
  signal?: AbortSignal;
}

export interface Runtime {
  bound: BoundScript;
  ctx: EvalContext;
  source?: TableSource;
  limits: Limits;
  warnings: string[];
  stats: { rowsScanned: number };
  /** Scan + where-chain results shared by the queries of one hunt (src/engine/scan.ts keys them). */
  sharedScans?: Map<string, Relation>;
  /** Caller-supplied values for `declare query_parameters` (raw, converted by the declared type). */
  queryParameters?: Readonly<Record<string, unknown>>;
  /** Evaluates a tabular expression (set by run.ts; compile code calls back into it for sub-queries). */
  evalTabular(e: Expr, env: Env, implicit?: Relation): Relation;
}

/** Row loops call checkLimits when (i & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK: every 65,536 rows. */
export const LIMIT_CHECK_MASK = 0xffff;

/** Checked between operators and 65,536 rows inside long loops, never per row. */
export function checkLimits(rt: Runtime): void {
  if (rt.limits.signal?.aborted) throw new QueryError('the query was cancelled', 'KQL4002');
  if (Date.now() > rt.limits.deadline) throw new QueryError('the query ran past its time limit (--timeout)', 'KQL4003');
  // process.memoryUsage() reads the whole process's accounting (slow when a hunt checks thousands of times);
  // V8's heap statistics are cheap, and external_memory counts the typed arrays columns live in.
  const heap = v8.getHeapStatistics();
  const used = heap.used_heap_size + heap.external_memory;
  if (used > rt.limits.memoryBudgetBytes) throw new QueryError(`the query exceeded its memory budget (${Math.round(rt.limits.memoryBudgetBytes / 1048576)} MiB)`, 'KQL4004');
}
