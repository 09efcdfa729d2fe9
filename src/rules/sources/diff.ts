/**
 * What changed in a rule between two syncs: a line diff of the query (longest common subsequence, each
 * line marked ' ', '-' or '+') and the metadata fields that differ, before and after.
 */
import type { Rule } from '../rule.js';

export interface DiffLine { op: ' ' | '-' | '+'; text: string }
export interface FieldChange { field: string; before: string; after: string }
export interface RuleDiff { query: DiffLine[]; fields: FieldChange[] }

const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // common head and tail first: most edits touch a few lines
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const mid: DiffLine[] = [];
  if (x.length * y.length > MAX_CELLS) {
    mid.push(...x.map((text) => ({ op: '-' as const, text })), ...y.map((text) => ({ op: '+' as const, text })));
  } else {
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) { mid.push({ op: ' ', text: x[i]! }); i++; j++; }
      // removals before additions, as unified diffs show them
      else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) mid.push({ op: '-', text: x[i++]! });
      else mid.push({ op: '+', text: y[j++]! });
    }
  }
  return [...a.slice(0, head).map((text) => ({ op: ' ' as const, text })), ...mid, ...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text }))];
}

/** The fields of a rule that make a new version when they change (provenance and validation do not). */
export function ruleFields(r: Rule): Record<string, string> {
  return {
    name: r.name, description: r.description, severity: r.severity, kind: r.kind,
    tactics: r.tactics.join(', '), techniques: r.techniques.join(', '), tables: r.tables.join(', '), tags: r.tags.join(', '),
    references: (r.references ?? []).join(' '),
  };
}

export function ruleDiff(before: Rule, after: Rule): RuleDiff {
  const b = ruleFields(before);
  const a = ruleFields(after);
  const fields = Object.keys(a).filter((k) => a[k] !== b[k]).map((field) => ({ field, before: b[field] ?? '', after: a[field] ?? '' }));
  return { query: before.query === after.query ? [] : lineDiff(before.query, after.query), fields };
}

/** Unified-diff text of a query change (what the CLI prints). */
export function diffText(lines: readonly DiffLine[], context = 3): string {
  const keep = new Set<number>();
  lines.forEach((l, i) => { if (l.op !== ' ') for (let k = i - context; k <= i + context; k++) keep.add(k); });
  const out: string[] = [];
  let last = -1;
  lines.forEach((l, i) => {
    if (!keep.has(i)) return;
    if (last >= 0 && i > last + 1) out.push('  ...');
    out.push(`${l.op} ${l.text}`);
    last = i;
  });
  return out.join('\n');
}
