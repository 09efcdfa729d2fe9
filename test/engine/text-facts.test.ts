// Facts kept with a dictionary that never changes (storage/text-facts.ts): a stored dictionary whose strings
// hold no backslash, control character or 16-digit run is "plain", and the JSON path reader then skips its
// per-text tests. Checked: the facts themselves (stored, merged, unmarked dictionaries), the reader told
// "plain" against the general path on every plain random document, and queries over marked extents (where
// chains merge them) against spellings no fast path takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPathValue, walkPath, JSON_SPECIAL, LONG_DIGIT_RUN, type JsonStep } from '../../src/engine/values/json-path.js';
import { parseJsonValue } from '../../src/engine/values/json.js';
import { isPlainJsonDictionary, noteMergedDictionary } from '../../src/engine/storage/text-facts.js';
import { markStoredDictionary } from '../../src/engine/storage/shared-strings.js';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';

test('a dictionary is plain when stored (or merged from stored ones) and free of escapes, control characters and 16-digit runs', () => {
  const stored = (xs: string[]) => {
    markStoredDictionary(xs);
    return xs;
  };
  const clean = stored(['', '{"a":1}', '{"Tags":["x","y"]}', 'plain text 123456789012345']);
  const escaped = stored(['{"a":"x\\"y"}', '{"a":1}']);
  const control = stored(['{"a":"x\ty"}']);
  const digits = stored(['{"id":1234567890123456}']);
  assert.equal(isPlainJsonDictionary(clean), true);
  assert.equal(isPlainJsonDictionary(escaped), false);
  assert.equal(isPlainJsonDictionary(control), false);
  assert.equal(isPlainJsonDictionary(digits), false);
  // never asked of a dictionary that may still change: it answers false (each text is tested)
  assert.equal(isPlainJsonDictionary(['{"a":1}']), false);
  const merged = ['{"a":1}'];
  noteMergedDictionary(merged, [clean, stored(['{"b":2}'])]);
  assert.equal(isPlainJsonDictionary(merged), true);
  const mergedBad = ['{"a":1}'];
  noteMergedDictionary(mergedBad, [clean, escaped]);
  assert.equal(isPlainJsonDictionary(mergedBad), false);
  const mergedUnknown = ['{"a":1}'];
  noteMergedDictionary(mergedUnknown, [clean, ['{"a":1}']]);
  assert.equal(isPlainJsonDictionary(mergedUnknown), false);
  // a merge of merges
  const twice = ['{"a":1}'];
  noteMergedDictionary(twice, [merged, clean]);
  assert.equal(isPlainJsonDictionary(twice), true);
});

/** A random JSON text of plain characters (keys from a small set, so duplicates happen), sometimes broken. */
function randomPlainJson(r: () => number, depth: number): string {
  const ws = () => [' ', '', '', ' ', ''][Math.floor(r() * 5)]!;
  const k = r();
  if (depth > 3 || k < 0.35) {
    const scalars = ['1', '-2.5', '0', '1e3', 'true', 'false', 'null', '"x"', '"Tags"', '"ü"', '123456789012345', '""', '"a b"', '01', '1.', '"', 'tru'];
    return scalars[Math.floor(r() * scalars.length)]!;
  }
  const n = Math.floor(r() * 4);
  if (k < 0.65) return `[${ws()}${Array.from({ length: n }, () => randomPlainJson(r, depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
  const keys = ['a', 'b', 'Tags', 'c', 'user_agent'];
  return `{${ws()}${Array.from({ length: n }, () => `"${keys[Math.floor(r() * keys.length)]}"${ws()}:${ws()}${randomPlainJson(r, depth + 1)}`).join(',')}${ws()}}`;
}

test('the reader told a text is plain equals the general path on plain random documents', () => {
  let seed = 3;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const paths: JsonStep[][] = [['a'], ['b'], ['Tags'], ['user_agent'], ['a', 'b'], ['a', 0], [0], [1], ['Tags', 1], ['c', 'a', 'b']];
  let checked = 0;
  for (let i = 0; i < 4000; i++) {
    const t = randomPlainJson(r, 0);
    assert.ok(!JSON_SPECIAL.test(t) && !LONG_DIGIT_RUN.test(t));
    for (const p of paths) {
      const fast = jsonPathValue(t, p, true);
      assert.deepStrictEqual(fast, jsonPathValue(t, p), `${t} at ${JSON.stringify(p)}`);
      if (fast === undefined) continue;
      assert.deepStrictEqual(fast, walkPath(parseJsonValue(t), p), `${t} at ${JSON.stringify(p)}`);
      checked++;
    }
  }
  assert.ok(checked > 30000);
});

test('queries over stored (marked) extents, plain and not, equal the general path', () => {
  let seed = 5;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const schema = { name: 'T', columns: [{ name: 'C', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
  const doc = (p: number, i: number) => {
    if (p === 2 && i % 50 === 0) return i % 100 === 0 ? '{"Tags":["esc\\"aped"],"a":1}' : '{"Tags":["x"],"id":12345678901234567}';
    return i % 9 === 0 ? randomPlainJson(r, 0) : `{"direction":"Out","user_agent":"ua${i % 7}","Tags":[${Array.from({ length: i % 4 }, (_, k) => `"t${(i + k) % 11}"`).join(',')}]}`;
  };
  // extents 0-1 plain, extent 2 holds escapes and a 16-digit run (not plain): marked as a store marks them
  const extents: Table[] = [0, 1, 2].map((p) => tableFromRows(schema.columns, Array.from({ length: 600 }, (_, i) => ({ C: doc(p, i), N: p * 600 + i }))));
  for (const e of extents) markStoredDictionary((e.columns[0]!.column as { dict: string[] }).dict);
  const run = (q: string, from: Table[]) => {
    const res = runQuery(q, { source: new MemorySource(new Map([['T', { schema, extents: from }]])) });
    assert.ok(res.ok, `${q}: ${res.ok ? '' : res.diagnostics.map((d) => d.message).join('; ')}`);
    const t = res.tables[0]!.table;
    return Array.from({ length: t.length }, (_, i) => JSON.stringify(t.columns.map((c) => readCell(c.column, i)), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  };
  const pairs: [string, string][] = [
    ['T | where N % 5 != 1 | mv-expand Tag = parse_json(C).Tags to typeof(string) | summarize count() by Tag | order by Tag asc',
      'T | where N % 5 != 1 | mv-expand Tag = bag_pack("v", parse_json(C)).v.Tags to typeof(string) | summarize count() by Tag | order by Tag asc'],
    ['T | where N % 3 != 0 | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag',
      'T | where N % 3 != 0 | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag'],
    ['T | where N % 4 != 2 | extend U = tostring(parse_json(C).user_agent), A = parse_json(C).a, I = parse_json(C).id | project N, U, A, I',
      'T | where N % 4 != 2 | extend U = tostring(bag_pack("v", parse_json(C)).v.user_agent), A = bag_pack("v", parse_json(C)).v.a, I = bag_pack("v", parse_json(C)).v.id | project N, U, A, I'],
    ['T | extend J = parse_json(C) | summarize count() by tostring(J.direction), tostring(J.a)',
      'T | extend J = iff(true, parse_json(C), dynamic(null)) | summarize count() by tostring(J.direction), tostring(J.a)'],
  ];
  for (const from of [extents, extents.slice(0, 2), extents.slice(2)]) {
    for (const [fast, slow] of pairs) {
      const got = run(fast, from);
      assert.ok(got.length > 2, fast);
      assert.deepEqual(got, run(slow, from), fast);
    }
  }
});
