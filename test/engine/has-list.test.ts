// has_any / has_all over a list (values/terms.ts hasListTest: the text lower-cased once for every needle)
// must answer exactly what one `has` per needle answers, and through queries what `or`/`and` of `has` give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { has, hasListTest } from '../../src/engine/values/terms.js';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';

const NEEDLES = ['EncodedCommand', 'bypass', 'process call create', 'a.b', 'İx', 'ß', '', '-enc', 'x-', 'Ünï', '7z', 'call'];
const WORDS = ['powershell', '-EncodedCommand', 'BYPASS', 'process', 'call', 'create', 'a.b', 'xa.b', 'a.bc', 'İx', 'i̇x', 'STRASSE', 'ß', '-enc', 'x-', 'ünï', '7z', 'Call', '', '/', 'callx'];

function randomText(r: () => number): string {
  const n = Math.floor(r() * 6);
  return Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!).join([' ', '', '.', '/', ' '][Math.floor(r() * 5)]!);
}

test('hasListTest equals one has per needle, any and all, case-sensitive or not', () => {
  let seed = 5;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 3000; i++) {
    const text = randomText(r);
    const needles = NEEDLES.filter(() => r() < 0.4);
    for (const cs of [false, true]) {
      assert.equal(hasListTest(needles, cs, false)(text), needles.some((n) => has(text, n, cs)), `${JSON.stringify(text)} has_any ${JSON.stringify(needles)} cs=${cs}`);
      assert.equal(hasListTest(needles, cs, true)(text), needles.every((n) => has(text, n, cs)), `${JSON.stringify(text)} has_all ${JSON.stringify(needles)} cs=${cs}`);
    }
  }
});

test('queries: has_any and has_all over a list equal or/and of has, with and without the term index', () => {
  let seed = 9;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const schema = { name: 'T', columns: [{ name: 'S', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
  // 3,000 distinct strings per extent: the where asks the term index first (1,024 or more)
  const extents = [0, 1].map((p) => tableFromRows(schema.columns, Array.from({ length: 4000 }, (_, i) => ({ S: `${randomText(r)} ${i % 3000}`, N: p * 4000 + i }))));
  const source = new MemorySource(new Map([['T', { schema, extents }]]));
  const count = (q: string) => {
    const res = runQuery(q, { source });
    assert.ok(res.ok, q);
    return readCell(res.tables[0]!.table.columns[0]!.column, 0);
  };
  const list = ['bypass', 'process call create', 'a.b', 'ß', 'x-'];
  const quoted = list.map((n) => JSON.stringify(n));
  for (const [op, join] of [['has_any', ' or '], ['has_all', ' and '], ['has_any_cs', ' or '], ['has_all_cs', ' and ']] as const) {
    const one = op.endsWith('_cs') ? 'has_cs' : 'has';
    const got = count(`T | where S ${op} (${quoted.join(', ')}) | count`);
    assert.equal(got, count(`T | where ${quoted.map((n) => `S ${one} ${n}`).join(join)} | count`), op);
    if (op === 'has_any') assert.ok(Number(got) > 100, 'the list matches rows');
  }
});
