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
