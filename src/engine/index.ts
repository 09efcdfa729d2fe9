/**
 * The KQL engine's entry point: `runQuery(text, options)` parses, binds (against the built-in Defender
 * schemas plus the tables of the source) and executes, returning result tables or diagnostics. It never
 * throws for a bad query: errors come back as diagnostics; limits end the query, never the process.
 */
import { diag, type Diagnostic } from '../common/diagnostics.js';
import { bind, catalogFromSource, defaultCatalog, mergeCatalogs, type BoundScript, type Catalog } from '../kql/semantics/index.js';
import { parse } from '../kql/syntax/index.js';
import type { ScalarTypeName, Script } from '../kql/syntax/ast.js';
import { Env, type Runtime } from './compile/env.js';
import { toTable, type Relation } from './compile/relation.js';
import { gatherColumn } from './storage/builders.js';
import type { Table } from './storage/column.js';
import { snapshotOf, type TableSource } from './source.js';
import { QueryError } from './values/value.js';
import { ENGINE_OPERATORS, ENGINE_PLUGINS, evalTabular, runStatements } from './run.js';

export { ENGINE_OPERATORS, ENGINE_PLUGINS };
export type { TableSource } from './source.js';
export { MemorySource, snapshotOf } from './source.js';
import type { QueryParameterValues } from './query-parameters.js';
export type { QueryParameterValues };

export interface QueryOptions {
  source?: TableSource;
  /** `now()` for the whole query, in ticks since 1970-01-01 (default: the wall clock at query start). */
  now?: bigint;
  /** Result rows kept per table (default 500,000, like Kusto's truncation). */
  maxRows?: number;
  timeoutMs?: number;
  memoryBudgetBytes?: number;
  signal?: AbortSignal;
  catalog?: Catalog;
  /**
   * A cache the queries of one hunt share (same source, same `now`): a table scan with the same where
   * chain is evaluated once. Results are identical to running each query alone.
   */
  sharedScans?: Map<string, Relation>;
  /** Values for the script's `declare query_parameters` (see query-parameters.ts), by parameter name. */
  queryParameters?: QueryParameterValues;
}

export interface ResultTable {
  name: string;
  columns: { name: string; type: ScalarTypeName }[];
  table: Table;
  /** Rows the query produced; more than `table.length` when the result was truncated to maxRows. */
  totalRows: number;
}

export interface QueryResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  tables: ResultTable[];
  warnings: string[];
  stats: { rowsScanned: number; durationMs: number };
}

export const DEFAULT_MAX_ROWS = 500_000;

export function wallClockTicks(): bigint {
  return BigInt(Date.now()) * 10_000n;
}

export function runQuery(text: string, opts: QueryOptions = {}): QueryResult {
  const started = Date.now();
  const { script, diagnostics } = parse(text);
  // one view of the source for binding and running: every lookup of the query sees the same tables
  const source = snapshotOf(opts.source);
  if (source) opts = { ...opts, source };
  const catalog = opts.catalog ?? (source ? mergeCatalogs(defaultCatalog(), catalogFromSource(source)) : defaultCatalog());
  const bound = bind(script, { catalog, engineOperators: ENGINE_OPERATORS, enginePlugins: ENGINE_PLUGINS });
  const all = [...diagnostics, ...bound.diagnostics].sort((a, b) => a.span.start - b.span.start);
  const fail = (ds: Diagnostic[]): QueryResult => ({ ok: false, diagnostics: ds, tables: [], warnings: [], stats: { rowsScanned: 0, durationMs: Date.now() - started } });
  if (all.some((d) => d.severity === 'error')) return fail(all);
  return runScript(script, bound, opts, all, started);
}

/** Executes an already parsed and bound script (callers that validated first, like hunts). */
export function runScript(script: Script, bound: BoundScript, opts: QueryOptions, diagnostics: Diagnostic[] = [], started = Date.now()): QueryResult {
  const source = snapshotOf(opts.source);
  const rt: Runtime = {
    bound,
    ctx: { now: opts.now ?? wallClockTicks(), options: new Map(), cursor: source?.cursor?.() ?? '' },
    ...(source ? { source } : {}),
    ...(opts.sharedScans ? { sharedScans: opts.sharedScans } : {}),
    ...(opts.queryParameters ? { queryParameters: opts.queryParameters } : {}),
    limits: {
      maxRows: opts.maxRows ?? DEFAULT_MAX_ROWS,
      deadline: started + (opts.timeoutMs ?? 10 * 60_000),
      memoryBudgetBytes: opts.memoryBudgetBytes ?? 8 * 1024 ** 3,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    warnings: [],
    stats: { rowsScanned: 0 },
    evalTabular: (e, env, implicit) => evalTabular(rt, e, env, implicit),
  };
  try {
    const relations = runStatements(rt, script.statements, new Env());
    const tables = relations.map((rel, i) => finish(rt, rel, i));
    return { ok: true, diagnostics, tables, warnings: rt.warnings, stats: { rowsScanned: rt.stats.rowsScanned, durationMs: Date.now() - started } };
  } catch (e) {
    // Runtime errors of the query end it with a diagnostic; stack exhaustion or allocation failures too.
    if (!(e instanceof QueryError) && !(e instanceof RangeError)) throw e;
    const err = e as Error & { code?: string };
    const code = e instanceof QueryError ? e.code : 'KQL4004';
    const message = e instanceof QueryError ? err.message : `the query ran out of resources: ${err.message}`;
    return { ok: false, diagnostics: [...diagnostics, diag(code, 'error', message, { start: 0, end: 0 })], tables: [], warnings: rt.warnings, stats: { rowsScanned: rt.stats.rowsScanned, durationMs: Date.now() - started } };
  }
}

function finish(rt: Runtime, rel: Relation, i: number): ResultTable {
  let table = toTable(rel);
  const totalRows = table.length;
  if (table.length > rt.limits.maxRows) {
    rt.warnings.push(`result ${i} truncated to ${rt.limits.maxRows} of ${table.length} rows (--max-rows)`);
    const idx = Int32Array.from({ length: rt.limits.maxRows }, (_, k) => k);
    table = { columns: table.columns.map((c) => ({ name: c.name, column: gatherColumn(c.column, idx) })), length: rt.limits.maxRows };
  }
  return { name: i === 0 ? 'PrimaryResult' : `Table_${i}`, columns: table.columns.map((c) => ({ name: c.name, type: c.column.type })), table, totalRows };
}
