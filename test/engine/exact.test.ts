// Exact longs and the function fixes that came with them, as data: test/engine/exact-cases.jsonl holds cases
// in the conformance format, compared by the strict conformance comparer (integers exactly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCase, type Case } from '../../scripts/conformance-lib.js';

const cases = readFileSync('test/engine/exact-cases.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => ({ ordered: false, flags: [], operators: [], functions: [], plugins: [], doc: 'kqlite', ...JSON.parse(l) }) as Case);

for (const c of cases) {
  test(`exact case ${c.id}`, () => {
    const r = runCase(c, new Map());
    assert.equal(r.outcome, 'pass', `${c.id}: ${r.reason ?? ''}\n${c.query}`);
  });
}
