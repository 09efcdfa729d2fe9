/**
 * The KQL engine's entry point: `runQuery(text, options)` parses, binds (against the built-in Defender
 * schemas plus the tables of the source) and executes, returning result tables or diagnostics. It never
 * throws for a bad query: errors come back as diagnostics; limits end the query, never the process.
 */
import { diag, type Diagnostic } from '../common/diagnostics.js';
import { bind, catalogFromSource, defaultCatalog, mergeCatalogs, type BoundScript, type Catalog, type FunctionLibrary } from '../kql/semantics/index.js';
import { parse } from '../kql/syntax/index.js';
import type { ScalarTypeName, Script } from '../kql/syntax/ast.js';
import { EXECUTION } from './codes.js';
import { Env, type Runtime } from './compile/env.js';
import { memoryBudgetFor, MemoryMeter, mib, withMeter } from './memory.js';
import { failureDiagnostic } from './failure.js';
import { toTable, type Relation } from './compile/relation.js';
import { gatherColumn } from './storage/builders.js';
import { rowTextSize } from './format/encode.js';
import type { Table } from './storage/column.js';
import { snapshotOf, type TableSource } from './source.js';
import type { ExternalDataSource } from './external.js';
import { QueryError } from './values/value.js';
import { ENGINE_OPERATORS, ENGINE_PLUGINS, evalTabular, runStatements } from './run.js';

export { ENGINE_OPERATORS, ENGINE_PLUGINS };
export type { TableSource } from './source.js';
export { EXTERNAL_DATA_CODES, shownUrl, type ExternalData, type ExternalDataSource } from './external.js';
export { LOCAL_DATABASE, MemorySource, snapshotOf } from './source.js';
import type { QueryParameterValues } from './query-parameters.js';
export type { QueryParameterValues };

export interface QueryOptions {
  source?: TableSource;
  /** `now()` for the whole query, in ticks since 1970-01-01 (default: the wall clock at query start). */
  now?: bigint;
  /** Result rows kept per table (default 500,000, like Kusto's truncation). */
  maxRows?: number;
  timeoutMs?: number;
  /** How much the query may grow the process's memory by; default half of V8's heap limit, clamped to it. */
  memoryBudgetBytes?: number;
  /**
   * How large a result may be as text (about 2 bytes a character, as JavaScript holds it); rows past it are
   * cut with a warning, like maxRows (default: the memory budget). Whoever prints or sends the result
   * holds at least that much.
   */
  maxResultBytes?: number;
  signal?: AbortSignal;
  catalog?: Catalog;
  /**
   * A cache the queries of one hunt share (same source, same `now`): a table scan with the same where
   * chain is evaluated once. Results are identical to running each query alone.
   */
  sharedScans?: Map<string, Relation>;
  /**
   * Where `externaldata` reads its URLs: the permission to use the network lives here (src/ingest's
   * `externalDataSource`). Absent, externaldata fails with KQL4020 naming the URL.
   */
  externalData?: ExternalDataSource;
  /** Stored functions (ASIM parsers, watchlists) a query may call; see kql/semantics/function-library.ts. */
  library?: FunctionLibrary;
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
  const fail = (ds: Diagnostic[]): QueryResult => ({ ok: false, diagnostics: ds, tables: [], warnings: [], stats: { rowsScanned: 0, durationMs: Date.now() - started } });
  let prepared: { script: Script; bound: BoundScript; all: Diagnostic[] };
  try {
    const { script, diagnostics } = parse(text);
    // one view of the source for binding and running: every lookup of the query sees the same tables
    const source = snapshotOf(opts.source);
    if (source) opts = { ...opts, source };
    const catalog = opts.catalog ?? (source ? mergeCatalogs(defaultCatalog(), catalogFromSource(source)) : defaultCatalog());
    const bound = bind(script, { catalog, engineOperators: ENGINE_OPERATORS, enginePlugins: ENGINE_PLUGINS, ...(opts.library ? { library: opts.library } : {}) });
    prepared = { script, bound, all: [...diagnostics, ...bound.diagnostics].sort((a, b) => a.span.start - b.span.start) };
  } catch (e) {
    // reading the source's tables (a damaged schema file) or a bug in the front end: a diagnostic too
    return fail([failureDiagnostic(e, 'query')]);
  }
  if (prepared.all.some((d) => d.severity === 'error')) return fail(prepared.all);
  return runScript(prepared.script, prepared.bound, opts, prepared.all, started);
}

/** Executes an already parsed and bound script (callers that validated first, like hunts). */
export function runScript(script: Script, bound: BoundScript, opts: QueryOptions, diagnostics: Diagnostic[] = [], started = Date.now()): QueryResult {
  const source = snapshotOf(opts.source);
  const budget = memoryBudgetFor(opts.memoryBudgetBytes);
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const warnings: string[] = [];
  if (budget.clamped) warnings.push(`the memory budget was lowered to ${mib(budget.bytes)}, this process's heap limit (node --max-old-space-size raises it)`);
  const rt: Runtime = {
    bound,
    ctx: { now: opts.now ?? wallClockTicks(), options: new Map(), cursor: source?.cursor?.() ?? '' },
    ...(source ? { source } : {}),
    ...(opts.sharedScans ? { sharedScans: opts.sharedScans } : {}),
    ...(opts.externalData ? { externalData: opts.externalData } : {}),
    ...(opts.queryParameters ? { queryParameters: opts.queryParameters } : {}),
    limits: {
      maxRows: opts.maxRows ?? DEFAULT_MAX_ROWS,
      deadline: started + timeoutMs,
      timeoutMs,
      memory: new MemoryMeter(budget.bytes),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    warnings,
    stats: { rowsScanned: 0 },
    evalTabular: (e, env, implicit) => evalTabular(rt, e, env, implicit),
  };
  const failed = (d: Diagnostic): QueryResult => ({ ok: false, diagnostics: [...diagnostics, d], tables: [], warnings: rt.warnings, stats: { rowsScanned: rt.stats.rowsScanned, durationMs: Date.now() - started } });
  try {
    return withMeter(rt.limits.memory, () => {
      // library functions the query calls are declared first (bound with it; see bind's prelude)
      const relations = runStatements(rt, [...(bound.prelude ?? []), ...script.statements], new Env());
      const tables = relations.map((rel, i) => finish(rt, rel, i, opts.maxResultBytes ?? budget.bytes));
      return { ok: true, diagnostics, tables, warnings: rt.warnings, stats: { rowsScanned: rt.stats.rowsScanned, durationMs: Date.now() - started } };
    });
  } catch (e) {
    // Whatever happens inside, the query ends with a diagnostic, never the process: its limits, runtime
    // errors, stack exhaustion, an allocation V8 refused, and (a bug) anything else, named as such.
    return failed(failureDiagnostic(e, rt.limits.memory.operator, rt.limits.memory.budget));
  }
}

function finish(rt: Runtime, rel: Relation, i: number, maxResultBytes: number): ResultTable {
  let table = toTable(rel);
  const totalRows = table.length;
  const keep = rowsWithinText(table, Math.min(table.length, rt.limits.maxRows), maxResultBytes / 2);
  if (keep === 0 && table.length > 0) {
    throw new QueryError(`the result's first row alone would take more than ${mib(maxResultBytes)} as text, more than the query may hold: project fewer or smaller columns`, EXECUTION.memory);
  }
  if (keep < table.length) {
    rt.warnings.push(keep < rt.limits.maxRows
      ? `result ${i} truncated to ${keep} of ${table.length} rows: the rest would take more than ${mib(maxResultBytes)} as text (--memory-budget)`
      : `result ${i} truncated to ${keep} of ${table.length} rows (--max-rows)`);
    const idx = Int32Array.from({ length: keep }, (_, k) => k);
    table = { columns: table.columns.map((c) => ({ name: c.name, column: gatherColumn(c.column, idx) })), length: keep };
  }
  return { name: i === 0 ? 'PrimaryResult' : `Table_${i}`, columns: table.columns.map((c) => ({ name: c.name, type: c.column.type })), table, totalRows };
}

/** How many of the first `rows` rows of `t` fit in `chars` characters of text. */
function rowsWithinText(t: Table, rows: number, chars: number): number {
  let used = 0;
  for (let i = 0; i < rows; i++) {
    used += rowTextSize(t, i, chars - used + 1);
    if (used > chars) return i;
  }
  return rows;
}
