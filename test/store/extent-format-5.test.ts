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
import { bitsFor, frameLayout, packFrames, unpackFrameSums, unpackFrames } from '../../src/store/bit-frames.js';
import { packCodes, packInts, unpack, unpackCodes, type BufferRef, type Packed } from '../../src/store/extent-codecs.js';
import { ipv4Numbers, ipv4Strings } from '../../src/store/ipv4-dictionary.js';
import { ExtentReader, readExtent, readExtentMeta, writeExtent } from '../../src/store/extent-format.js';

const root = mkdtempSync(join(tmpdir(), 'kqlite-format-5-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MS = 10_000n;
const T0 = 17_672_256_000_000_000n; // 2026-01-01
const range = (n: number, f: (i: number) => Value) => Array.from({ length: n }, (_, i) => f(i));

/** How a column's values are stored in format 5: `int:0` every value the base (nothing stored), `frames`
 * offsets from the base bit-packed in frames, `steps:0` / `step frames` the differences between neighbours
 * (all one / bit-packed), `f32`, `as is` (the in-memory layout); datetimes as `ms/ticks`; strings' codes as
 * `codes:0` (single-valued), `codes` or `code steps`, and `ipv4` for a dictionary of addresses as numbers. */
const CASES: { name: string; type: ScalarTypeName; values: Value[]; stored: string }[] = [
  { name: 'long one value', type: 'long', values: [7, 7, 7], stored: 'int:0' },
  { name: 'long all null', type: 'long', values: [null, null], stored: 'int:0' },
  { name: 'long narrow', type: 'long', values: [443, 300, null, 443, 335], stored: 'frames' },
  { name: 'long negatives', type: 'long', values: [-3, 65532, 0, null], stored: 'frames' },
  { name: 'long four bytes: the whole Int32 range', type: 'long', values: [-(2 ** 31), 2 ** 31 - 1, null, 0], stored: 'frames' },
  { name: 'long spanning 2^32 - 1 exactly', type: 'long', values: [0, 2 ** 32 - 1, 5, 2 ** 32 - 2], stored: 'frames' },
  { name: 'long beyond 2^31, narrow range', type: 'long', values: [2 ** 53 - 1, 2 ** 53 - 200, 2 ** 53 - 100], stored: 'frames' },
  { name: 'long spanning 2^32 or more', type: 'long', values: [0, 2 ** 53 - 1, -(2 ** 53) + 1, null], stored: 'as is' },
  { name: 'long beyond 2^53 (exact as int64 beside the rounded floats)', type: 'long', values: [2n ** 62n + 1n, -(2n ** 63n), 3n, null, 2n ** 63n - 1n], stored: 'f32' },
  { name: 'long -0 keeps its sign', type: 'long', values: [-0, 1, 2], stored: 'f32' },
  { name: 'int', type: 'int', values: [1, -1, null, 2147483647], stored: 'frames' },
  { name: 'real halves and eighths', type: 'real', values: [0.5, 124.875, null, -3.25], stored: 'f32' },
  { name: 'real specials', type: 'real', values: [NaN, Infinity, -Infinity, -0, 2 ** -140], stored: 'f32' },
  { name: 'real tenths', type: 'real', values: [0.1, 0.2, null], stored: 'as is' },
  { name: 'real whole numbers', type: 'real', values: [1, 2, 3, null], stored: 'frames' },
  { name: 'decimal', type: 'decimal', values: [1.5, null, 1e300], stored: 'as is' },
  { name: 'datetime milliseconds of a day', type: 'datetime', values: [T0, T0 + 86_399_999n * MS, null, T0 + 37n * MS], stored: 'frames/int:0' },
  { name: 'datetime with ticks', type: 'datetime', values: [T0 + 1n, T0 + 9_999n, T0 + 250n * MS + 17n], stored: 'frames/frames' },
  { name: 'datetime before 1970 and after 2100', type: 'datetime', values: [-T0, T0 * 3n + 5n, null], stored: 'as is/frames' },
  { name: 'datetime all null', type: 'datetime', values: [null, null, null], stored: 'int:0/int:0' },
  { name: 'timespan', type: 'timespan', values: [0n, -5n * MS, 864_000_000_000n, null, 3n], stored: 'frames/frames' },
  { name: 'bool', type: 'bool', values: [true, false, null, true], stored: 'frames' },
  { name: 'bool all null', type: 'bool', values: [null, null, null], stored: 'int:0' },
  { name: 'long serial ids: steps', type: 'long', values: range(1000, (i) => 5_000_000_000 + 3 * i), stored: 'steps:0' },
  { name: 'long descending: steps', type: 'long', values: range(300, (i) => 1e6 - 1000 * i), stored: 'steps:0' },
  { name: 'long near neighbours: steps', type: 'long', values: range(300, (i) => 1000 * i + (i % 7) * 30), stored: 'step frames' },
  { name: 'long steps but nulls', type: 'long', values: [...range(300, (i) => 1000 * i), null], stored: 'frames' },
  { name: 'datetime in time order: steps', type: 'datetime', values: range(1000, (i) => T0 + BigInt(i) * 37n * MS), stored: 'steps:0/int:0' },
  { name: 'datetime in order, blocks side by side', type: 'datetime', values: range(3000, (i) => T0 + BigInt(((i * 7) % 3000) * 37) * MS), stored: 'step frames/int:0' },
  { name: 'datetime nearly in order', type: 'datetime', values: range(1000, (i) => T0 + BigInt(i * 37 + (i % 5)) * MS + BigInt(i % 3)), stored: 'step frames/frames' },
  { name: 'string empty throughout', type: 'string', values: ['', '', ''], stored: 'codes:0' },
  { name: 'string one value', type: 'string', values: ['x', 'x'], stored: 'codes:0' },
  { name: 'string two values', type: 'string', values: ['a', 'bb', 'a', 'ünï 🚀'], stored: 'codes' },
  { name: 'string 300 values', type: 'string', values: range(600, (i) => `host-${i % 300}`), stored: 'code step frames' },
  { name: 'string 70,000 addresses', type: 'string', values: range(70_000, (i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`), stored: 'code steps:0 ipv4' },
  { name: 'string addresses at the extremes', type: 'string', values: ['0.0.0.0', '255.255.255.255', '1.2.3.4', '0.0.0.0'], stored: 'codes ipv4' },
  { name: 'string addresses and one name', type: 'string', values: ['10.0.0.1', '10.0.0.2', 'localhost'], stored: 'code steps:0' },
  { name: 'string addresses spelt another way', type: 'string', values: ['10.0.0.1', '10.0.0.01'], stored: 'code steps:0' },
  { name: 'string 70,000 values, each twice', type: 'string', values: range(140_000, (i) => `v${i % 70_000}`), stored: 'code step frames' },
  { name: 'string 300 values, each 30 times in a row', type: 'string', values: range(9000, (i) => `v${Math.floor(i / 30)}`), stored: 'code step frames' },
  { name: 'string with a lone surrogate', type: 'string', values: ['a', 'lone \ud800', 'a'], stored: 'codes' },
  { name: 'guid with nulls', type: 'guid', values: ['00000000-0000-0000-0000-000000000001', null, '00000000-0000-0000-0000-000000000002'], stored: 'code steps:0' },
  { name: 'guid one value', type: 'guid', values: [null, null], stored: 'codes:0' },
  { name: 'dynamic', type: 'dynamic', values: [{ a: [1, 'x'] }, null, 3, 'text'], stored: 'as is' },
];

function stored(m: ReturnType<typeof readExtentMeta>['columns'][number]): string {
  const packed = (p: Packed) => (p.frames ? (p.from === undefined ? 'frames' : 'step frames') : `${p.from === undefined ? 'int' : 'steps'}:${p.width}`);
  if (m.packedCodes) {
    const p = m.packedCodes;
    const codes = p.frames ? (p.from === undefined ? 'codes' : 'code step frames') : `${p.from === undefined ? 'codes' : 'code steps'}:${p.width}`;
    return `${codes}${m.dictIpv4 ? ' ipv4' : ''}`;
  }
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

test('every column type round-trips exactly through format 5, in the narrowest exact form', () => {
  CASES.forEach((c, i) => {
    const column = buildColumn(c.type, c.values);
    const table: Table = { length: c.values.length, columns: [{ name: 'C', column }] };
    const dir = join(root, `case-${i}`);
    const meta = writeExtent(dir, table, {});
    assert.equal(meta.format, 'kqlite-extent/5');
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

test('codes up to 2^31, and null rows holding another value, round-trip through the codecs', () => {
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
  assert.ok(p.frames);
  assert.deepStrictEqual(unpackCodes(file(), 0, p, codes.length), codes);
  // null rows (bit clear) holding a value outside the valid rows' range get it back
  const validity = Uint8Array.of(0b0101);
  const values = Float64Array.of(1000, -7, 1001, -7);
  const q = packInts(values, 4, validity, put)!;
  assert.deepEqual([q.frames, q.base, q.nulls], [128, 1000, -7]);
  assert.deepStrictEqual(unpack(file(), 0, q, 4, Float64Array, validity), values);
  assert.equal(packInts(Float64Array.of(1, 2, 3), 3, Uint8Array.of(0b001), put), undefined, 'null rows holding different values stay as they are');
});

test('bit-packed frames give back every value, at every width', () => {
  const rnd = random(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = [0, 1, 127, 128, 129, 1000, 5000][trial % 7]!;
    const u = new Uint32Array(n);
    // frames of mixed widths: each stretch of values drawn below its own power of two (0 to 32 bits)
    for (let i = 0; i < n;) {
      const bits = Math.floor(rnd() * 33);
      const len = 1 + Math.floor(rnd() * 300);
      for (const end = Math.min(n, i + len); i < end; i++) u[i] = bits === 32 ? (rnd() < 0.2 ? 0xffffffff : Math.floor(rnd() * 2 ** 32)) : Math.floor(rnd() * 2 ** bits);
    }
    const words = packFrames(u, n);
    assert.equal(words.length, frameLayout(u, n).words);
    assert.deepStrictEqual(unpackFrames(words, n), u, `trial ${trial}`);
    // summed as unpacked (delta-coded columns): the same as summing the unpacked steps
    const base = [0, -203016642, 7][trial % 3]!;
    const from = [1792485849241, 0, -5][trial % 3]!;
    const sums = new Float64Array(n);
    for (let i = 0, v = from; i < n; i++) sums[i] = v += base + u[i]!;
    assert.deepStrictEqual(unpackFrameSums(words, n, base, from), sums, `trial ${trial} (sums)`);
  }
  assert.equal(bitsFor(0), 0);
  assert.equal(bitsFor(1), 1);
  assert.equal(bitsFor(2 ** 32 - 1), 32);
});

test('IPv4 dictionaries: only canonical dotted quads are stored as numbers, and print back the same', () => {
  const enc = (dict: string[]) => {
    const ends = new Int32Array(dict.length);
    dict.reduce((at, s, k) => (ends[k] = at + s.length), 0);
    return ipv4Numbers(ends, new Uint8Array(Buffer.from(dict.join(''), 'utf8')));
  };
  const good = ['0.0.0.0', '255.255.255.255', '10.1.20.255', '192.168.0.1', '1.2.3.4'];
  assert.deepEqual([...enc(good)!], [0, 2 ** 32 - 1, 0x0a0114ff, 0xc0a80001, 0x01020304]);
  assert.deepEqual(ipv4Strings(enc(good)!, good.length), good);
  for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.4 ', ' 1.2.3.4', '1..3.4', '1.2.3.', '::1', '１.2.3.4', '1.2.3.4a', '', '1000.1.1.1']) {
    assert.equal(enc(['1.2.3.4', bad]), undefined, JSON.stringify(bad));
  }
  assert.equal(enc([]), undefined);
});

test('random columns of every type, nulls anywhere, round-trip exactly (property test)', () => {
  const rnd = random(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (n: number) => Math.floor(rnd() * n);
  const REALS = [NaN, -0, 0, Infinity, -Infinity, 0.1, 1.5, -(2 ** 60), 2 ** -1074, Number.MAX_VALUE, 3];
  const TEXT = ['', 'a', 'naïve café', '日本語', '🚀 emoji', 'pair \ud83d\ude80', 'lone \ud800', '10.0.0.1', '192.168.1.254', 'x'.repeat(300)];
  const gen: Record<string, (i: number, shape: number) => Value> = {
    bool: () => rnd() < 0.5,
    int: (i, shape) => (shape === 0 ? int(2 ** 31) - 2 ** 30 : shape === 1 ? 7 + i : int(100)),
    long: (i, shape) => (shape === 0 ? pick([2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, BigInt(int(1000))]) : shape === 1 ? 5_000_000_000 + 3 * i + int(3) : int(2 ** 32) - 2 ** 31),
    real: (_i, shape) => (shape === 0 ? pick(REALS) : shape === 1 ? int(1000) / 8 : int(50)),
    decimal: () => pick(REALS.filter((r) => Number.isFinite(r))),
    datetime: (i, shape) => (shape === 0 ? BigInt(int(2 ** 52)) * 1000n - 2n ** 60n : T0 + BigInt(i) * 37n * MS + (shape === 1 ? 0n : BigInt(int(10_000)))),
    timespan: (_i, shape) => (shape === 0 ? BigInt(int(2 ** 40)) - 2n ** 39n : BigInt(int(1000)) * MS),
    string: (i, shape) => (shape === 0 ? pick(TEXT) : shape === 1 ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : `v${int(3000)}`),
    guid: () => `00000000-0000-0000-0000-${String(int(50)).padStart(12, '0')}`,
    dynamic: () => pick([{ a: [1, 'x'] }, 3, 'text', [null, true], { 'ü': { n: -0.5 } }]),
  };
  for (let trial = 0; trial < 120; trial++) {
    const type = Object.keys(gen)[trial % 10]! as ScalarTypeName;
    const n = pick([0, 1, 2, 127, 129, 600, 3000]);
    const shape = int(3);
    const nulls = pick([0, 0.1, 0.9, 1]);
    const values = range(n, (i) => (rnd() < nulls ? null : gen[type]!(i, shape)));
    const column = buildColumn(type, values);
    const dir = join(root, `random-${trial}`);
    writeExtent(dir, { length: n, columns: [{ name: 'C', column }] }, {});
    const back = new ExtentReader(dir).load('C', type).column;
    same(back, column, `trial ${trial}: ${type} × ${n}, shape ${shape}, nulls ${nulls}`);
  }
});

/** A small seeded generator (the same values on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('format 5 is smaller than format 4 for the sample columns, stores no row index, and single-valued columns store no codes', () => {
  const col = buildColumn('string', range(1000, (i) => `host-${i % 50}`));
  const meta = writeExtent(join(root, 'size'), { length: 1000, columns: [{ name: 'S', column: col }, { name: 'E', column: buildColumn('string', range(1000, () => '')) }] }, {});
  // 6-bit codes + a few bytes of dictionary, against 1-byte codes + 1-byte gaps in format 4
  assert.ok(meta.bytes < 1200, `${meta.bytes} bytes`);
  assert.equal(meta.columns[0]!.index, undefined);
  assert.equal(meta.columns[1]!.packedCodes!.width, 0);
  const back = new ExtentReader(join(root, 'size')).load('S', 'string').column as Extract<Column, { type: 'string' }>;
  assert.deepStrictEqual(postingsOf(back), buildPostings((col as typeof back).codes, 50), 'the row index, built from the codes');
});
