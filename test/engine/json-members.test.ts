// Two fast paths of JSON text read from where chains (branch perf-dyn5), each against the general path:
// - several one-key paths of one text in one extend (`UA = tostring(AF.user_agent), Dir = tostring(AF.direction)`)
//   read every key in one pass (values/json-path.ts `memberSpans`, compile/json-access.ts `MemberTable`);
// - mv-expand of a JSON path over a where chain's per-extent parts reads each part's own dictionary
//   (operators/mv-expand-text.ts `partsCodeLists`), with no merged column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPathSpan, memberSpans, span, SPAN_FOUND, type JsonStep } from '../../src/engine/values/json-path.js';
import { MemberTable, textPathValue } from '../../src/engine/compile/json-access.js';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import { markImmutableDictionary } from '../../src/engine/storage/text-facts.js';
import type { StringColumn } from '../../src/engine/storage/column.js';

const KEYS = ['a', 'b', 'Tags', 'ab', 'c'];

/** Random JSON-ish text: objects of the KEYS (duplicates happen), nested values, escapes, long digit runs, mutations. */
function randomText(r: () => number): string {
  const scalar = () => ['1', '-2.5', 'true', 'null', '"x"', '"a\\"b"', '"ü"', '12345678901234567', '""', '"}"', '"a,b"'][Math.floor(r() * 11)]!;
  const value = (d: number): string => {
    const k = r();
    if (d > 2 || k < 0.5) return scalar();
    if (k < 0.7) return `[${Array.from({ length: Math.floor(r() * 3) }, () => value(d + 1)).join(',')}]`;
    return object(d + 1);
  };
  const object = (d: number) => `{${Array.from({ length: Math.floor(r() * 5) }, () => `"${KEYS[Math.floor(r() * KEYS.length)]}"${r() < 0.2 ? ' ' : ''}:${value(d)}`).join(r() < 0.2 ? ' , ' : ',')}}`;
  let t = r() < 0.1 ? value(0) : object(0);
  if (r() < 0.3) {
    const at = Math.floor(r() * (t.length + 1));
    t = r() < 0.5 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + '{}[],:"\\ 0a'[Math.floor(r() * 12)]! + t.slice(at);
  }
  return t;
}

function texts(): string[] {
  let seed = 5;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const fixed = ['{"a":1,"a":2,"b":3}', '{"b":{"a":1},"a":[1,{"b":2}]}', '{"a":1', '[1,2]', '"a"', '', ' {"a" : "x" , "b":"y"} ', '{"ab":1,"a":2}', '{"c":{}}', '{}', '{"a":"\\u0041","b":1}', '{"a":1234567890123456789}'];
  return [...fixed, ...Array.from({ length: 3000 }, () => randomText(r))];
}

test('memberSpans notes each key where memberSpan (a one-key path) finds it, on simple texts', () => {
  const out = new Int32Array(2 * KEYS.length + 3);
  let compared = 0;
  for (const t of texts()) {
    if (/[\x00-\x1f\\]/.test(t) || /\d{16}/.test(t)) continue; // simple text only, as memberSpan
    const all = memberSpans(t, KEYS, out, 3);
    for (let k = 0; k < KEYS.length; k++) {
      const one = jsonPathSpan(t, [KEYS[k]!], true);
      if (one === SPAN_FOUND) {
        assert.equal(all, SPAN_FOUND, t);
        assert.deepEqual([out[3 + 2 * k], out[3 + 2 * k + 1]], [span.start, span.end], `${t} ${KEYS[k]}`);
        compared++;
      } else assert.ok(all !== SPAN_FOUND || out[3 + 2 * k] === -1, `${t} ${KEYS[k]}`);
    }
  }
  assert.ok(compared > 1000);
});

test('a MemberTable gives what textPathValue gives for every key of every text, plain or not', () => {
  const all = texts();
  const plainTexts = all.filter((t) => !/[\x00-\x1f\\]/.test(t) && !/\d{16}/.test(t));
  for (const [dict, plain] of [[all, false], [plainTexts, true]] as const) {
    const table = new MemberTable(dict, KEYS, plain);
    // keys asked in different orders of texts and keys (the first key asked of a text reads them all)
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < dict.length; c++) {
        const k = (c + pass) % KEYS.length;
        assert.deepEqual(table.value(c, k), textPathValue(dict[c]!, [KEYS[k]!] as JsonStep[], plain), `${dict[c]} ${KEYS[k]}`);
      }
    }
    for (let c = 0; c < dict.length; c++) for (let k = 0; k < KEYS.length; k++) assert.deepEqual(table.value(c, k), textPathValue(dict[c]!, [KEYS[k]!], plain));
  }
});

/** Three extents of JSON texts (marked as stored, plain or not), for queries through where chains. */
function source(markStored: boolean): MemorySource {
  const all = texts();
  const schema = { name: 'T', columns: [{ name: 'C', type: 'string' as const }, { name: 'N', type: 'long' as const }] };
  const extents = [0, 1, 2].map((p) => tableFromRows(schema.columns, all.map((C, i) => ({ C: p === 2 && i % 5 === 0 ? `{"a":"p${p}","Tags":["t${i % 7}","x"]}` : C, N: p * all.length + i }))));
  if (markStored) for (const e of extents) markImmutableDictionary((e.columns[0]!.column as StringColumn).dict);
  return new MemorySource(new Map([['T', { schema, extents }]]));
}

function run(src: MemorySource, q: string): string[] {
  const r = runQuery(q, { source: src });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => JSON.stringify(t.columns.map((c) => readCell(c.column, i)), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
}

test('queries: several keys of one JSON text in one extend equal one key per extend', () => {
  for (const stored of [false, true]) {
    const src = source(stored);
    // one key per extend takes no MemberTable
    const pairs: [string, string][] = [
      ['T | where N % 3 != 1 | extend A = tostring(parse_json(C).a), B = tostring(parse_json(C).b), G = parse_json(C).Tags | project N, A, B, G',
        'T | where N % 3 != 1 | extend A = tostring(parse_json(C).a) | extend B = tostring(parse_json(C).b) | extend G = parse_json(C).Tags | project N, A, B, G'],
      ['T | extend J = parse_json(C) | where N % 2 == 0 | extend A = J.a, B = J["b"], AB = tostring(J.ab), D = J.a.b | project N, A, B, AB, D',
        'T | extend J = parse_json(C) | where N % 2 == 0 | extend A = J.a | extend B = J["b"] | extend AB = tostring(J.ab) | extend D = J.a.b | project N, A, B, AB, D'],
      // J replaced between the keys: the later key reads the new J
      ['T | extend J = parse_json(C) | extend A = J.a, J = parse_json(strcat("{\\"a\\":", N, "}")), B = J.a, X = J.b | project N, A, B, X',
        'T | extend J = parse_json(C) | extend A = J.a | extend J = parse_json(strcat("{\\"a\\":", N, "}")) | extend B = J.a | extend X = J.b | project N, A, B, X'],
      ['T | where N > 10 | extend UA = tostring(parse_json(C).a), Dir = tostring(parse_json(C).c) | summarize count() by UA, Dir | order by UA asc, Dir asc',
        'T | where N > 10 | extend UA = tostring(parse_json(C).a) | extend Dir = tostring(parse_json(C).c) | summarize count() by UA, Dir | order by UA asc, Dir asc'],
    ];
    for (const [fast, slow] of pairs) {
      const got = run(src, fast);
      assert.ok(got.length > 5, fast);
      assert.deepEqual(got, run(src, slow), fast);
    }
  }
});

test('queries: mv-expand of a JSON path over a where chain\'s parts equals the general expansion', () => {
  for (const stored of [false, true]) {
    const src = source(stored);
    // iff(true, parse_json(C), ...) is a dynamic column of values: expanded by the general path
    const pairs: [string, string][] = [
      ['T | where N % 4 != 0 | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag',
        'T | where N % 4 != 0 | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag'],
      // a where after the extend: the rows read are a selection of the parts' concatenation
      ['T | where N % 4 != 0 | extend J = parse_json(C) | where N % 3 == 0 | mv-expand Tag = J.Tags to typeof(string), A = J.a to typeof(string) | project N, Tag, A',
        'T | where N % 4 != 0 | extend J = iff(true, parse_json(C), dynamic(null)) | where N % 3 == 0 | mv-expand Tag = J.Tags to typeof(string), A = J.a to typeof(string) | project N, Tag, A'],
      ['T | where N % 5 != 2 | mv-expand with_itemindex=I Tag = parse_json(C).Tags to typeof(string) | project N, I, Tag',
        'T | where N % 5 != 2 | mv-expand with_itemindex=I Tag = bag_pack("v", parse_json(C)).v.Tags to typeof(string) | project N, I, Tag'],
      ['T | where N >= 0 | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) | summarize count() by Tag | order by Tag asc',
        'T | where N >= 0 | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) | summarize count() by Tag | order by Tag asc'],
      // the JSON column read whole after its parts were kept: its text concatenated then
      ['T | where N % 4 != 0 | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag, J, T2 = J.Tags',
        'T | where N % 4 != 0 | extend J = iff(true, parse_json(C), dynamic(null)) | mv-expand Tag = J.Tags to typeof(string) | project N, Tag, J, T2 = J.Tags'],
    ];
    for (const [fast, slow] of pairs) {
      const got = run(src, fast);
      assert.ok(got.length > 5, fast);
      assert.deepEqual(got, run(src, slow), fast);
    }
  }
});

test('queries: group and join keys of mv-expand\'s repeated columns equal the same keys copied first', () => {
  // mv-expand's other columns are its input's gathered at the expanded rows; a key read whole is encoded
  // from the input at those rows (compile/vector.ts encodeKey). `extend K = N` copies the column first.
  const src = source(false);
  const base = 'T | where N % 4 != 0 | extend J = parse_json(C) | mv-expand Tag = J.Tags to typeof(string)';
  const pairs: [string, string][] = [
    [`${base} | summarize count() by Tag, N, C | order by Tag asc, N asc, C asc`, `${base} | extend N2 = N, C2 = C | summarize count() by Tag, N = N2, C = C2 | order by Tag asc, N asc, C asc`],
    [`${base} | summarize dcount(Tag) by J2 = tostring(J) | order by J2 asc`, `${base} | extend J3 = J | summarize dcount(Tag) by J2 = tostring(J3) | order by J2 asc`],
    [`${base} | join kind=inner (T | where N % 3 == 0 | project N, D = strlen(C)) on N | project N, Tag, D | order by N asc, Tag asc`,
      `${base} | extend N2 = N | project-away N | project-rename N = N2 | join kind=inner (T | where N % 3 == 0 | project N, D = strlen(C)) on N | project N, Tag, D | order by N asc, Tag asc`],
  ];
  for (const [fast, slow] of pairs) {
    const got = run(src, fast);
    assert.ok(got.length > 5, fast);
    assert.deepEqual(got, run(src, slow), fast);
  }
});
