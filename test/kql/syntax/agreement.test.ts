// Accept/reject agreement with Microsoft's own parser (Kusto.Language) on every conformance and corpus
// query and on deterministic broken variants of each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../src/kql/syntax/index.js';
import { conformanceCases, corpusQueries } from '../../helpers/corpus.js';
import { msSyntaxErrors } from '../../helpers/ms-parser.js';
import { brokenVariants } from './variants.js';

/**
 * Where the two verdicts differ on purpose. Each entry: query id / variant, and why.
 * - Literal contents (KQL1007) are validated by kqlite while parsing; Microsoft's parser leaves them to
 *   binding, so the documented `datetime(2025, 6, 14)` and `datetime(2017 - 08 - 01)` pass its syntax check.
 *   Those diagnostics are excluded from the comparison rather than listed.
 * - `declare pattern` bodies are kept as raw text, so mistakes inside them are not reported by kqlite's
 *   parser (the engine refuses the statement by name).
 */
const KNOWN: Record<string, string> = {
  'pattern-statement#2 double pipe': 'inside a declare pattern body (raw text)',
  'pattern-statement#2 double comma': 'inside a declare pattern body (raw text)',
  'pattern-statement#7 double comma': 'inside a declare pattern body (raw text)',
};

function oursRejects(text: string): boolean {
  return parse(text).diagnostics.some((d) => d.severity === 'error' && d.code !== 'KQL1007');
}

const queries = [
  ...conformanceCases().map((c) => ({ id: c.id, query: c.query })),
  ...corpusQueries('sentinel-hunting').map((q) => ({ id: q.file, query: q.query })),
  ...corpusQueries('rmm-tools').map((q) => ({ id: q.file, query: q.query })),
];

test('the corpus is all there', () => {
  assert.ok(queries.length >= 1020, `only ${queries.length} queries`);
});

test('valid queries: same verdict as Microsoft\'s parser', () => {
  const disagreements: string[] = [];
  for (const q of queries) {
    const ours = oursRejects(q.query);
    const theirs = msSyntaxErrors(q.query).length > 0;
    if (ours !== theirs && !KNOWN[q.id]) disagreements.push(`${q.id}: kqlite ${ours ? 'rejects' : 'accepts'}, Kusto ${theirs ? 'rejects' : 'accepts'}`);
  }
  assert.deepEqual(disagreements, []);
});

test('broken variants: same verdict as Microsoft\'s parser', () => {
  const disagreements: string[] = [];
  let n = 0;
  queries.forEach((q, i) => {
    for (const v of brokenVariants(q.query, i + 1)) {
      n++;
      const key = `${q.id} ${v.how}`;
      const ours = oursRejects(v.text);
      const theirs = msSyntaxErrors(v.text).length > 0;
      if (ours !== theirs && !KNOWN[key]) disagreements.push(`${key}: kqlite ${ours ? 'rejects' : 'accepts'}, Kusto ${theirs ? 'rejects' : 'accepts'}`);
    }
  });
  assert.ok(n > 3000, `only ${n} variants`);
  assert.deepEqual(disagreements, []);
});

/** Shapes the widened corpus showed, each with its verdict checked live against Microsoft's parser. */
test('type names as column names, repeated signs, project-rename with an expression: same verdict as Kusto', () => {
  const shapes: string[] = [];
  // `guid`, `bool` and a few other type names are plain names; the rest need ['...'] as a name and as a target
  for (const t of ['bool', 'guid', 'uniqueidentifier', 'single', 'int', 'long', 'int64', 'string', 'real', 'double', 'float', 'decimal', 'datetime', 'date', 'time', 'timespan', 'dynamic', 'boolean', 'uint', 'byte']) {
    shapes.push(`T | where ${t} == 1`, `T | project ${t}`, `T | extend ${t} = 1`, `T | summarize ${t} = count() by x`, `T | project ${t} = 1`, `print ${t}`, `T | extend ${t} = new_guid() | project ${t}, x`);
  }
  // one sign only (`---` in a Markdown page's front matter is not KQL)
  shapes.push('print - -1', 'print --1', 'print +-1', 'print -+1', 'print 1 - -1', 'print 1--1', 'print 1 * -1', 'print -(-1)', 'print a=1 | where -a < 0', '---\nARCHIVED\n---\nT | take 1');
  // project-rename parses any expression after '=' (binding refuses what is not a column name)
  shapes.push('T | project-rename a = strcat(b, "-"), c = d', 'T | project-rename a = b.c', "T | project-rename a = ['b c']", 'T | project-rename a = ');
  const disagreements = shapes.filter((q) => oursRejects(q) !== msSyntaxErrors(q).length > 0).map((q) => `${q}: kqlite ${oursRejects(q) ? 'rejects' : 'accepts'}`);
  assert.deepEqual(disagreements, []);
});
