// Graph operator behaviour as data: test/engine/graph-cases.jsonl holds cases in the conformance format
// (id, query, columns, rows as display strings, ordered, flags), compared by the conformance runner's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCase, type Case } from '../../scripts/conformance-lib.js';

const cases = readFileSync('test/engine/graph-cases.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => ({ ordered: false, flags: [], operators: [], functions: [], plugins: [], doc: 'kqlite', ...JSON.parse(l) }) as Case);

for (const c of cases) {
  test(`graph case ${c.id}`, () => {
    const r = runCase(c, new Map());
    assert.equal(r.outcome, 'pass', `${c.id}: ${r.reason ?? ''}\n${c.query}`);
  });
}
