// Engine behaviours the run over real-world hunting queries exposed (scripts/corpus-run.ts), as data:
// test/engine/real-world-cases.jsonl holds cases in the conformance format, compared by the strict
// conformance comparer. Each case failed (or crashed) before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCase, type Case } from '../../scripts/conformance-lib.js';

const cases = readFileSync('test/engine/real-world-cases.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => ({ ordered: false, flags: [], operators: [], functions: [], plugins: [], doc: 'kqlite', ...JSON.parse(l) }) as Case);

for (const c of cases) {
  test(`real-world case ${c.id}`, () => {
    const r = runCase(c, new Map());
    assert.equal(r.outcome, 'pass', `${c.id}: ${r.reason ?? ''}\n${c.query}`);
  });
}
