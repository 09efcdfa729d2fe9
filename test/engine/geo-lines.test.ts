// Geospatial line functions as data (test/engine/geo-lines.json): each query run through the engine and its
// last table compared cell by cell (numbers within 1e-9 relative, JSON structurally).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runQuery } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';

interface Case { name: string; query: string; rows: unknown[][] }
const { cases } = JSON.parse(readFileSync('test/engine/geo-lines.json', 'utf8')) as { cases: Case[] };

function same(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length === expected.length && actual.every((x, i) => same(x, expected[i]));
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const a = Object.keys(actual).sort(), e = Object.keys(expected).sort();
    return a.join() === e.join() && a.every((k) => same((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return actual === expected;
}

for (const c of cases) {
  test(c.name, () => {
    const r = runQuery(c.query, { now: 0n });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
    const rows = encodedRows(r.tables[r.tables.length - 1]!.table);
    assert.ok(same(rows, c.rows), `got ${JSON.stringify(rows)}, expected ${JSON.stringify(c.rows)}`);
  });
}
