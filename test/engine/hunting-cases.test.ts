// Behaviours real hunting queries rely on, as data (test/engine/hunting-cases.jsonl): a result compared by
// the conformance runner's rules, or an error with its code and a part of its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCase, type Case } from '../../scripts/conformance-lib.js';
import { runQuery } from '../../src/engine/index.js';

type HuntingCase = Case & { error?: { code: string; message: string } };

const cases = readFileSync('test/engine/hunting-cases.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('//'))
  .map((l) => ({ ordered: false, flags: [], operators: [], functions: [], plugins: [], doc: 'kqlite', columns: [], rows: [], ...JSON.parse(l) }) as HuntingCase);

for (const c of cases) {
  test(`hunting case ${c.id}`, () => {
    if (c.error) {
      const r = runQuery(c.query, { now: 0n });
      assert.equal(r.ok, false, `${c.id}: expected ${c.error.code}, the query ran`);
      const d = r.diagnostics.find((x) => x.severity === 'error')!;
      assert.equal(d.code, c.error.code, `${c.id}: ${d.message}`);
      assert.ok(d.message.includes(c.error.message), `${c.id}: '${d.message}' lacks '${c.error.message}'`);
      return;
    }
    const r = runCase(c, new Map());
    assert.equal(r.outcome, 'pass', `${c.id}: ${r.reason ?? ''}\n${c.query}`);
  });
}
