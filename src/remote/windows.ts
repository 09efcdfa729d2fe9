/**
 * Windowed re-queries for the APIs that cap a result (Log Analytics 500,000 rows, Defender 100,000): a
 * query whose every operator works row by row (filters, projections, parsing, mv-expand over one table)
 * gives the same rows over a time window as the union of its runs over the window's halves, so a capped
 * answer is asked again in halves until each fits. A query that aggregates, joins, sorts or takes cannot
 * be split that way; it is refused with a clear message instead of returning a silently cut result.
 */
import { OPERATOR_WORD } from '../kql/semantics/index.js';
import { parse, type Expr } from '../kql/syntax/index.js';
import { formatDatetime } from '../engine/values/ticks.js';

const ROW_WISE = new Set(['where', 'extend', 'project', 'project-away', 'project-keep', 'project-rename', 'project-reorder', 'parse', 'parse-where', 'parse-kv', 'mv-expand', 'search']);

/** The table a windowable query reads, with where its name ends in the text (a window filter goes there). */
export function windowSource(text: string): { table: string; end: number } | string {
  const { script, diagnostics } = parse(text);
  if (diagnostics.some((d) => d.severity === 'error')) return 'the query does not parse';
  const queries = script.statements.filter((s) => s.kind === 'QueryStatement');
  if (queries.length !== 1) return 'the script has more than one query';
  if (script.statements.some((s) => s.kind === 'LetStatement')) return 'the query defines let statements (their tables would be windowed too)';
  let e: Expr = (queries[0] as { expr: Expr }).expr;
  while (e.kind === 'PipeExpr') {
    const word = OPERATOR_WORD[e.op.kind] ?? e.op.kind;
    if (!ROW_WISE.has(word)) return `'${word}' combines rows, so its result over a window is not the union of its results over the window's halves`;
    e = e.source;
  }
  if (e.kind !== 'NameRef') return 'the query does not read one table directly';
  return { table: e.name, end: e.span.end };
}

/**
 * The query restricted to `w` (half-open, so neighbouring windows never share a row) by a filter on the
 * table's time column placed right after the table.
 */
export function windowedQuery(text: string, source: { end: number }, timeColumn: string, w: Window): string {
  const lit = (t: bigint) => `datetime(${formatDatetime(t)})`;
  return `${text.slice(0, source.end)} | where ${timeColumn} >= ${lit(w.start)} and ${timeColumn} < ${lit(w.end)}${text.slice(source.end)}`;
}

export interface Window { start: bigint; end: bigint }

export function halves(w: Window): [Window, Window] {
  const mid = w.start + (w.end - w.start) / 2n;
  return [{ start: w.start, end: mid }, { start: mid, end: w.end }];
}
