import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildColumn } from '../../src/engine/storage/builders.js';
import type { Column, Table } from '../../src/engine/storage/column.js';
import { buildPostings, postingsOf } from '../../src/engine/storage/postings.js';
import type { Value } from '../../src/engine/values/value.js';
import type { ScalarTypeName } from '../../src/kql/syntax/ast.js';
import { packCodes, packInts, unpack, unpackCodes, type BufferRef, type Packed } from '../../src/store/extent-codecs.js';
import { ExtentReader, readExtent, readExtentMeta, writeExtent } from '../../src/store/extent-format.js';

const root = mkdtempSync(join(tmpdir(), 'kqlite-format-3-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MS = 10_000n;
const T0 = 17_672_256_000_000_000n; // 2026-01-01
const range = (n: number, f: (i: number) => Value) => Array.from({ length: n }, (_, i) => f(i));

/** How a column's values are stored in format 3: `int:W` packed integers of W bytes, `steps:W` packed
 * differences between neighbours, `f32`, `as is` (the
 * in-memory layout); datetimes as `ms/ticks`; strings as the codes' width. */
const CASES: { name: string; type: ScalarTypeName; values: Value[]; stored: string }[] = [
  { name: 'long one value', type: 'long', values: [7, 7, 7], stored: 'int:0' },
  { name: 'long all null', type: 'long', values: [null, null], stored: 'int:0' },
  { name: 'long byte', type: 'long', values: [443, 300, null, 443, 335], stored: 'int:1' },
  { name: 'long two bytes, negatives', type: 'long', values: [-3, 65532, 0, null], stored: 'int:2' },
  { name: 'long three bytes', type: 'long', values: [0, 2 ** 24 - 1, 5], stored: 'int:3' },
  { name: 'long four bytes: the whole Int32 range', type: 'long', values: [-(2 ** 31), 2 ** 31 - 1, null, 0], stored: 'int:4' },
  { name: 'long beyond 2^31, narrow range', type: 'long', values: [2 ** 53 - 1, 2 ** 53 - 200, 2 ** 53 - 100], stored: 'int:1' },
  { name: 'long spanning 2^32 or more', type: 'long', values: [0, 2 ** 53 - 1, -(2 ** 53) + 1, null], stored: 'as is' },
  { name: 'long -0 keeps its sign', type: 'long', values: [-0, 1, 2], stored: 'f32' },
  { name: 'int', type: 'int', values: [1, -1, null, 2147483647], stored: 'int:4' },
  { name: 'real halves and eighths', type: 'real', values: [0.5, 124.875, null, -3.25], stored: 'f32' },
  { name: 'real specials', type: 'real', values: [NaN, Infinity, -Infinity, -0, 2 ** -140], stored: 'f32' },
  { name: 'real tenths', type: 'real', values: [0.1, 0.2, null], stored: 'as is' },
  { name: 'real whole numbers', type: 'real', values: [1, 2, 3, null], stored: 'int:1' },
  { name: 'decimal', type: 'decimal', values: [1.5, null, 1e300], stored: 'as is' },
  { name: 'datetime milliseconds of a day', type: 'datetime', values: [T0, T0 + 86_399_999n * MS, null, T0 + 37n * MS], stored: 'int:4/int:0' },
  { name: 'datetime with ticks', type: 'datetime', values: [T0 + 1n, T0 + 9_999n, T0 + 250n * MS + 17n], stored: 'int:1/int:2' },
  { name: 'datetime before 1970 and after 2100', type: 'datetime', values: [-T0, T0 * 3n + 5n, null], stored: 'as is/int:1' },
  { name: 'datetime all null', type: 'datetime', values: [null, null, null], stored: 'int:0/int:0' },
  { name: 'timespan', type: 'timespan', values: [0n, -5n * MS, 864_000_000_000n, null, 3n], stored: 'int:4/int:1' },
  { name: 'bool', type: 'bool', values: [true, false, null, true], stored: 'int:1' },
  { name: 'bool all null', type: 'bool', values: [null, null, null], stored: 'int:0' },
  { name: 'long serial ids: steps', type: 'long', values: range(1000, (i) => 5_000_000_000 + 3 * i), stored: 'steps:0' },
  { name: 'long descending: steps', type: 'long', values: range(300, (i) => 1e6 - 1000 * i), stored: 'steps:0' },
  { name: 'long near neighbours: steps', type: 'long', values: range(300, (i) => 1000 * i + (i % 7) * 30), stored: 'steps:1' },
  { name: 'long steps but nulls', type: 'long', values: [...range(300, (i) => 1000 * i), null], stored: 'int:3' },
  { name: 'datetime in time order: steps', type: 'datetime', values: range(1000, (i) => T0 + BigInt(i) * 37n * MS), stored: 'steps:0/int:0' },
  { name: 'datetime nearly in order', type: 'datetime', values: range(1000, (i) => T0 + BigInt(i * 37 + (i % 5)) * MS + BigInt(i % 3)), stored: 'steps:1/int:1' },
  { name: 'string empty throughout', type: 'string', values: ['', '', ''], stored: 'codes:0' },
  { name: 'string one value', type: 'string', values: ['x', 'x'], stored: 'codes:0' },
  { name: 'string two values', type: 'string', values: ['a', 'bb', 'a', 'ünï 🚀'], stored: 'codes:1' },
  { name: 'string 300 values', type: 'string', values: range(600, (i) => `host-${i % 300}`), stored: 'codes:2' },
  { name: 'string 70,000 values', type: 'string', values: range(70_000, (i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`), stored: 'code steps:0' },
  { name: 'string 70,000 values, each twice', type: 'string', values: range(140_000, (i) => `v${i % 70_000}`), stored: 'codes:3' },
  { name: 'string 300 values, each 30 times in a row', type: 'string', values: range(9000, (i) => `v${Math.floor(i / 30)}`), stored: 'code steps:1' },
  { name: 'string with a lone surrogate', type: 'string', values: ['a', 'lone \ud800', 'a'], stored: 'codes:1' },
  { name: 'guid with nulls', type: 'guid', values: ['00000000-0000-0000-0000-000000000001', null, '00000000-0000-0000-0000-000000000002'], stored: 'codes:1' },
  { name: 'guid one value', type: 'guid', values: [null, null], stored: 'codes:0' },
  { name: 'dynamic', type: 'dynamic', values: [{ a: [1, 'x'] }, null, 3, 'text'], stored: 'as is' },
];

function stored(m: ReturnType<typeof readExtentMeta>['columns'][number]): string {
  if (m.packedCodes) return `${m.packedCodes.from === undefined ? 'codes' : 'code steps'}:${m.packedCodes.width}`;
  const packed = (p: Packed) => `${p.from === undefined ? 'int' : 'steps'}:${p.width}`;
  if (m.type === 'datetime' || m.type === 'timespan') return `${m.ms ? packed(m.ms) : 'as is'}/${m.ticks ? packed(m.ticks) : 'as is'}`;
  return m.ints ? packed(m.ints) : m.f32 ? 'f32' : 'as is';
}

/** The column's arrays exactly (typed arrays compared byte for byte: -0, NaN and null rows' values included). */
function same(got: Column, want: Column, what: string): void {
  assert.deepStrictEqual({ ...got }, { ...want }, what);
  if (got.type === 'string' || got.type === 'guid') {
    const w = want as typeof got;
    if (w.dict.length > 1) assert.deepStrictEqual(postingsOf(got), buildPostings(w.codes, w.dict.length), `${what}: row index`);
  }
}

test('every column type round-trips exactly through format 3, in the narrowest exact form', () => {
  CASES.forEach((c, i) => {
    const column = buildColumn(c.type, c.values);
    const table: Table = { length: c.values.length, columns: [{ name: 'C', column }] };
    const dir = join(root, `case-${i}`);
    const meta = writeExtent(dir, table, {});
    assert.equal(meta.format, 'kqlite-extent/4');
    assert.equal(stored(meta.columns[0]!), c.stored, c.name);
    const back = readExtent(dir, { name: 'T', columns: [{ name: 'C', type: c.type }] });
    same(back.columns[0]!.column, column, c.name);
  });
});

test('an empty extent of every type round-trips', () => {
  const types: ScalarTypeName[] = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'guid', 'datetime', 'timespan', 'dynamic'];
  const schema = { name: 'T', columns: types.map((type) => ({ name: type, type })) };
  const table: Table = { length: 0, columns: types.map((type) => ({ name: type, column: buildColumn(type, []) })) };
  const dir = join(root, 'empty');
  writeExtent(dir, table, {});
  const back = readExtent(dir, schema);
  back.columns.forEach((c, i) => same(c.column, table.columns[i]!.column, c.name));
});

test('the widths a few rows cannot reach: four-byte codes, row indexes of every width, null rows holding other values', () => {
  // packs into an in-memory "file" and widens back, as a reader would
  const parts: Uint8Array[] = [];
  let at = 0;
  const put = (a: ArrayBufferView): BufferRef => {
    const ref: BufferRef = [at, a.byteLength];
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice());
    at += a.byteLength + ((8 - (a.byteLength % 8)) % 8);
    if (a.byteLength % 8) parts.push(new Uint8Array((8 - (a.byteLength % 8)) % 8));
    return ref;
  };
  const file = () => new Uint8Array(Buffer.concat(parts)).buffer;
  const codes = Int32Array.of(0, 2 ** 24, 5, 2 ** 31 - 2);
  const p = packCodes(codes, 2 ** 31 - 1, put);
  assert.equal(p.width, 4);
  assert.deepStrictEqual(unpackCodes(file(), 0, p, codes.length), codes);
  // null rows (bit clear) holding a value outside the valid rows' range get it back
  const validity = Uint8Array.of(0b0101);
  const values = Float64Array.of(1000, -7, 1001, -7);
  const q = packInts(values, 4, validity, put)!;
  assert.deepEqual([q.width, q.base, q.nulls], [1, 1000, -7]);
  assert.deepStrictEqual(unpack(file(), 0, q, 4, Float64Array, validity), values);
  assert.equal(packInts(Float64Array.of(1, 2, 3), 3, Uint8Array.of(0b001), put), undefined, 'null rows holding different values stay as they are');
  // row indexes: gaps of each width
  for (const [rows, gapWidth] of [[200, 1], [3_000, 2], [70_000, 3]] as const) {
    const col = buildColumn('string', range(rows, (i) => (i === rows - 1 ? 'last' : `v${i % 3}`)));
    const dir = join(root, `index-${rows}`);
    const meta = writeExtent(dir, { length: rows, columns: [{ name: 'S', column: col }] }, {});
    assert.equal(meta.columns[0]!.index!.gaps.width, gapWidth, `${rows} rows`);
    const back = new ExtentReader(dir).load('S', 'string').column as Extract<Column, { type: 'string' }>;
    assert.deepStrictEqual(postingsOf(back), buildPostings((col as typeof back).codes, 4));
  }
  // distinct values in order of first appearance: each code's first row is one after the previous code's
  const unique = buildColumn('string', range(5000, (i) => `10.0.${i >> 8}.${i & 255}`));
  const u = writeExtent(join(root, 'index-unique'), { length: 5000, columns: [{ name: 'S', column: unique }] }, {}).columns[0]!.index!;
  assert.deepEqual([u.chained, u.counts.width, u.gaps.width], [true, 0, 1]);
  // a dictionary not in order of first appearance (a merged one) counts each code's first row from 0
  const merged: Column = { type: 'string', length: 6, dict: ['b', 'a', 'c'], codes: Int32Array.of(1, 0, 1, 2, 0, 0) };
  const mi = writeExtent(join(root, 'index-merged'), { length: 6, columns: [{ name: 'S', column: merged }] }, {}).columns[0]!.index!;
  assert.equal(mi.chained, undefined);
  const mb = new ExtentReader(join(root, 'index-merged')).load('S', 'string').column as Extract<Column, { type: 'string' }>;
  assert.deepStrictEqual(postingsOf(mb), buildPostings(merged.codes, 3));
  assert.deepStrictEqual(mb.codes, merged.codes);
});

test('format 3 is smaller than format 2 for the sample columns, and single-valued columns store no codes', () => {
  const col = buildColumn('string', range(1000, (i) => `host-${i % 50}`));
  const meta = writeExtent(join(root, 'size'), { length: 1000, columns: [{ name: 'S', column: col }, { name: 'E', column: buildColumn('string', range(1000, () => '')) }] }, {});
  // 1-byte codes + 1-byte gaps (each host every 50 rows) + a few bytes of dictionary, against 4 + 4 in format 2
  assert.ok(meta.bytes < 2500, `${meta.bytes} bytes`);
  assert.equal(meta.columns[1]!.packedCodes!.width, 0);
  assert.equal(meta.columns[1]!.index, undefined);
});
