/**
 * `reduce [kind=source] by Expr [with threshold=T, characters=C]`: groups strings by similarity into
 * patterns where `*` stands for varying text. The reference bases it on Vaarandi's SLCT clustering
 * ("A Data Clustering Algorithm for Mining Patterns From Event Logs") without giving Kusto's exact rules, so
 * kqlite implements SLCT with the threshold read as the reference words it ("the minimum fraction of rows
 * required ... to trigger a reduction"; a smaller threshold gives fewer, broader groups):
 *   1. each value is split into terms: a term is a run of separator characters followed by a run of
 *      non-separators (so a term carries the separators before it); separators are `characters`, or by
 *      default every character that is not an ASCII letter or digit;
 *   2. a term at a position is reduced to `*` when at least T (default 0.1) of the values lack it there, that
 *      is, it is kept only when more than (1 - T) × N of the N values have it;
 *   3. a value's pattern keeps its kept terms and turns each run of reduced terms into one `*`;
 *   4. values whose pattern keeps no term at all form the group `others`.
 * Output rows: Pattern, Count, Representative (the group's first value; empty for `others`), by descending
 * count. With kind=source every input row is kept and gets its Pattern. These rules reproduce the
 * reference's deterministic examples; its random-input examples only fix the shape of the result.
 */
import type { Expr, ReduceOp } from '../../kql/syntax/ast.js';
import { buildColumn, readCell } from '../storage/builders.js';
import { QueryError, type Value } from '../values/value.js';
import { materialize, type Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';
import { evaluateColumn } from './extend.js';

const DEFAULT_THRESHOLD = 0.1;

function splitTerms(text: string, isSeparator: (ch: string) => boolean): string[] {
  const terms: string[] = [];
  let cur = '';
  let inWord = false;
  for (const ch of text) {
    const sep = isSeparator(ch);
    if (sep && inWord) {
      terms.push(cur);
      cur = '';
      inWord = false;
    }
    cur += ch;
    if (!sep) inWord = true;
  }
  if (cur) terms.push(cur);
  return terms;
}

function constantParameter(op: ReduceOp, name: string, cx: OpContext): Value | undefined {
  const p = op.parameters.find((x) => x.name.name === name);
  return p ? compileOn(cx, { columns: [], length: 1 }, p.value as Expr).eval(0) : undefined;
}

export function reduce(op: ReduceOp, input: Relation, cx: OpContext): Relation {
  const threshold = constantParameter(op, 'threshold', cx) ?? DEFAULT_THRESHOLD;
  const characters = constantParameter(op, 'characters', cx);
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw new QueryError('reduce: threshold must be a number between 0 and 1');
  if (characters !== undefined && typeof characters !== 'string') throw new QueryError('reduce: characters must be a string');
  const isSeparator = characters !== undefined ? (ch: string) => characters.includes(ch) : (ch: string) => !/^[A-Za-z0-9]$/.test(ch);
  const source = op.parameters.some((x) => x.name.name === 'kind' && x.value.kind === 'NameRef' && x.value.name === 'source');

  const rel = materialize(input);
  const byColumn = evaluateColumn(cx, rel, op.by);
  const n = rel.length;
  const texts: string[] = new Array(n);
  const terms: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = readCell(byColumn, i);
    texts[i] = v === null ? '' : String(v);
    terms[i] = splitTerms(texts[i]!, isSeparator);
  }
  const minSupport = (1 - threshold) * n;
  // pass 1: how many values have each (position, term)
  const termCounts = new Map<string, number>();
  const key = (pos: number, term: string) => `${pos}\u0000${term}`;
  for (const ts of terms) ts.forEach((t, pos) => termCounts.set(key(pos, t), (termCounts.get(key(pos, t)) ?? 0) + 1));
  // pass 2: each value's pattern (undefined when no term is kept)
  const patterns: (string | undefined)[] = terms.map((ts) => {
    let out = '';
    let wild = false;
    let literal = false;
    ts.forEach((t, pos) => {
      if ((termCounts.get(key(pos, t)) ?? 0) > minSupport) {
        out += t;
        wild = false;
        literal = true;
      } else if (!wild) {
        out += '*';
        wild = true;
      }
    });
    return literal ? out : undefined;
  });
  const groups = new Map<string, { count: number; first: number }>();
  patterns.forEach((p, i) => {
    if (p === undefined) return;
    const g = groups.get(p);
    if (g) g.count++;
    else groups.set(p, { count: 1, first: i });
  });
  const final = patterns.map((p) => p ?? 'others');

  if (source) {
    const columns = rel.columns.filter((c) => c.name !== 'Pattern');
    return { columns: [...columns, { name: 'Pattern', column: buildColumn('string', final) }], length: n };
  }
  const rows = [...groups].map(([p, g]) => ({ pattern: p, count: g.count, rep: texts[g.first]! }));
  const others = patterns.filter((p) => p === undefined).length;
  if (others) rows.push({ pattern: 'others', count: others, rep: '' });
  rows.sort((a, b) => b.count - a.count);
  return {
    columns: [
      { name: 'Pattern', column: buildColumn('string', rows.map((r) => r.pattern)) },
      { name: 'Count', column: buildColumn('long', rows.map((r) => r.count)) },
      { name: 'Representative', column: buildColumn('string', rows.map((r) => r.rep)) },
    ],
    length: rows.length,
  };
}
