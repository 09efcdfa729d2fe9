// `S | extend X = extract(P, g, C) | where isnotempty(X)` drops the rows whose C lacks P's required literal
// before the extend (operators/extract-prefilter.ts). Checked against spellings the rewrite does not take
// (the same where written `isnotempty(X) or false`), over several extents, a where chain before it, other
// extend columns, and the cases it must leave alone (row_number, a replaced text column, a reassigned X).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';

const schema = { name: 'T', columns: [{ name: 'C', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
let seed = 9;
const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const words = ['powershell', '-EncodedCommand', 'QUJD', 'SQBFAFgA', ' ', '  ', 'http://a.b/x', 'https://c.d/', 'x', '-enc', '-EncodedCommand\t', 'ü'];
const text = () => Array.from({ length: Math.floor(r() * 6) }, () => words[Math.floor(r() * words.length)]!).join(r() < 0.7 ? ' ' : '');
const extents = [0, 1, 2].map((p) => tableFromRows(schema.columns, Array.from({ length: 400 }, (_, i) => ({ C: text(), N: p * 400 + i }))));
const source = new MemorySource(new Map([['T', { schema, extents }]]));

function rows(q: string): string[] {
  const res = runQuery(q, { source });
  assert.ok(res.ok, `${q}: ${res.ok ? '' : res.diagnostics.map((d) => d.message).join('; ')}`);
  const t = res.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => JSON.stringify(t.columns.map((c) => readCell(c.column, i))));
}

test('extract then where isnotempty: rows dropped first equal the unfused query', () => {
  const queries = [
    'T | extend P = extract(@"-EncodedCommand\\s+([A-Za-z0-9+/=]+)", 1, C) | where isnotempty(P)',
    'T | where N % 3 != 1 | extend L = strlen(C), P = extract(@"https?://([^/ ]+)/", 1, C), K = toupper(C) | where isnotempty(P) | project N, L, P, K',
    'let Pat = @"-Encoded(Command)"; T | extend P = extract(Pat, 1, C) | where isnotempty(P) | project N, P',
    // not taken, and must still be right: row numbers over every row, a replaced text column, X assigned twice
    'T | serialize | extend R = row_number(), P = extract(@"QUJD(.)", 1, C) | where isnotempty(P) | project R, P',
    'T | extend C = strcat(C, " QUJDx"), P = extract(@"QUJD(.)", 1, C) | where isnotempty(P) | project N, P',
    'T | extend P = extract(@"QUJD(.)", 1, C), P = N | where isnotempty(P) | project N, P',
  ];
  for (const q of queries) {
    const fused = rows(q);
    const unfused = rows(q.replace(/where isnotempty\(P\)/, 'where isnotempty(P) or false'));
    assert.ok(fused.length > 3, q);
    assert.deepEqual(fused, unfused, q);
  }
  // an invalid pattern is an error even when no row holds its literal
  const res = runQuery('T | extend P = extract(@"zzzq(", 1, C) | where isnotempty(P)', { source });
  assert.equal(res.ok, false);
});
