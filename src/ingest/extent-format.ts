/**
 * The on-disk extent format. An extent is a directory holding
 *   meta.json   rows, schema, per-column buffer offsets, Timestamp min/max (for pruning), creation time;
 *               a string column with a single value has no codes (all rows hold it)
 *   data.bin    the columns' typed arrays back to back, each 8-byte aligned; for strings also the row
 *               index (rows per dictionary code), so `has`/`in~`/`==` look rows up instead of scanning
 *   dicts.json  string/guid dictionaries and dynamic values (JSON parses faster than any hand decoder)
 * Loading is a file read plus typed-array views over it: no per-row work at all, which is why reloading a
 * workspace is much faster than ingesting. The layout equals the engine's in-memory layout
 * (src/engine/storage/column.ts), so a loaded extent is queried as is.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Column, Table } from '../engine/storage/column.js';
import { attachPostings, buildPostings } from '../engine/storage/postings.js';
import type { TableSchema } from '../kql/semantics/types.js';

export const EXTENT_FORMAT = 'kqlite-extent/1';

type BufferRef = [offset: number, length: number];
interface ColumnMeta {
  name: string;
  type: Column['type'];
  values?: BufferRef; validity?: BufferRef; codes?: BufferRef; hi?: BufferRef; lo?: BufferRef;
  /** Index into dicts.json for strings/guids (the dictionary) and dynamics (the values). */
  dict?: number;
  /** Strings/guids: the row index (rows per dictionary code: offsets, rows), see engine/storage/postings.ts.
   * Extents written before it existed have none; the engine builds it when a query needs it. */
  postings?: [offsets: BufferRef, rows: BufferRef];
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

/** Writes an extent into `dir` (which must not exist) via a temporary sibling and a rename. */
export function writeExtent(dir: string, table: Table, extra: { minTimestamp?: bigint; maxTimestamp?: bigint; source?: string }): ExtentMeta {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const put = (a: ArrayBufferView): BufferRef => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const pad = (8 - (offset % 8)) % 8;
    if (pad) {
      parts.push(new Uint8Array(pad));
      offset += pad;
    }
    const ref: BufferRef = [offset, bytes.byteLength];
    parts.push(bytes);
    offset += bytes.byteLength;
    return ref;
  };
  const dicts: unknown[] = [];
  const columns: ColumnMeta[] = table.columns.map(({ name, column: c }) => {
    const m: ColumnMeta = { name, type: c.type };
    if ('validity' in c && c.validity) m.validity = put(c.validity);
    switch (c.type) {
      case 'string':
      case 'guid':
        // a string column holding one value (often '' throughout) needs no codes: every row has code 0
        if (c.type === 'guid' || c.dict.length > 1) m.codes = put(c.codes);
        m.dict = dicts.push(c.dict) - 1;
        // a column holding one string (often '' in every row) gains nothing from a row index
        if (c.dict.length > 1) {
          const p = buildPostings(c.codes, c.dict.length);
          m.postings = [put(p.offsets), put(p.rows)];
        }
        break;
      case 'datetime':
      case 'timespan':
        m.hi = put(c.hi);
        m.lo = put(c.lo);
        break;
      case 'dynamic':
        m.dict = dicts.push(c.values) - 1;
        break;
      default:
        m.values = put(c.values);
    }
    return m;
  });
  const meta: ExtentMeta = {
    format: EXTENT_FORMAT, rows: table.length, createdAt: new Date().toISOString(), bytes: 0, columns,
    ...(extra.minTimestamp !== undefined ? { minTimestamp: extra.minTimestamp.toString() } : {}),
    ...(extra.maxTimestamp !== undefined ? { maxTimestamp: extra.maxTimestamp.toString() } : {}),
    ...(extra.source ? { source: extra.source } : {}),
  };
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const data = Buffer.concat(parts);
  const dictText = JSON.stringify(dicts);
  meta.bytes = data.byteLength + Buffer.byteLength(dictText);
  writeFileSync(join(tmp, 'data.bin'), data);
  writeFileSync(join(tmp, 'dicts.json'), dictText);
  writeFileSync(join(tmp, 'meta.json'), JSON.stringify(meta));
  renameSync(tmp, dir);
  return meta;
}

export function readExtentMeta(dir: string): ExtentMeta {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ExtentMeta;
  if (meta.format !== EXTENT_FORMAT) throw new Error(`${dir}: unknown extent format '${meta.format}'`);
  return meta;
}

/** Loads an extent as a Table laid out in `schema` order; columns the extent lacks (added later) are null. */
export function readExtent(dir: string, schema: TableSchema, meta = readExtentMeta(dir)): Table {
  const file = readFileSync(join(dir, 'data.bin'));
  // typed-array views need an aligned buffer of their own: a large read already is one (no copy, which
  // would double the memory while loading); a small one may sit in Node's shared pool and is copied
  const own = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength;
  const buf = own ? file.buffer : file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  const dicts = JSON.parse(readFileSync(join(dir, 'dicts.json'), 'utf8')) as unknown[];
  const n = meta.rows;
  const u8 = (r?: BufferRef) => (r ? new Uint8Array(buf, r[0], r[1]) : undefined);
  const byName = new Map(meta.columns.map((c) => [c.name, c]));
  const postings = (col: Extract<Column, { type: 'string' | 'guid' }>, m: ColumnMeta) => {
    if (m.postings) attachPostings(col, { offsets: new Int32Array(buf, m.postings[0][0], m.postings[0][1] / 4), rows: new Int32Array(buf, m.postings[1][0], m.postings[1][1] / 4) });
    return col;
  };
  const columns = schema.columns.map(({ name, type }) => {
    const m = byName.get(name);
    if (!m || m.type !== type) return { name, column: nullColumn(type, n) };
    let column: Column;
    switch (m.type) {
      case 'string':
        column = postings({ type: 'string', length: n, dict: dicts[m.dict!] as string[], codes: m.codes ? new Int32Array(buf, m.codes[0], n) : zeroCodes(n) }, m);
        break;
      case 'guid':
        column = postings({ type: 'guid', length: n, dict: dicts[m.dict!] as string[], codes: new Int32Array(buf, m.codes![0], n), validity: u8(m.validity) }, m);
        break;
      case 'datetime':
      case 'timespan':
        column = { type: m.type, length: n, hi: new Float64Array(buf, m.hi![0], n), lo: new Uint16Array(buf, m.lo![0], n), validity: u8(m.validity) };
        break;
      case 'dynamic':
        column = { type: 'dynamic', length: n, values: dicts[m.dict!] as Extract<Column, { type: 'dynamic' }>['values'], validity: u8(m.validity) };
        break;
      case 'bool':
        column = { type: 'bool', length: n, values: new Uint8Array(buf, m.values![0], n), validity: u8(m.validity) };
        break;
      default:
        column = { type: m.type, length: n, values: new Float64Array(buf, m.values![0], n), validity: u8(m.validity) };
    }
    return { name, column };
  });
  return { columns, length: n };
}

let zeros = new Int32Array(0);

/** Codes of a single-valued column: views of one shared zero-filled array (columns are never written to). */
function zeroCodes(n: number): Int32Array {
  if (zeros.length < n) zeros = new Int32Array(Math.max(n, zeros.length * 2));
  return zeros.subarray(0, n);
}

function nullColumn(type: Column['type'], n: number): Column {
  const none = new Uint8Array((n + 7) >> 3);
  switch (type) {
    case 'string':
      return { type, length: n, dict: [''], codes: new Int32Array(n) };
    case 'guid':
      return { type, length: n, dict: [''], codes: new Int32Array(n), validity: none };
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
