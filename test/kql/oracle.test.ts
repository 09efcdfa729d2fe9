// The front end against Microsoft's Kusto.Language (ParseAndAnalyze with the same table schemas) on every
// query of the development corpus (test/corpus, 3 licensed public repositories), the Sentinel hunting corpus,
// the RMM rules and the conformance cases: syntax verdict, result schema of the last statement (names, order,
// types) and whether binding finds errors. Zero crashes; syntax agrees everywhere; the remaining binding
// and schema differences are listed with why in oracle-known.json, and the list is exact both ways (a new
// difference fails, and so does a listed one that went away).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { conformanceCases, corpusQueries } from '../helpers/corpus.js';
import { devCorpusQueries } from '../helpers/corpus-dev.js';
import { compareWithKusto } from '../helpers/oracle.js';

const KNOWN = JSON.parse(readFileSync(new URL('./oracle-known.json', import.meta.url), 'utf8')) as Record<string, string>;

const queries = [
  ...devCorpusQueries(),
  ...corpusQueries('sentinel-hunting').map((q) => ({ id: q.file, query: q.query })),
  ...corpusQueries('rmm-tools').map((q) => ({ id: q.file, query: q.query })),
  ...conformanceCases().map((c) => ({ id: c.id, query: c.query })),
];

test('front end vs Kusto.Language on every corpus and conformance query', () => {
  assert.ok(queries.length >= 2000, `only ${queries.length} queries`);
  const crashes: string[] = [];
  const syntax: string[] = [];
  const unexplained: string[] = [];
  const differing = new Set<string>();
  for (const q of queries) {
    let r;
    try {
      r = compareWithKusto(q.query);
    } catch (e) {
      crashes.push(`${q.id}: ${(e as Error).message}`);
      continue;
    }
    for (const d of r.differences) {
      if (d.startsWith('syntax')) syntax.push(`${q.id}: ${d}`);
      else {
        differing.add(q.id);
        if (!KNOWN[q.id]) unexplained.push(`${q.id}: ${d}`);
      }
    }
  }
  assert.deepEqual(crashes, []);
  assert.deepEqual(syntax, []);
  assert.deepEqual(unexplained, []);
  assert.deepEqual(Object.keys(KNOWN).filter((id) => !differing.has(id)), [], 'listed differences that no longer differ');
});
