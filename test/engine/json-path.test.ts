// Reading a path from JSON text without parsing the document (values/json-path.ts, compile/json-access.ts,
// storage/json-column.ts, operators/mv-expand-json.ts) must give exactly what the general path gives:
// parse_json (JSON.parse, lossless-json for 16-digit runs, the text itself when invalid or nested too
// deep), then member/index steps. Checked on tricky texts and on thousands of random and mutated documents,
// then through queries: each fast form against a spelling of the same query the fast paths do not take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPathValue, walkPath, type JsonStep } from '../../src/engine/values/json-path.js';
import { parseJsonValue } from '../../src/engine/values/json.js';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import { MAX_NESTING } from '../../src/common/nesting.js';

const TRICKY = [
  '{"a":1}', '{"a":{"b":[1,2,{"c":"x"}]}}', '{"a":1,"a":2}', '{"a":{"b":1},"a":5}', '{"a":{"b":1},"a":{"c":1}}', '{"a":{"b":1,"b":[2]}}',
  '{"a":[1,2', '{"a\\u0062":3,"ab":4}', '{"ab":4,"a\\u0062":3}', '{"a":"x\\"y","b":1}', '{"a":"\\ud83d\\ude00"}', '{"a":"\\ud800"}', '{"ключ":"значение","a":"ü"}',
  '{"a":9007199254740993}', '{"a":12345678901234567890123}', '{"a":[1,9007199254740993]}', '{"x":"1234567890123456","a":1,"a":2}', '{"a":1.5e300}', '{"a":-0}', '{"a":1e400}',
  '{"a":0.1234567890123456789}', '\n{ "a" :\t[ 1 , 2 ] ,"b" : { "c" : true } }\r\n', '', ' ', 'nope', '{"a":01}', '{"a":1,}', '[1,]', '{"a" 1}', "{'a':1}", '{"a":"x\ny"}',
  '{"a":tru}', '{"a":nul}', '{"a":true,"b":false,"c":null}', 'null', '"str"', '123', '[]', '{}', '[[]]', '{"a":{}}', '{"__proto__":1}', '{"constructor":1}', '{"a":[{"Tags":["x"]}]}',
  '{"a":1} x', '\uFEFF{"a":1}', '{"a":1}{"b":2}', '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"\\u12G4"}', '{"a":-}', '{"a":1.}', '{"a":.5}', '{"a":1e}', '{"a":+1}', '{"a":0x10}', '{"a":1E+2,"b":-3.5e-2}',
  '{"Tags":["a",1,null,{"b":2},["c"]]}', '{"Tags":"solo"}', '{"Tags":{"k":"v","j":[1]}}', '{"Tags":[]}', '{"Tags":null}', '{"Tags":["a\\"b","c"]}', '{"Tags":[ "a" , "b" ]}', '{"Tags":["a","b"],"Tags":["c"]}',
  '{"Tags":["a"],"x":[1,2,{"y":"}"}]}', '{"Tags":["a"]', '{"Tags":["a" "b"]}', '{"Tags":["a",]}', '[0,[1,[2,[3]]]]', '{"a":[0,1,2,3]}', '{"a":"\\\\"}', '{"a":"tab\\there"}',
  '['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING), '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1), `{"a":${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}}`, `{"a":1,"z":${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}}`,
];
const PATHS: JsonStep[][] = [['a'], ['b'], ['a', 'b'], ['a', 'b', 2, 'c'], [0], [1], [1, 0], [1, 1, 1, 0], ['Tags'], ['Tags', 0], ['Tags', 3, 'b'], ['constructor'], ['__proto__'], ['ab'], ['a', 0], ['a', 3], ['a', -1], ['ключ'], ['c'], ['x'], ['z']];

/** What the general path gives: parse_json, then member/index steps. */
const general = (text: string, path: JsonStep[]) => walkPath(parseJsonValue(text), path);

function check(text: string, path: JsonStep[]): void {
  const fast = jsonPathValue(text, path);
  if (fast === undefined) return; // left to the general path
  assert.deepStrictEqual(fast, general(text, path), `${JSON.stringify(text.slice(0, 80))} at ${JSON.stringify(path)}`);
}

test('a path read from the text equals parse_json then member/index steps, on tricky texts', () => {
  for (const t of TRICKY) for (const p of PATHS) check(t, p);
  // what the quick reader leaves to the general path: 16-digit runs and negative indexes
  assert.equal(jsonPathValue('{"a":9007199254740993}', ['a']), undefined);
  assert.equal(jsonPathValue('[1,2]', [-1]), undefined);
  // own members only, in both paths: `constructor` of {} is nothing
  assert.equal(general('{}', ['constructor']), null);
  assert.equal(jsonPathValue('{"a":1,"a":2}', ['a']), 2);
  assert.equal(jsonPathValue('{"a":[1,2', ['a']), null);
});

/** A random JSON text: nested values, keys from a small set (so duplicates happen), random spacing. */
function randomJson(r: () => number, depth: number): string {
  const ws = () => [' ', '', '', '\n', '\t', ''][Math.floor(r() * 6)]!;
  const k = r();
  if (depth > 3 || k < 0.35) {
    const scalars = ['1', '-2.5', '0', '1e3', 'true', 'false', 'null', '"x"', '"a\\"b"', '"\\u00e9"', '"Tags"', '"ü"', '12345678901234567', '""'];
    return scalars[Math.floor(r() * scalars.length)]!;
  }
  const n = Math.floor(r() * 4);
  if (k < 0.65) return `[${ws()}${Array.from({ length: n }, () => randomJson(r, depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
  const keys = ['a', 'b', 'Tags', 'a\\u0062', 'c'];
  return `{${ws()}${Array.from({ length: n }, () => `"${keys[Math.floor(r() * keys.length)]}"${ws()}:${ws()}${randomJson(r, depth + 1)}`).join(',')}${ws()}}`;
}

function mutate(r: () => number, t: string): string {
  const chars = '{}[],:"\\ 0a-.e';
  const at = Math.floor(r() * (t.length + 1));
  const c = chars[Math.floor(r() * chars.length)]!;
  return r() < 0.5 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + c + t.slice(at);
}

test('a path read from the text equals the general path on random and mutated documents', () => {
  let seed = 7;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const paths: JsonStep[][] = [['a'], ['b'], ['Tags'], ['ab'], ['a', 'b'], ['a', 0], [0], [1], [0, 'a'], ['Tags', 1], ['c', 'a', 'b'], [2, 0]];
  for (let i = 0; i < 4000; i++) {
    let t = randomJson(r, 0);
    if (r() < 0.4) t = mutate(r, t);
    for (const p of paths) check(t, p);
  }
});

const schema = { name: 'T', columns: [{ name: 'C', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
const source = new MemorySource(new Map([['T', { schema, extents: [tableFromRows(schema.columns, [...TRICKY, ...TRICKY.slice(0, 20)].map((C, N) => ({ C, N })))] }]]));

function rows(q: string): string[] {
  const r = runQuery(q, { source });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => JSON.stringify(t.columns.map((c) => readCell(c.column, i)), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
}

test('queries: parse_json(C).path and J.path of a JSON column equal the general path', () => {
  // bag_pack("v", parse_json(C)).v... is the same value by a route no fast path takes
  const pairs: [string, string][] = [
    ['T | extend X = parse_json(C).a.b', 'T | extend X = bag_pack("v", parse_json(C)).v.a.b'],
    ['T | extend X = tostring(todynamic(C)["Tags"][1]), Y = parse_json(C).a[0]', 'T | extend X = tostring(bag_pack("v", todynamic(C)).v["Tags"][1]), Y = bag_pack("v", parse_json(C)).v.a[0]'],
    ['T | extend J = parse_json(C) | extend X = J.a, Y = J.Tags, Z = J.a[-1]', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | extend X = J.a, Y = J.Tags, Z = J.a[-1]'],
    ['T | extend J = parse_json(C) | where N % 3 != 1 | take 50 | project N, J, K = J.b', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | where N % 3 != 1 | take 50 | project N, J, K = J.b'],
    ['T | extend J = parse_json(C) | where isnotnull(J.a) | summarize count() by tostring(J.a)', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | where isnotnull(J.a) | summarize count() by tostring(J.a)'],
    ['T | extend J = parse_json(C) | project N, isnull(J), gettype(J)', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | project N, isnull(J), gettype(J)'],
  ];
  for (const [fast, slow] of pairs) assert.deepEqual(rows(fast), rows(slow), fast);
});

test('queries: mv-expand of a JSON path to string equals the general expansion', () => {
  const pairs: [string, string][] = [
    ['T | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag'],
    ['T | mv-expand Tag = parse_json(C).a to typeof(string) | project N, Tag', 'T | mv-expand Tag = bag_pack("v", parse_json(C)).v.a to typeof(string) | project N, Tag'],
    ['T | extend J = parse_json(C) | mv-expand with_itemindex=I Tag = J.Tags to typeof(string), A = J.a to typeof(string) | project N, I, Tag, A', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand with_itemindex=I Tag = J.Tags to typeof(string), A = J.a to typeof(string) | project N, I, Tag, A'],
    ['T | extend J = parse_json(C) | mv-expand kind=array Tag = J.Tags to typeof(string) | summarize count() by Tag', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand kind=array Tag = J.Tags to typeof(string) | summarize count() by Tag'],
    ['T | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) limit 1 | project N, Tag', 'T | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) limit 1 | project N, Tag'],
  ];
  for (const [fast, slow] of pairs) {
    const got = rows(fast);
    assert.ok(got.length > 5, fast);
    assert.deepEqual(got, rows(slow), fast);
  }
});

test('queries: mv-expand to string once per distinct string equals the per-row expansion', () => {
  // iff(N >= 0, ...) reads two columns, so it is expanded row by row
  const general = (e: string) => `iff(N >= 0, ${e}, dynamic(null))`;
  const pairs: [string, string][] = [
    ['T | mv-expand W = split(C, ",") to typeof(string) | project N, W', `T | mv-expand W = ${general('split(C, ",")')} to typeof(string) | project N, W`],
    ['T | extend W = split(C, "\\"") | mv-expand W to typeof(string) | project N, W', `T | extend W = ${general('split(C, "\\"")')} | mv-expand W to typeof(string) | project N, W`],
    ['T | extend W = split(C, ",") | where N % 2 == 0 | mv-expand with_itemindex=I W to typeof(string), X = split(C, ":") to typeof(string) | project N, I, W, X',
      `T | extend W = ${general('split(C, ",")')} | where N % 2 == 0 | mv-expand with_itemindex=I W to typeof(string), X = ${general('split(C, ":")')} to typeof(string) | project N, I, W, X`],
    ['T | mv-expand W = parse_json(C) to typeof(string) | summarize count() by W', `T | mv-expand W = ${general('parse_json(C)')} to typeof(string) | summarize count() by W`],
    // arrays made once per distinct string that hold more than strings: converted as the general path does
    ['T | extend W = pack_array(C, strlen(C), parse_json(C), C) | mv-expand W to typeof(string) | project N, W', `T | extend W = ${general('pack_array(C, strlen(C), parse_json(C), C)')} | mv-expand W to typeof(string) | project N, W`],
    ['T | extend W = iff(strlen(C) % 2 == 0, split(C, ":"), parse_json(C)) | mv-expand W to typeof(string) | project N, W', `T | extend W = ${general('iff(strlen(C) % 2 == 0, split(C, ":"), parse_json(C))')} | mv-expand W to typeof(string) | project N, W`],
  ];
  for (const [fast, slow] of pairs) {
    const got = rows(fast);
    assert.ok(got.length > 5, fast);
    assert.deepEqual(got, rows(slow), fast);
  }
});

test('queries: mv-expand of JSON string arrays coded in place equals the general expansion over many distinct elements', () => {
  // thousands of distinct tags (the in-place table grows and probes), tags longer than it codes in place,
  // non-ASCII, escapes, non-string elements, spacing, over several extents and a where between
  let seed = 11;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const vocabulary = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? `long-${'x'.repeat(60 + (i % 9))}-${i}` : i % 13 === 0 ? `ü${i}é` : `t${i}`));
  const element = () => {
    const k = r();
    return k < 0.9 ? `"${vocabulary[Math.floor(r() * r() * vocabulary.length)]}"` : k < 0.93 ? '"a\\"b"' : k < 0.96 ? '7' : k < 0.98 ? 'null' : '["n"]';
  };
  const doc = () => `{"a":${Math.floor(r() * 5)},${r() < 0.5 ? ' ' : ''}"Tags":[${Array.from({ length: Math.floor(r() * 5) }, element).join(r() < 0.3 ? ' , ' : ',')}]${r() < 0.05 ? ',"Tags":["dup"]' : ''}}`;
  const schema2 = { name: 'T', columns: [{ name: 'C', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
  const extents = [0, 1, 2].map((p) => tableFromRows(schema2.columns, Array.from({ length: 3000 }, (_, i) => ({ C: i % 10 === 0 ? `{"Tags":["p${p}"]}` : doc(), N: p * 3000 + i }))));
  const many = new MemorySource(new Map([['T', { schema: schema2, extents }]]));
  const run = (q: string) => {
    const res = runQuery(q, { source: many });
    assert.ok(res.ok, q);
    const t = res.tables[0]!.table;
    return Array.from({ length: t.length }, (_, i) => JSON.stringify(t.columns.map((c) => readCell(c.column, i))));
  };
  const pairs: [string, string][] = [
    ['T | where N % 7 != 3 | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag', 'T | where N % 7 != 3 | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag'],
    ['T | mv-expand Tag = parse_json(C).Tags to typeof(string) | summarize count() by Tag | order by Tag asc', 'T | mv-expand Tag = bag_pack("v", parse_json(C)).v.Tags to typeof(string) | summarize count() by Tag | order by Tag asc'],
  ];
  for (const [fast, slow] of pairs) {
    const got = run(fast);
    assert.ok(got.length > 1000, fast);
    assert.deepEqual(got, run(slow), fast);
  }
});
