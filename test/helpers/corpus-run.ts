/**
 * Runs real-world queries through the engine (runQuery) over CatalogRowsSource and classifies each outcome,
 * so the run can be measured (scripts/corpus-run.ts prints the report, test/engine/corpus-run.test.ts holds
 * the floor). Kusto.Language decides what is runnable: a query it rejects (syntax or binding, e.g. a table
 * the catalog lacks, a column the query misspells) is not counted against kqlite, unless kqlite crashes on it.
 */
import { basename } from 'node:path';
import { runQuery, type QueryResult } from '../../src/engine/index.js';
import { toCsv } from '../../src/engine/format/encode.js';
import { EXTERNAL_DATA_CODES } from '../../src/engine/external.js';
import { ENGINE_OPERATORS, ENGINE_PLUGINS } from '../../src/engine/index.js';
import { bind, defaultCatalog } from '../../src/kql/semantics/index.js';
import { parse } from '../../src/kql/syntax/index.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { CatalogRowsSource, CORPUS_NOW } from './catalog-rows.js';
import { corpusQueries } from './corpus.js';
import { devCorpusQueries } from './corpus-dev.js';
import { msAnalyze } from './ms-parser.js';
import { queryHints } from './query-hints.js';

export interface CorpusQuery {
  id: string;
  query: string;
}

export type OutcomeKind =
  | 'ran'
  /** Kusto.Language reports an error too: not a runnable query. */
  | 'not-runnable'
  /** externaldata with the network off: a KQL402x naming the URL. */
  | 'network'
  /** A KQL diagnostic (syntax, binding, unsupported, runtime) where Kusto accepts the query. */
  | 'kql-error'
  /** KQL4099 (an internal error), a RangeError turned KQL4001, or an exception out of runQuery: a bug. */
  | 'crash';

export interface Outcome {
  id: string;
  kind: OutcomeKind;
  /** The first error: its code and message (what the report groups by). */
  code?: string;
  message?: string;
  rows?: number;
  /** A query that ran but whose last result's columns differ from what the binder said (a bug either side). */
  schemaMismatch?: string;
  /** A query whose result changed when its tables' rows were cut into several extents (a bug). */
  layoutMismatch?: string;
}

/** Every query of the development corpora: test/corpus/<owner>__<repo>, the Sentinel hunting YAMLs, the RMM rules. */
export function corpusRunQueries(): CorpusQuery[] {
  return [
    ...devCorpusQueries(),
    ...corpusQueries('sentinel-hunting').map((q) => ({ id: `sentinel-hunting/${basename(q.file)}`, query: q.query })),
    ...corpusQueries('rmm-tools').map((q) => ({ id: `rmm-tools/${basename(q.file)}`, query: q.query })),
    ...builtinRules().map((r) => ({ id: `builtin/${r.id}`, query: r.query })),
  ];
}

const NETWORK_CODES = new Set<string>(Object.values(EXTERNAL_DATA_CODES));
/** Kusto.Language on a Defender XDR built-in function (documented by Microsoft, run by the Defender portal). */
const DEFENDER_FUNCTION_UNKNOWN = /^The name '(FileProfile|AssignedIPAddresses|DeviceFromIP|SeenBy)' does not refer to any known function/;

/** Runs one query and classifies what happened. */
/**
 * Runs one query and classifies what happened. With `layouts`, a query that ran runs again over the same
 * rows cut into 3 extents per table (the engine's per-extent scan, where-chain, join and summarize paths)
 * and must give the same tables.
 */
export function runCorpusQuery(q: CorpusQuery, opts: { layouts?: boolean } = {}): Outcome {
  const hints = queryHints(q.query);
  const run = (extents: number) => runQuery(q.query, { source: new CatalogRowsSource(hints, extents), catalog: defaultCatalog(), now: CORPUS_NOW, timeoutMs: 20_000, maxRows: 10_000 });
  let r;
  try {
    r = run(1);
  } catch (e) {
    return { id: q.id, kind: 'crash', code: 'exception', message: (e as Error).stack ?? String(e) };
  }
  if (r.ok) {
    const mismatch = schemaMismatch(q.query, r.tables[r.tables.length - 1]?.columns);
    const layout = opts.layouts ? layoutMismatch(r, () => run(3)) : undefined;
    return { id: q.id, kind: 'ran', rows: r.tables[0]?.totalRows ?? 0, ...(mismatch ? { schemaMismatch: mismatch } : {}), ...(layout ? { layoutMismatch: layout } : {}) };
  }
  const first = r.diagnostics.find((d) => d.severity === 'error') ?? r.diagnostics[0]!;
  const out = { id: q.id, code: first.code, message: first.message };
  if (first.code === 'KQL4099' || (first.code === 'KQL4001' && /^'[^']+': /.test(first.message))) return { ...out, kind: 'crash' };
  const ms = msAnalyze(q.query, defaultCatalog());
  // Defender's own functions run in Defender though Kusto.Language does not know them: when its first error is
  // one of those (the rest follow from it: the columns the function adds), the query is runnable
  const kusto = [...ms.syntaxErrors, ...ms.semanticErrors].sort((a, b) => a.start - b.start);
  if (kusto.length && !DEFENDER_FUNCTION_UNKNOWN.test(kusto[0]!.message)) return { ...out, kind: 'not-runnable', message: `${first.message} (Kusto: ${kusto[0]!.message})` };
  if (NETWORK_CODES.has(first.code)) return { ...out, kind: 'network' };
  return { ...out, kind: 'kql-error' };
}

/** The first line where the result over 3 extents per table differs from the result over one. */
function layoutMismatch(one: QueryResult, three: () => QueryResult): string | undefined {
  let other: QueryResult;
  try {
    other = three();
  } catch (e) {
    return `over 3 extents: ${(e as Error).message}`;
  }
  const text = (r: QueryResult) => (r.ok ? r.tables.map((t) => `${t.columns.map((c) => `${c.name}:${c.type}`).join(',')}\n${toCsv(t.table)}`).join('\n') : r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')).split('\n');
  const a = text(one);
  const b = text(other);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return `line ${i + 1}: one extent [${a[i]?.slice(0, 200)}], three [${b[i]?.slice(0, 200)}]`;
  return undefined;
}

/** The binder's schema of the last result against the columns the engine produced, when they differ. */
function schemaMismatch(text: string, got: { name: string; type: string }[] | undefined): string | undefined {
  const bound = bind(parse(text).script, { catalog: defaultCatalog(), engineOperators: ENGINE_OPERATORS, enginePlugins: ENGINE_PLUGINS });
  const want = bound.resultSchemas[bound.resultSchemas.length - 1];
  if (!want || want.open || !got) return undefined;
  const fmt = (cs: { name: string; type: string }[]) => cs.map((c) => `${c.name}:${c.type}`).join(', ');
  return fmt(want.columns) === fmt(got) ? undefined : `binder [${fmt(want.columns)}], engine [${fmt(got)}]`;
}

export interface CorpusRunSummary {
  outcomes: Outcome[];
  counts: Record<OutcomeKind, number>;
  /** ran / (ran + kql-error + crash): network-bound and not-runnable queries excepted. */
  ranFraction: number;
}

/** `layoutsEvery`: check the extent layouts (see runCorpusQuery) on every n-th query (0: none). */
export function runCorpus(queries: CorpusQuery[] = corpusRunQueries(), opts: { layoutsEvery?: number } = {}): CorpusRunSummary {
  const every = opts.layoutsEvery ?? 0;
  const outcomes = queries.map((q, i) => runCorpusQuery(q, { layouts: every > 0 && i % every === 0 }));
  const counts: Record<OutcomeKind, number> = { ran: 0, 'not-runnable': 0, network: 0, 'kql-error': 0, crash: 0 };
  for (const o of outcomes) counts[o.kind]++;
  return { outcomes, counts, ranFraction: counts.ran / (counts.ran + counts['kql-error'] + counts.crash) };
}

/** A failure's reason without the parts that differ per query (quoted names after "column", numbers). */
export function reasonOf(o: Outcome): string {
  const m = (o.message ?? '').split('\n')[0]!
    .replace(/ \(Kusto: .*\)$/, '')
    .replace(/(column|variable|table|name|columns?|key)( or variable)? '[^']*'/g, "$1 '…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b\d+\b/g, 'N');
  return `${o.code} ${m.length > 140 ? m.slice(0, 140) + '…' : m}`;
}

/** The failures of one kind grouped by reason, most frequent first. */
export function reasonTable(outcomes: Outcome[], kinds: OutcomeKind[]): { reason: string; count: number; examples: string[] }[] {
  const by = new Map<string, string[]>();
  for (const o of outcomes) {
    if (!kinds.includes(o.kind)) continue;
    const k = reasonOf(o);
    by.set(k, [...(by.get(k) ?? []), o.id]);
  }
  return [...by].map(([reason, ids]) => ({ reason, count: ids.length, examples: ids.slice(0, 3) })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
