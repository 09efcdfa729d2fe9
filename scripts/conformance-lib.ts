/**
 * Runs the KQL conformance cases (../shared/kql-conformance/cases.jsonl) through the engine and compares
 * the FIRST result table with the documented output, strictly (scripts/conformance-cells.ts): exact column
 * names, each cell read under its column's type, rows as a multiset unless `ordered`.
 *
 * Outcomes: `pass`; `doc-error` (the page's output is wrong, and the engine gives the corrected output
 * recorded with the reason in conformance-notes.ts); `unverifiable` (the page elides part of the output with
 * `...` and what it shows agrees); `fail`; `unsupported`. Right = pass + doc-error.
 */
import { runQuery } from '../src/engine/index.js';
import { readCell } from '../src/engine/storage/builders.js';
import type { Table } from '../src/engine/storage/column.js';
import { parseDatetimeText } from '../src/kql/syntax/index.js';
import type { ScalarTypeName, Value } from '../src/engine/values/value.js';
import { conformanceCases, type ConformanceCase } from '../test/helpers/corpus.js';
import { readableAs, sameCell, type CellVerdict } from './conformance-cells.js';
import { approximateColumns, KNOWN_DOC_ERRORS, NONDETERMINISTIC, ORDER_NOT_SPECIFIED, type DocError } from './conformance-notes.js';

export { KNOWN_DOC_ERRORS };

export type Case = ConformanceCase & { resultTable?: number };

export type Outcome = 'pass' | 'doc-error' | 'unverifiable' | 'fail' | 'unsupported';

export interface CaseResult {
  id: string;
  outcome: Outcome;
  reason?: string;
}

// mid-month, with a fraction of a second: queries over "this month so far" (range-operator#3) have rows
export const REFERENCE_NOW = parseDatetimeText('2026-01-20T13:47:26.1234567Z')!;

export function loadCases(): Case[] {
  return conformanceCases();
}

/** The case's documented rows, cleaned of page artefacts its flags name. */
function documentedRows(c: Case): string[][] {
  let rows = c.rows;
  // a partial output's `...` rows stand for rows the page left out
  if (c.flags.includes('partial_output')) rows = rows.filter((r) => !r.every((cell) => /^\s*\.{3,}\s*$/.test(cell)));
  // a ragged table's short, blank row stands for an empty result
  if (c.flags.includes('ragged_table')) rows = rows.filter((r) => r.length === c.columns.length || r.some((cell) => cell.trim() !== ''));
  return rows;
}

interface Expected {
  columns: string[];
  rows: string[][];
  /** the query cannot run: this diagnostic code is the right answer */
  error?: string;
}

function corrected(c: Case, e: DocError): Expected {
  const rows = (e.rows ?? documentedRows(c)).map((r) => [...r]);
  for (const [row, col, text] of e.patch ?? []) rows[row]![col] = text;
  return { columns: e.columns ?? c.columns, rows, error: e.error };
}

/** Runs a case; a case flagged `alternative_outputs:<id>` also passes with the output documented for <id>. */
export function runCase(c: Case, all?: Map<string, Case>): CaseResult {
  const outcome = runAgainst(c, { columns: c.columns, rows: documentedRows(c) });
  if (outcome.outcome !== 'fail') return outcome;
  for (const f of c.flags) {
    const other = f.startsWith('alternative_outputs:') ? (all ?? new Map(loadCases().map((x) => [x.id, x]))).get(f.slice('alternative_outputs:'.length)) : undefined;
    if (other && runAgainst(c, { columns: other.columns, rows: documentedRows(other) }).outcome === 'pass') return { id: c.id, outcome: 'pass' };
  }
  const docError = KNOWN_DOC_ERRORS[c.id];
  if (docError) {
    const fixed = runAgainst(c, corrected(c, docError));
    if (fixed.outcome === 'pass') return { id: c.id, outcome: 'doc-error', reason: `${outcome.reason}; the page is wrong: ${docError.reason}` };
    return { id: c.id, outcome: 'fail', reason: `${fixed.reason} (against the corrected output: ${docError.reason})` };
  }
  return outcome;
}

function runAgainst(c: Case, want: Expected): CaseResult {
  let r;
  try {
    r = runQuery(c.query, { now: REFERENCE_NOW, timeoutMs: 10_000 });
  } catch (e) {
    return { id: c.id, outcome: 'fail', reason: `crash: ${(e as Error).message}` };
  }
  if (!r.ok) {
    const d = r.diagnostics.find((x) => x.severity === 'error')!;
    if (want.error && d.code === want.error) return { id: c.id, outcome: 'pass' };
    const unsupported = ['KQL4010', 'KQL2006', 'KQL2010'].includes(d.code);
    return { id: c.id, outcome: unsupported ? 'unsupported' : 'fail', reason: `${d.code} ${d.message}` };
  }
  if (want.error) return { id: c.id, outcome: 'fail', reason: `the query ran; expected ${want.error}` };
  // the first table, as the pages show; a kqlite test case may name another (`resultTable`, negative from the end)
  const at = c.resultTable ?? 0;
  const t = r.tables[at < 0 ? r.tables.length + at : at];
  if (!t) return { id: c.id, outcome: 'fail', reason: 'no result table' };
  const names = t.columns.map((x) => x.name);
  // a bare scalar expression is no query: its page's column heading names nothing the engine could match
  const bare = c.flags.includes('bare_scalar_expression') && names.length === want.columns.length;
  if (!bare && names.join('|') !== want.columns.join('|')) return { id: c.id, outcome: 'fail', reason: `columns ${names.join(',')} vs documented ${want.columns.join(',')}` };
  return compareRows(c, t.table, want.rows);
}

function engineRows(t: Table): Value[][] {
  const rows: Value[][] = [];
  for (let i = 0; i < t.length; i++) rows.push(t.columns.map((c) => readCell(c.column, i)));
  return rows;
}

function show(v: Value): string {
  return typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

function compareRows(c: Case, table: Table, want: string[][]): CaseResult {
  const types: ScalarTypeName[] = table.columns.map((x) => x.column.type);
  const names = table.columns.map((x) => x.name);
  const got = engineRows(table);
  const spec = NONDETERMINISTIC[c.id];
  const nondeterministic = c.flags.some((f) => f.startsWith('nondeterministic'));
  if (nondeterministic && !spec) return { id: c.id, outcome: 'fail', reason: 'a nondeterministic case needs its documented invariants in NONDETERMINISTIC' };
  const varying = new Set(spec?.varying ?? []);
  const approx = approximateColumns(c, names);
  const unordered = c.flags.some((f) => f.startsWith('unspecified_order')) || c.id in ORDER_NOT_SPECIFIED;
  const partial = c.flags.includes('partial_output') || Boolean(spec?.partial);
  if (partial ? got.length < want.length : got.length !== want.length) return { id: c.id, outcome: 'fail', reason: `${got.length} rows vs documented ${want.length}` };
  for (const row of want) {
    if (row.length !== types.length) return { id: c.id, outcome: 'fail', reason: `a documented row has ${row.length} cells for ${types.length} columns` };
    for (let j = 0; j < types.length; j++) if (varying.has(names[j]!) && !readableAs(types[j]!, row[j]!)) return { id: c.id, outcome: 'fail', reason: `documented ${JSON.stringify(row[j])} is not a ${types[j]} (column ${names[j]})` };
  }
  let elided = false;
  const rowEq = (g: Value[], w: string[]): boolean => {
    let rowElided = false;
    for (let j = 0; j < types.length; j++) {
      if (varying.has(names[j]!)) continue;
      const v: CellVerdict = sameCell(g[j]!, types[j]!, w[j]!, { approximate: approx.has(names[j]!), unordered });
      if (v === false) return false;
      if (v === 'elided') rowElided = true;
    }
    if (rowElided) elided = true;
    return true;
  };
  if (c.ordered && !partial) {
    const bad = got.findIndex((row, i) => !rowEq(row, want[i]!));
    if (bad >= 0) return { id: c.id, outcome: 'fail', reason: `row ${bad} differs: ${JSON.stringify(got[bad]!.map(show))} vs documented ${JSON.stringify(want[bad])}` };
  } else {
    const free = got.map(() => true);
    for (const w of want) {
      const j = got.findIndex((g, i) => free[i] && rowEq(g, w));
      if (j < 0) return { id: c.id, outcome: 'fail', reason: `documented row ${JSON.stringify(w)} not in the result (first engine row ${JSON.stringify(got[0]?.map(show))})` };
      free[j] = false;
    }
  }
  if (spec?.invariant) {
    const broken = spec.invariant(got, names);
    if (broken) return { id: c.id, outcome: 'fail', reason: `documented invariant broken: ${broken}` };
  }
  if (elided) return { id: c.id, outcome: 'unverifiable', reason: 'unverifiable: elided output (the page shortens the value with ...; what it shows agrees)' };
  return { id: c.id, outcome: 'pass' };
}

export interface Counts {
  pass: number;
  'doc-error': number;
  unverifiable: number;
  fail: number;
  unsupported: number;
}

export interface Summary extends Counts {
  results: CaseResult[];
  /** pass + doc-error: the cases whose output the engine gets right */
  right: number;
  byFeature: Map<string, Counts>;
}

const zero = (): Counts => ({ pass: 0, 'doc-error': 0, unverifiable: 0, fail: 0, unsupported: 0 });

export function runAll(cases = loadCases()): Summary {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const results = cases.map((c) => runCase(c, byId));
  const byFeature = new Map<string, Counts>();
  cases.forEach((c, i) => {
    const o = results[i]!.outcome;
    for (const f of [...c.operators.map((x) => `op:${x}`), ...c.functions.map((x) => `fn:${x}`), ...c.plugins.map((x) => `plugin:${x}`)]) {
      const s = byFeature.get(f) ?? zero();
      s[o]++;
      byFeature.set(f, s);
    }
  });
  const totals = zero();
  for (const r of results) totals[r.outcome]++;
  return { results, ...totals, right: totals.pass + totals['doc-error'], byFeature };
}
