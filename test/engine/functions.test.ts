// Function behaviours as data (test/engine/functions*.json): one test per case, each query run through the
// engine and its last table compared cell by cell (reals within 1e-9 relative, integers beyond 2^53 exactly:
// the files are read with the engine's exact JSON reader, so 1846988464401551951 stays that integer; JSON
// structurally).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { runQuery } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { jsonText, parseJson } from '../../src/engine/values/json.js';

interface Case {
  name: string;
  query: string;
  rows: unknown[][];
}
// functions.json and the per-family files beside it (functions-<family>.json)
const cases = readdirSync('test/engine')
  .filter((f) => /^functions.*\.json$/.test(f))
  .flatMap((f) => (parseJson(readFileSync(`test/engine/${f}`, 'utf8')) as unknown as { cases: Case[] }).cases);

function same(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'bigint' || typeof expected === 'bigint') return (typeof actual === 'bigint' || typeof actual === 'number') && (typeof expected === 'bigint' || typeof expected === 'number') && actual == expected; // eslint-disable-line eqeqeq
  if (typeof actual === 'number' && typeof expected === 'number') return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length === expected.length && actual.every((x, i) => same(x, expected[i]));
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const a = Object.keys(actual).sort();
    const e = Object.keys(expected).sort();
    return a.join() === e.join() && a.every((k) => same((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return actual === expected;
}

for (const c of cases) {
  test(c.name, () => {
    const r = runQuery(c.query, { now: 0n });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
    const rows = encodedRows(r.tables[r.tables.length - 1]!.table);
    assert.ok(same(rows, c.rows), `got ${jsonText(rows)}, expected ${jsonText(c.rows)}`);
  });
}
