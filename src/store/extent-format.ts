/**
 * The on-disk extent format (5). An extent is a directory holding
 *   meta.json   format, rows, Timestamp min/max (for pruning), creation time, and per column the byte
 *               ranges of its buffers in data.bin, how each is packed (base, steps, frames) and their CRC-32s
 *   data.bin    each column's buffers back to back, each 8-byte aligned: validity bitmap, then the values
 *               packed (extent-codecs.ts): integers as a base plus unsigned offsets bit-packed in frames of
 *               128 values at each frame's own width (bit-frames.ts: codes, whole-number int/long/real
 *               values, bools, a datetime's whole ms and its sub-ms ticks; nothing when every row holds the
 *               base: a single-valued string column has no codes), or as steps between neighbours when
 *               those pack smaller (a Timestamp in time order, serial ids, the codes of distinct values),
 *               other reals as Float32 when every value survives it; for strings/guids the dictionary (the
 *               strings' UTF-16 lengths, packed, + UTF-8 text; canonical IPv4 addresses as their numbers,
 *               packed: ipv4-dictionary.ts); dynamic columns hold their values as JSON text
 * No row index is stored: `has`/`in~`/`==` build it from the codes on first use (postings.ts), about as fast
 * as formats 3-4 read theirs, which took as many bytes as the codes.
 * Format 1 (still read) kept dictionaries and dynamic values in a dicts.json beside data.bin; format 2 (still
 * read) wrote the in-memory layout as is: Int32 codes, Float64 numbers and ms, Int32 end offsets and postings;
 * format 3 (still read) narrowed integers to 0-4 whole bytes per column and stored the row index as counts
 * and gaps; format 4 is format 3 with checksums.
 * Nothing is read until a query needs it: opening an extent reads meta.json; a column is one read of its
 * byte range (ExtentReader.load); a stored row index (formats 1-4) another, on first use. Loading widens each
 * buffer into the engine's in-memory layout (src/engine/storage/column.ts) with one loop (format 2's buffers
 * are used as typed-array views); the dictionary text is one UTF-8 decode per dictionary, then slices.
 * Packing is exact: a column holding a value it would change (-0 or NaN among integers, longs spanning 2^32
 * or more, reals Float32 cannot hold) keeps a wider form, so every column reads back bit for bit.
 * Formats 4-5 hold a CRC-32 of every buffer (`checks`, by its offset), verified as a column or its row index
 * is read: a flipped bit in data.bin ends the query with an error naming the extent and column, never a
 * wrong answer. Files are flushed to the disk (fsync) before the extent can be committed.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Column, Table } from '../engine/storage/column.js';
import { buildPostings, postingsLater, type Postings } from '../engine/storage/postings.js';
import { markStoredDictionary } from '../engine/storage/shared-strings.js';
import { QueryError } from '../engine/values/value.js';
import { EXECUTION } from '../engine/codes.js';
import { jsonText, parseJson } from '../engine/values/json.js';
import type { ScalarTypeName } from '../kql/syntax/ast.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { DamagedFileError } from '../common/damaged.js';
import { faultPoint } from '../common/faults.js';
import { crc32 } from './crc32.js';
import { fsyncPath, writeNewFile } from './durable.js';
import { readJsonFile } from './errors.js';
import {
  packCodes, packDictLengths, packInts, packNumbers, refsOf, unpack, unpackCodes, unpackDictLengths, unpackNumbers, unpackPostings,
  type BufferRef, type Packed, type PackedLengths, type PackedNumbers, type PackedPostings, type Put,
} from './extent-codecs.js';
import { ipv4Numbers, ipv4Strings } from './ipv4-dictionary.js';

export const EXTENT_FORMAT = 'kqlite-extent/5';
/** Formats this reader understands: 1 kept dictionaries in dicts.json, 2 kept the in-memory layout as is,
 * 3 narrowed buffers to whole bytes and stored the row index, 4 is 3 with checksums. */
const READABLE = new Set(['kqlite-extent/1', 'kqlite-extent/2', 'kqlite-extent/3', 'kqlite-extent/4', EXTENT_FORMAT]);

interface ColumnMeta extends PackedNumbers {
  name: string;
  type: Column['type'];
  /** Formats 1-2 (and format 3 where narrowing would change a value): buffers in the in-memory layout. */
  values?: BufferRef; validity?: BufferRef; codes?: BufferRef; hi?: BufferRef; lo?: BufferRef;
  /** Formats 3-5, strings/guids: the codes (width 0 for a single-valued column), the dictionary strings'
   * UTF-16 lengths (with `dictText`) and (formats 3-4) the row index; see extent-codecs.ts. Numbers and bools: `ints`
   * (numbers also `f32`). */
  packedCodes?: Packed; dictLengths?: PackedLengths; index?: PackedPostings;
  /** Format 5, strings/guids: a dictionary of IPv4 addresses as their numbers, packed (ipv4-dictionary.ts). */
  dictIpv4?: PackedLengths;
  /** Format 3, datetimes/timespans: whole milliseconds (`hi`) and sub-millisecond ticks (`lo`), packed. */
  ms?: Packed; ticks?: Packed;
  /** Format 1: index into dicts.json for strings/guids (the dictionary) and dynamics (the values). */
  dict?: number;
  /** Format 2, strings/guids: the dictionary as the end offset (UTF-16 units) of each string in `dictText`
   * (Int32), and the strings' concatenated UTF-8 text. A dictionary holding a lone surrogate (which UTF-8
   * cannot carry) is `dictJson` instead, as are a dynamic column's values. */
  dictEnds?: BufferRef; dictText?: BufferRef; dictJson?: BufferRef;
  /** Strings/guids: the row index (rows per dictionary code: offsets, rows), see engine/storage/postings.ts.
   * Extents written before it existed have none; the engine builds it when a query needs it. */
  postings?: [offsets: BufferRef, rows: BufferRef];
  /** A long column holding a value beyond ±2^53: every row as an int64 (BigInt64), beside `values`' floats.
   * Extents without it hold only safe longs, which the floats carry exactly. */
  big?: BufferRef;
  /** Format 4: the CRC-32 of each buffer of the column (row index included), by the buffer's offset. */
  checks?: [offset: number, crc: number][];
}

export interface ExtentMeta {
  format: string;
  rows: number;
  createdAt: string;
  /** Ticks since 1970 as decimal strings (bigint does not survive JSON). */
  minTimestamp?: string;
  maxTimestamp?: string;
  source?: string;
  bytes: number;
  columns: ColumnMeta[];
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Dictionaries given as their written form (UTF-16 end offsets and UTF-8 text) by the column that holds them. */
const encodedDictionaries = new WeakMap<Column, { ends: Int32Array; text: Uint8Array }>();

/** Gives a string or guid column's dictionary in its written form, so writing the column makes no strings. */
export function attachEncodedDictionary(column: Column, d: { ends: Int32Array; text: Uint8Array }): void {
  encodedDictionaries.set(column, d);
}

/** Writes an extent into `dir` (which must not exist) via a temporary sibling and a rename. */
export function writeExtent(dir: string, table: Table, extra: ExtentExtra): ExtentMeta {
  const tmp = `${dir}.tmp-${process.pid}`;
  const meta = writeExtentFiles(tmp, table, extra);
  renameSync(tmp, dir);
  return meta;
}

export interface ExtentExtra {
  minTimestamp?: bigint;
  maxTimestamp?: bigint;
  source?: string;
}

/**
 * Writes an extent's files into the folder `tmp` (made here), flushed to the disk: the workspace writes
 * straight under the extent's name (writer.ts writeExtentAt), which no reader sees until a commit lists it.
 */
export function writeExtentFiles(tmp: string, table: Table, extra: ExtentExtra): ExtentMeta {
  mkdirSync(tmp, { recursive: true });
  const fd = openSync(join(tmp, 'data.bin'), 'w');
  let offset = 0;
  let checks: [number, number][] = [];
  // each buffer is written as soon as it is made, so the narrowed copies do not pile up until the end
  const put = (a: ArrayBufferView): BufferRef => {
    const pad = (8 - (offset % 8)) % 8;
    if (pad) writeSync(fd, PADDING, 0, pad);
    offset += pad;
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    writeSlices(fd, bytes);
    if (bytes.byteLength) checks.push([offset, crc32(bytes)]);
    const ref: BufferRef = [offset, a.byteLength];
    offset += a.byteLength;
    return ref;
  };
  let columns: ColumnMeta[];
  try {
    columns = writeColumns(table, put, () => {
      const c = checks;
      checks = [];
      return c;
    });
    faultPoint('extent-data');
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  closeSync(fd);
  const meta: ExtentMeta = {
    format: EXTENT_FORMAT, rows: table.length, createdAt: new Date().toISOString(), bytes: offset, columns,
    ...(extra.minTimestamp !== undefined ? { minTimestamp: extra.minTimestamp.toString() } : {}),
    ...(extra.maxTimestamp !== undefined ? { maxTimestamp: extra.maxTimestamp.toString() } : {}),
    ...(extra.source ? { source: extra.source } : {}),
  };
  try {
    writeNewFile(join(tmp, 'meta.json'), JSON.stringify(meta), 'extent-meta');
    fsyncPath(tmp, true);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return meta;
}

const PADDING = new Uint8Array(8);

function writeColumns(table: Table, put: Put, takeChecks: () => [number, number][]): ColumnMeta[] {
  takeChecks();
  // a column's buffers are written together, so loading it is one read of one byte range
  return table.columns.map(({ name, column: c }) => {
    const m = writeColumn(name, c, put);
    m.checks = takeChecks();
    return m;
  });
}

function writeColumn(name: string, c: Column, put: Put): ColumnMeta {
  {
    const m: ColumnMeta = { name, type: c.type };
    const validity = 'validity' in c ? c.validity : undefined;
    if (validity) m.validity = put(validity);
    switch (c.type) {
      case 'string':
      case 'guid': {
        // a dictionary an ingest kept as bytes is written as it is (its strings are never made)
        const encoded = encodedDictionaries.get(c);
        const size = encoded ? encoded.ends.length : c.dict.length;
        // a column holding one value (often '' throughout) needs no code bytes: every row has code 0
        m.packedCodes = packCodes(c.codes, size, put);
        if (encoded) putDictText(encoded.ends, encoded.text, m, put);
        else putDict(c.dict, m, put);
        // no row index: a lookup builds it from the codes (postings.ts), as fast as format 4 read its own
        break;
      }
      case 'datetime':
      case 'timespan': {
        const ms = packInts(c.hi, c.length, validity, put);
        if (ms) m.ms = ms;
        else m.hi = put(c.hi);
        const ticks = packInts(c.lo, c.length, validity, put);
        if (ticks) m.ticks = ticks;
        else m.lo = put(c.lo);
        break;
      }
      case 'dynamic':
        m.dictJson = put(utf8(jsonText(c.values)));
        break;
      case 'bool': {
        // 0/1 a byte each, or no bytes when every row holds one value (often: all null)
        const ints = packInts(c.values, c.length, validity, put);
        if (ints) m.ints = ints;
        else m.values = put(c.values);
        break;
      }
      default: {
        const packed = packNumbers(c.values, validity, put);
        Object.assign(m, packed);
        if (!packed.ints && !packed.f32) m.values = put(c.values);
        if (c.big) m.big = put(c.big);
      }
    }
    return m;
  }
}

/**
 * Writes a buffer in slices of at most 1 MiB. One write() of tens of MiB is far slower on some kernels and
 * virtual disks than the same bytes in slices (measured: a 44 MB extent in 680 ms as one write, 15 ms in
 * 1 MiB slices).
 */
function writeSlices(fd: number, p: Uint8Array): void {
  for (let at = 0; at < p.byteLength; at += WRITE_SLICE) writeSync(fd, p, at, Math.min(WRITE_SLICE, p.byteLength - at));
}
const WRITE_SLICE = 1 << 20;

function putDict(dict: string[], m: ColumnMeta, put: Put): void {
  const ends = new Int32Array(dict.length);
  let at = 0;
  for (let k = 0; k < dict.length; k++) {
    at += dict[k]!.length;
    ends[k] = at;
  }
  const all = dict.join('');
  // UTF-8 cannot carry a lone surrogate (rare: text cut mid-pair); such a dictionary is written as JSON
  if (SURROGATE.test(all) && dict.some((s) => LONE_SURROGATE.test(s))) {
    m.dictJson = put(utf8(JSON.stringify(dict)));
    return;
  }
  putDictText(ends, utf8(all), m, put);
}

/** A dictionary given as UTF-16 end offsets and UTF-8 text: IPv4 addresses as numbers, anything else as is. */
function putDictText(ends: Int32Array, text: Uint8Array, m: ColumnMeta, put: Put): void {
  const addresses = ipv4Numbers(ends, text);
  const packed = addresses && packInts(addresses, addresses.length, undefined, put);
  if (packed) {
    m.dictIpv4 = { ...packed, count: addresses.length };
    return;
  }
  m.dictLengths = packDictLengths(ends, put);
  m.dictText = put(text);
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const META_WAY_OUT = 'The extent cannot be read: restore the workspace from a backup, or ingest its files again into a new workspace.';

export function readExtentMeta(dir: string): ExtentMeta {
  return readJsonFile<ExtentMeta>(join(dir, 'meta.json'), 'the extent description', META_WAY_OUT, (v) => {
    const m = v as ExtentMeta;
    if (!m || typeof m !== 'object' || !Array.isArray(m.columns) || !Number.isSafeInteger(m.rows)) return 'no rows or columns';
    if (!READABLE.has(m.format)) return `unknown extent format '${m.format}' (written by a newer kqlite?)`;
    return undefined;
  });
}

/** A loaded column and the bytes it holds (for a cache's budget). */
export interface LoadedColumn {
  column: Column;
  bytes: number;
}

/**
 * Reads an extent's columns one at a time, each with one read of its byte range in data.bin (the file is
 * opened per read: an extent never changes once written, and no descriptor outlives a query).
 */
export class ExtentReader {
  readonly rows: number;
  private readonly byName: Map<string, ColumnMeta>;
  /** Format 1 only: dicts.json, parsed when a column first needs it. */
  private v1Dicts?: unknown[];

  constructor(readonly dir: string, readonly meta: ExtentMeta = readExtentMeta(dir)) {
    this.rows = meta.rows;
    this.byName = new Map(meta.columns.map((c) => [c.name, c]));
  }

  /** Column `name` as `type`; a column the extent lacks (added to the schema later) or holds with another
   * type is all nulls. `onIndexLoaded` hears the bytes of a row index read later, on first use. */
  load(name: string, type: ScalarTypeName, onIndexLoaded?: (bytes: number) => void): LoadedColumn {
    const n = this.rows;
    const m = this.byName.get(name);
    if (!m || m.type !== type) return { column: nullColumn(type as Column['type'], n), bytes: nullBytes(type, n) };
    const refs = [m.values, m.big, m.validity, m.codes, m.hi, m.lo, m.dictEnds, m.dictText, m.dictJson, m.f32, ...refsOf(m.packedCodes, m.dictLengths, m.dictIpv4, m.ints, m.ms, m.ticks)]
      .filter((r): r is BufferRef => r !== undefined);
    const start = refs.length ? Math.min(...refs.map((r) => r[0])) : 0;
    const end = refs.length ? Math.max(...refs.map((r) => r[0] + r[1])) : 0;
    // one read; every buffer starts 8-aligned in the file, so also in this copy of the range
    const buf = this.read(start, end - start);
    this.verify(m, buf, start, refs);
    // what the column holds: views of `buf` keep all of it, widened buffers are their own
    let viewsOfBuf = false;
    let widened = 0;
    const view = <T>(r: BufferRef, make: new (b: ArrayBuffer, o: number, l: number) => T, width: number) => {
      viewsOfBuf = true;
      return new make(buf, r[0] - start, r[1] / width);
    };
    const own = <T extends ArrayBufferView>(a: T): T => {
      if (a.buffer === buf) viewsOfBuf = true;
      else widened += a.byteLength;
      return a;
    };
    // a format-3 column's validity is copied, so the narrow buffers it was read with are not kept for it
    const validity = m.validity ? (m.packedCodes || m.ms || m.ints || m.f32 ? own(new Uint8Array(buf, m.validity[0] - start, m.validity[1]).slice()) : view(m.validity, Uint8Array, 1)) : undefined;
    let column: Column;
    switch (m.type) {
      case 'string':
      case 'guid': {
        const dict = this.dict(m, buf, start);
        // a loaded extent's dictionary never changes: joins and merges may match its strings by shared id
        markStoredDictionary(dict);
        const codes = m.packedCodes ? (m.packedCodes.width === 0 && m.packedCodes.from === undefined ? zeroCodes(n) : own(unpackCodes(buf, start, m.packedCodes, n))) : m.codes ? view(m.codes, Int32Array, 4) : zeroCodes(n);
        column = m.type === 'string' ? { type: 'string', length: n, dict, codes } : { type: 'guid', length: n, dict, codes, validity };
        const p = m.postings;
        const packed = m.index;
        if (p) {
          postingsLater(column, () => {
            const [o, r] = p;
            const raw = this.read(o[0], r[0] + r[1] - o[0]);
            onIndexLoaded?.(raw.byteLength);
            return { offsets: new Int32Array(raw, 0, o[1] / 4), rows: new Int32Array(raw, r[0] - o[0], r[1] / 4) } satisfies Postings;
          });
        } else if (packed) {
          postingsLater(column, () => {
            const refs = refsOf(packed.counts, packed.gaps);
            const from = refs.length ? Math.min(...refs.map((r) => r[0])) : 0;
            const raw = this.read(from, refs.length ? Math.max(...refs.map((r) => r[0] + r[1])) - from : 0);
            this.verify(m, raw, from, refs);
            const postings = unpackPostings(raw, from, packed, n);
            onIndexLoaded?.(postings.offsets.byteLength + postings.rows.byteLength);
            return postings;
          });
        } else if (this.meta.format === EXTENT_FORMAT && dict.length > 1) {
          // format 5 stores none: built from the codes on the first lookup, its bytes charged like a read one's
          postingsLater(column, () => {
            const postings = buildPostings(codes, dict.length);
            onIndexLoaded?.(postings.offsets.byteLength + postings.rows.byteLength);
            return postings;
          });
        }
        break;
      }
      case 'datetime':
      case 'timespan': {
        const hi = m.ms ? own(unpack(buf, start, m.ms, n, Float64Array, validity)) : view(m.hi!, Float64Array, 8);
        const lo = m.ticks ? own(unpack(buf, start, m.ticks, n, Uint16Array, validity)) : view(m.lo!, Uint16Array, 2);
        column = { type: m.type, length: n, hi, lo, validity };
        break;
      }
      case 'dynamic':
        column = { type: 'dynamic', length: n, values: (m.dictJson ? parseJson(text(buf, m.dictJson, start)) : this.dictsV1()[m.dict!]) as Extract<Column, { type: 'dynamic' }>['values'], validity };
        break;
      case 'bool':
        column = { type: 'bool', length: n, values: m.ints ? own(unpack(buf, start, m.ints, n, Uint8Array, validity)) : view(m.values!, Uint8Array, 1), validity };
        break;
      default:
        column = { type: m.type, length: n, values: m.ints || m.f32 ? own(unpackNumbers(buf, start, m, n, validity)) : view(m.values!, Float64Array, 8), validity };
        if (m.big && column.type === 'long') column.big = view(m.big, BigInt64Array, 8);
    }
    // decoded strings take about as much memory as their text (one-byte strings) plus a slice header each
    const dictSize = m.dictEnds ? m.dictEnds[1] / 4 : (m.dictLengths?.count ?? 0);
    const decoded = m.dictText ? m.dictText[1] + 16 * dictSize : m.dictJson ? 2 * m.dictJson[1] : m.dictIpv4 ? 28 * m.dictIpv4.count : 0;
    return { column, bytes: (viewsOfBuf ? buf.byteLength : 0) + widened + decoded };
  }

  private dict(m: ColumnMeta, buf: ArrayBuffer, start: number): string[] {
    if (m.dictJson) return JSON.parse(text(buf, m.dictJson, start)) as string[];
    if (m.dictIpv4) return ipv4Strings(unpack(buf, start, m.dictIpv4, m.dictIpv4.count, Float64Array), m.dictIpv4.count);
    if (!m.dictText || !(m.dictEnds || m.dictLengths)) return this.dictsV1()[m.dict!] as string[];
    // one decode of the whole text, then slices of it (V8 keeps them as views of the one string)
    const all = text(buf, m.dictText, start);
    if (m.dictLengths) {
      const lengths = unpackDictLengths(buf, start, m.dictLengths);
      const dict = new Array<string>(lengths.length);
      for (let k = 0, from = 0; k < lengths.length; k++) dict[k] = all.slice(from, (from += lengths[k]!));
      return dict;
    }
    const ends = new Int32Array(buf, m.dictEnds![0] - start, m.dictEnds![1] / 4);
    const dict = new Array<string>(ends.length);
    let from = 0;
    for (let k = 0; k < ends.length; k++) {
      dict[k] = all.slice(from, ends[k]!);
      from = ends[k]!;
    }
    return dict;
  }

  private dictsV1(): unknown[] {
    return (this.v1Dicts ??= readJsonFile<unknown[]>(join(this.dir, 'dicts.json'), 'the extent dictionaries', META_WAY_OUT, (v) => (Array.isArray(v) ? undefined : 'not a list of dictionaries')));
  }

  /** Checks the buffers `refs` (read into `buf` from byte `start`) against their CRC-32s (format 4). */
  private verify(m: ColumnMeta, buf: ArrayBuffer, start: number, refs: BufferRef[]): void {
    if (!m.checks) return;
    const expected = new Map(m.checks);
    for (const [at, len] of refs) {
      if (!len) continue;
      const want = expected.get(at);
      if (want !== undefined && crc32(new Uint8Array(buf, at - start, len)) === want) continue;
      throw new QueryError(`extent ${this.dir}: column ${m.name}: data.bin bytes ${at}-${at + len} do not match their checksum (the file is damaged). ${META_WAY_OUT}`, EXECUTION.data);
    }
  }

  private read(offset: number, length: number): ArrayBuffer {
    const out = new ArrayBuffer(length);
    if (!length) return out;
    let fd: number;
    try {
      fd = openSync(join(this.dir, 'data.bin'), 'r');
    } catch (err) {
      // an ingest that failed part way removes the extents it wrote: a query that listed one before ends
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new QueryError(`extent ${this.dir} was removed while the query read it (an ingest undid it); run the query again`);
      throw err;
    }
    try {
      const bytes = new Uint8Array(out);
      for (let done = 0; done < length;) {
        const got = readSync(fd, bytes, done, length - done, offset + done);
        if (got === 0) throw new DamagedFileError(join(this.dir, 'data.bin'), `shorter than its meta.json says (no bytes at ${offset + done})`, META_WAY_OUT);
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
}

const text = (buf: ArrayBuffer, r: BufferRef, start: number) => Buffer.from(buf, r[0] - start, r[1]).toString('utf8');

/** `table` laid out in `schema` order: a column it lacks, or holds with another type, is all nulls (as a read). */
export function alignTable(table: Table, schema: TableSchema): Table {
  const by = new Map(table.columns.map((c) => [c.name, c]));
  return {
    length: table.length,
    columns: schema.columns.map(({ name, type }) => {
      const c = by.get(name);
      return c && c.column.type === type ? c : { name, column: nullColumn(type as Column['type'], table.length) };
    }),
  };
}

/** Loads a whole extent as a Table laid out in `schema` order (every column read now). */
export function readExtent(dir: string, schema: TableSchema, meta = readExtentMeta(dir)): Table {
  const reader = new ExtentReader(dir, meta);
  return { columns: schema.columns.map(({ name, type }) => ({ name, column: reader.load(name, type).column })), length: meta.rows };
}

let zeros = new Int32Array(0);

/** Codes of a single-valued column: views of one shared zero-filled array (columns are never written to). */
function zeroCodes(n: number): Int32Array {
  if (zeros.length < n) zeros = new Int32Array(Math.max(n, zeros.length * 2));
  return zeros.subarray(0, n);
}

function nullBytes(type: ScalarTypeName, n: number): number {
  return type === 'bool' ? n : type === 'datetime' || type === 'timespan' ? 10 * n : type === 'dynamic' ? 8 * n : type === 'string' || type === 'guid' ? n >> 3 : 8 * n;
}

function nullColumn(type: Column['type'], n: number): Column {
  const none = new Uint8Array((n + 7) >> 3);
  switch (type) {
    case 'string':
      return { type, length: n, dict: [''], codes: zeroCodes(n) };
    case 'guid':
      return { type, length: n, dict: [''], codes: zeroCodes(n), validity: none };
    case 'datetime':
    case 'timespan':
      return { type, length: n, hi: new Float64Array(n), lo: new Uint16Array(n), validity: none };
    case 'dynamic':
      return { type, length: n, values: new Array(n).fill(null), validity: none };
    case 'bool':
      return { type, length: n, values: new Uint8Array(n), validity: none };
    default:
      return { type, length: n, values: new Float64Array(n), validity: none };
  }
}
