/**
 * Rows of one table on their way into an extent, held column by column the way the extent stores them:
 * growable typed arrays, strings dictionary-encoded as they arrive, a validity bitmap — so a million pending
 * rows cost a few bytes per cell rather than a boxed value each. The table's schema is the known Defender
 * schema or, for unknown tables, inferred from the first row; columns outside it are kept (typed from their
 * first value, earlier rows null). A column typed by inference that later meets a value of another kind
 * widens to string instead of losing the record.
 */
import { readCell } from '../engine/storage/builders.js';
import type { Column, Table } from '../engine/storage/column.js';
import { formatDatetime, formatTimespan, splitTicks } from '../engine/values/ticks.js';
import type { DynamicValue, Value } from '../engine/values/value.js';
import { jsonText, parseJson } from '../engine/values/json.js';
import { parseLongText } from '../engine/values/long.js';
import type { ColumnSchema, TableSchema } from '../kql/semantics/types.js';
import type { ScalarTypeName } from '../kql/syntax/index.js';
import { hashBytes } from './byte-dictionary.js';
import { attachEncodedDictionary } from '../store/extent-format.js';
import { PendingDictionary } from './pending-dictionary.js';
import { Unescaper } from './json-unescape.js';
import { CoercionError, coerce, inferType } from './coerce.js';
import { datetimeFromBytes, datetimeFromText, integerFromBytes, parsed } from './coerce-bytes.js';

function grow<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Escaped JSON text's bytes are made here (one per thread: the bytes are looked up, copied if new, then reused). */
const unescaper = new Unescaper();

const NUMERIC = new Set<ScalarTypeName>(['int', 'long', 'real', 'decimal']);

/** One column's values so far. */
class ColumnAccumulator {
  length = 0;
  private codes = new Int32Array(16);
  private numbers = new Float64Array(0);
  /** long only, once a value beyond ±2^53 arrived: every row exactly (storage/column.ts's `big`) */
  private bigs: BigInt64Array | undefined;
  private lo = new Uint16Array(0);
  private flags = new Uint8Array(0);
  private dynamics: DynamicValue[] = [];
  /** String and guid columns' dictionary (made on first use: other columns have none). */
  private dictionary: PendingDictionary | undefined;
  /** Which rows hold a value (a string column has none to keep: its byte paths leave it, see pushCode). */
  private valid = new Uint8Array(8);
  private anyNull = false;
  /** What the latest push changed beyond its cell, so `pop` can take the row back exactly. */
  private anyNullBefore = false;

  constructor(readonly type: ScalarTypeName) {}

  private get dict(): PendingDictionary {
    return (this.dictionary ??= new PendingDictionary());
  }

  /** `v` has already been coerced to this column's type. Capacity checks are inline: this runs per cell. */
  push(v: Value): void {
    this.anyNullBefore = this.anyNull;
    const i = this.length++;
    if (i >> 3 >= this.valid.length) this.valid = grow(this.valid, (i >> 3) + 1);
    const isNull = v === null || v === undefined;
    if (isNull) this.anyNull = true;
    else this.valid[i >> 3]! |= 1 << (i & 7);
    switch (this.type) {
      case 'string':
      case 'guid': {
        if (i >= this.codes.length) this.codes = grow(this.codes, i + 1);
        // absent values are the commonest string of all: no dictionary lookup for them
        this.codes[i] = isNull || v === '' ? this.dict.empty() : this.dict.code(v as string);
        break;
      }
      case 'datetime':
      case 'timespan': {
        if (i >= this.numbers.length) {
          this.numbers = grow(this.numbers, i + 1);
          this.lo = grow(this.lo, i + 1);
        }
        if (typeof v === 'bigint') {
          const t = splitTicks(v);
          this.numbers[i] = t.hi;
          this.lo[i] = t.lo;
        }
        break;
      }
      case 'bool':
        if (i >= this.flags.length) this.flags = grow(this.flags, i + 1);
        this.flags[i] = v === true ? 1 : 0;
        break;
      case 'dynamic':
        this.dynamics.push(isNull ? null : (v as DynamicValue));
        break;
      default:
        if (i >= this.numbers.length) this.numbers = grow(this.numbers, i + 1);
        this.numbers[i] = isNull ? 0 : Number(v);
        // a long beyond ±2^53 arrives as a bigint: from then on the column keeps every row exactly too
        if ((typeof v === 'bigint' || this.bigs) && this.type === 'long') this.pushExact(i, isNull ? 0n : typeof v === 'bigint' ? v : BigInt(v as number));
    }
  }

  private pushExact(i: number, v: bigint): void {
    if (!this.bigs) {
      this.bigs = new BigInt64Array(Math.max(1024, this.numbers.length));
      for (let j = 0; j < i; j++) this.bigs[j] = BigInt(this.numbers[j]!);
    }
    if (i >= this.bigs.length) {
      const b = new BigInt64Array(Math.max(i + 1, this.bigs.length * 2));
      b.set(this.bigs);
      this.bigs = b;
    }
    this.bigs[i] = v;
  }

  /**
   * Rows up to `row` that a sparse reader skipped (a key absent from an NDJSON line) are nulls: filled here
   * in one go when the column is next written, instead of one push per absent cell. Not taken back by `pop`
   * (those rows are before the row being rolled back).
   */
  padTo(row: number): void {
    const from = this.length;
    if (from >= row) return;
    if (row >> 3 >= this.valid.length) this.valid = grow(this.valid, (row >> 3) + 1);
    this.anyNull = true;
    switch (this.type) {
      case 'string':
      case 'guid': {
        const empty = this.dict.empty();
        this.codes = grow(this.codes, row);
        this.codes.fill(empty, from, row);
        break;
      }
      case 'datetime':
      case 'timespan':
        this.numbers = grow(this.numbers, row);
        this.lo = grow(this.lo, row);
        this.numbers.fill(0, from, row);
        this.lo.fill(0, from, row);
        break;
      case 'bool':
        this.flags = grow(this.flags, row);
        this.flags.fill(0, from, row);
        break;
      case 'dynamic':
        for (let r = from; r < row; r++) this.dynamics.push(null);
        break;
      default:
        this.numbers = grow(this.numbers, row);
        this.numbers.fill(0, from, row);
        if (this.bigs) {
          this.pushExact(row - 1, 0n);
          this.bigs!.fill(0n, from, row);
        }
    }
    this.length = row;
  }

  /**
   * Pushes the cell buf[s, e) (raw CSV text) when its common form can be read from the bytes: any string,
   * an empty cell, an ISO datetime, an integer. False (nothing pushed) when the caller must coerce the text.
   */
  pushBytes(buf: Buffer, s: number, e: number): boolean {
    const type = this.type;
    if (s === e) {
      this.push(type === 'string' ? '' : null);
      return true;
    }
    if (type === 'string') {
      this.pushStringBytes(buf, s, e, false);
      return true;
    }
    if (type === 'datetime') {
      if (!datetimeFromBytes(buf, s, e)) return false;
      this.pushTicks(parsed.hi, parsed.lo);
      return true;
    }
    if (type === 'long' || type === 'int' || type === 'real' || type === 'decimal') {
      if (!integerFromBytes(buf, s, e)) return false;
      // 15 digits fit a long (and a float) exactly, not always an int: coerce.ts reports those
      if (type === 'int' && (parsed.num | 0) !== parsed.num) return false;
      this.push(parsed.num);
      return true;
    }
    return false;
  }

  /** A string value's common cases (any string column, an ISO datetime); false: coerce.ts decides. */
  pushString(v: string): boolean {
    if (this.type === 'string') {
      this.push(v);
      return true;
    }
    if (this.type !== 'datetime') return false;
    if (v === '') this.push(null);
    else if (datetimeFromText(v)) this.pushTicks(parsed.hi, parsed.lo);
    else return false;
    return true;
  }

  /** A number value into a numeric column (a whole one for int/long); false: coerce.ts decides. */
  pushNumber(v: number): boolean {
    const t = this.type;
    // an int must fit int32, a long read through a float only while it is exact: coerce.ts decides the rest
    if (t === 'int' ? (v | 0) !== v : t === 'long' ? !Number.isSafeInteger(v) : t !== 'real' && t !== 'decimal') return false;
    if (Number.isNaN(v)) return false;
    this.push(v);
    return true;
  }

  /**
   * A whole number of at most 15 digits (as integerFromBytes reads it) into a number column, as pushBytes
   * would push it; false (nothing pushed) for other columns and an int out of range.
   */
  pushInteger(v: number): boolean {
    const t = this.type;
    if (t === 'int' ? (v | 0) !== v : t !== 'long' && t !== 'real' && t !== 'decimal') return false;
    if (this.bigs) {
      this.push(v);
      return true;
    }
    const i = this.length;
    if (i >= this.numbers.length) this.numbers = grow(this.numbers, i + 1);
    if (i >> 3 >= this.valid.length) this.valid = grow(this.valid, (i >> 3) + 1);
    this.anyNullBefore = this.anyNull;
    this.numbers[i] = v;
    this.valid[i >> 3]! |= 1 << (i & 7);
    this.length = i + 1;
    return true;
  }

  private pushTicks(hi: number, lo: number): void {
    const i = this.length;
    if (i >= this.numbers.length) {
      this.numbers = grow(this.numbers, i + 1);
      this.lo = grow(this.lo, i + 1);
    }
    if (i >> 3 >= this.valid.length) this.valid = grow(this.valid, (i >> 3) + 1);
    this.anyNullBefore = this.anyNull;
    this.numbers[i] = hi;
    this.lo[i] = lo;
    this.valid[i >> 3]! |= 1 << (i & 7);
    this.length = i + 1;
  }

  /** A JSON string's escaped bytes (between its quotes) into a string column: by the bytes of its text where
   * json-unescape.ts can make them, else by the escaped bytes (the dictionary decodes them with JSON.parse). */
  pushEscaped(buf: Buffer, s: number, e: number): void {
    const n = unescaper.unescape(buf, s, e);
    if (n < 0) this.pushStringBytes(buf, s, e, true);
    else this.pushStringBytes(unescaper.out, 0, n, false);
  }

  /** A string column's cell by its unescaped bytes, already hashed (hashBytes) by the reader; `ascii`: the
   * reader saw every byte below 0x80. */
  pushHashedText(buf: Buffer, s: number, e: number, hash: number, ascii: boolean): void {
    this.pushStringBytes(buf, s, e, false, hash, ascii);
  }

  /** A string column's cell by its bytes: a repeated value is found without decoding it. */
  private pushStringBytes(buf: Buffer, s: number, e: number, escaped: boolean, hash = hashBytes(buf, s, e), ascii?: boolean): void {
    this.pushCode(this.dict.ofBytes(buf, s, e, escaped, hash, ascii));
  }

  /** A non-null cell of a string or guid column by its code. A string column keeps no validity (`finish`:
   * an absent string is ''), so its bitmap is not kept up per cell; a guid's is. */
  private pushCode(c: number): void {
    const i = this.length;
    if (i >= this.codes.length) this.codes = grow(this.codes, i + 1);
    this.anyNullBefore = this.anyNull;
    this.codes[i] = c;
    if (this.type !== 'string') {
      if (i >> 3 >= this.valid.length) this.valid = grow(this.valid, (i >> 3) + 1);
      this.valid[i >> 3]! |= 1 << (i & 7);
    }
    this.length = i + 1;
  }

  /** Takes back the latest push (a row that failed in a later column). */
  pop(): void {
    const i = --this.length;
    if (i >> 3 < this.valid.length) this.valid[i >> 3]! &= ~(1 << (i & 7));
    this.anyNull = this.anyNullBefore;
    if (this.type === 'dynamic') this.dynamics.pop();
    if (this.type === 'string' || this.type === 'guid') this.dict.undoLast();
  }

  /** Roughly what the pending values take in memory: the cells, plus each distinct string about three times
   * (the string, its Map entry, its bytes in the byte dictionary). Flushing goes by it (FileLoad). */
  memoryBytes(): number {
    const width = this.type === 'string' || this.type === 'guid' ? 4 : this.type === 'bool' ? 1 : this.type === 'dynamic' ? 32 : this.type === 'datetime' || this.type === 'timespan' ? 10 : 8;
    return this.length * width + (this.dictionary?.memoryBytes ?? 0);
  }

  /** The pending values as a Column; the arrays are views of the builders' (no copy: the builder is dropped). */
  finish(): Column {
    const n = this.length;
    const validity = this.anyNull ? this.valid.subarray(0, (n + 7) >> 3) : undefined;
    switch (this.type) {
      case 'string':
      case 'guid': {
        const codes = this.codes.subarray(0, n);
        const d = this.dict;
        const col: Column = this.type === 'string' ? { type: 'string', length: n, dict: [], codes } : { type: 'guid', length: n, dict: [], codes, validity };
        const encoded = d.encoded();
        if (!encoded) col.dict = d.toStrings();
        else {
          // the extent writer takes the bytes as they are; anything else that reads the dictionary decodes it then
          attachEncodedDictionary(col, encoded);
          Object.defineProperty(col, 'dict', { enumerable: true, configurable: true, get: () => d.toStrings() });
        }
        return col;
      }
      case 'datetime':
      case 'timespan':
        return { type: this.type, length: n, hi: this.numbers.subarray(0, n), lo: this.lo.subarray(0, n), validity };
      case 'bool':
        return { type: 'bool', length: n, values: this.flags.subarray(0, n), validity };
      case 'dynamic':
        return { type: 'dynamic', length: n, values: this.dynamics, validity };
      default:
        if (this.bigs) return { type: 'long', length: n, values: this.numbers.subarray(0, n), validity, big: this.bigs.subarray(0, n) };
        return { type: this.type as 'long', length: n, values: this.numbers.subarray(0, n), validity };
    }
  }
}

/**
 * The most columns a table takes: Kusto's own limit (10,000 per table). A record or CSV header past it is
 * set aside with this reason; without it a header of a million names took gigabytes (a column buffer each).
 */
export const MAX_TABLE_COLUMNS = 10_000;
export const TOO_MANY_COLUMNS = `more than ${MAX_TABLE_COLUMNS.toLocaleString('en-US')} columns (the most a table holds, as in Kusto)`;

/** Pending rows of one table. */
export class TableAccumulator {
  rows = 0;
  /** Columns this file added outside the table's schema, in the order first seen. */
  readonly extra: string[] = [];
  readonly schema: TableSchema;
  private columns: ColumnAccumulator[];
  private readonly byName = new Map<string, number>();
  /** Columns whose type is settled (a known schema, or already in an extent): a misfit is an error, not a widening. */
  private readonly fixed = new Set<string>();

  /** `base`: the table's schema in the workspace, else its Defender schema, else none (inferred from `firstRow`). */
  constructor(name: string, base: TableSchema | undefined, firstRow: Record<string, unknown>) {
    const inferred = base ? [] : Object.entries(firstRow);
    // a first record past the cap starts the table empty: adding it then sets it aside (add)
    const columns: ColumnSchema[] = base ? base.columns.map((c) => ({ name: c.name, type: c.type })) : inferred.length > MAX_TABLE_COLUMNS ? [] : inferred.map(([k, v]) => ({ name: k, type: inferType(v) }));
    if (base) for (const c of columns) this.fixed.add(c.name);
    this.schema = { name: base?.name ?? name, columns };
    this.columns = columns.map((c, i) => (this.byName.set(c.name, i), new ColumnAccumulator(c.type)));
  }

  /** Adds a row, or throws CoercionError (and adds nothing) when a value does not fit its column. */
  add(row: Record<string, unknown>): void {
    let checked = false;
    for (const k in row) {
      if (this.byName.has(k) || row[k] === undefined) continue;
      if (!checked) {
        // a row with new columns (rare after the first rows) is counted once, before any is added
        checked = true;
        let fresh = 0;
        for (const n in row) if (!this.byName.has(n) && row[n] !== undefined) fresh++;
        if (this.columns.length + fresh > MAX_TABLE_COLUMNS) throw new CoercionError(`the record would give ${this.schema.name} ${TOO_MANY_COLUMNS}`);
      }
      const acc = new ColumnAccumulator(inferType(row[k] ?? ''));
      acc.padTo(this.rows);
      this.byName.set(k, this.columns.push(acc) - 1);
      this.schema.columns.push({ name: k, type: acc.type });
      this.extra.push(k);
    }
    // values are pushed as they are coerced; a misfit takes back the ones pushed before it (`pop`). Only the
    // row's own keys are visited: a column the row lacks stays short and is padded with nulls when next
    // written or taken (wide schemas such as SecurityEvent's 200 columns get rows that set a few)
    const pushed = this.pushed;
    pushed.length = 0;
    try {
      for (const k in row) {
        const v: unknown = row[k];
        if (v === undefined) continue;
        const i = this.byName.get(k)!;
        const col = this.columns[i]!;
        col.padTo(this.rows);
        pushed.push(i);
        // only the row's own keys are read, so a column named like a member of Object.prototype (constructor,
        // toString, __proto__) that the row lacks is never looked up on the prototype
        if (typeof v === 'string' ? col.pushString(v) : typeof v === 'number' && col.pushNumber(v)) continue;
        this.pushValue(i, v);
      }
    } catch (e) {
      for (const j of pushed) if (this.columns[j]!.length > this.rows) this.columns[j]!.pop();
      throw e;
    }
    this.rows++;
  }

  /** The columns the current `add` has pushed into (so a misfit takes back exactly those). */
  private readonly pushed: number[] = [];

  /** Takes back the last row added (a record whose other rows did not fit). */
  popRow(): void {
    if (!this.rows) return;
    this.rows--;
    for (const c of this.columns) if (c.length > this.rows) c.pop();
  }

  /** Takes back the cells the current row pushed into columns before `i` (a later one did not fit). */
  private rollBack(i: number): void {
    for (let j = 0; j < i; j++) if (this.columns[j]!.length > this.rows) this.columns[j]!.pop();
  }

  /** Column i's value through coerce.ts (any JavaScript value), widening an inferred column that misfits. */
  private pushValue(i: number, value: unknown): void {
    const c = this.schema.columns[i]!;
    const v = c.type === 'string' && value !== null && typeof value === 'object' ? jsonText(value) : value;
    let out: Value;
    try {
      out = coerce(v, c.type, c.name);
    } catch (e) {
      if (!(e instanceof CoercionError) || this.fixed.has(c.name)) throw e;
      this.widenToString(i);
      out = coerce(v, 'string', c.name);
    }
    this.columns[i]!.push(out);
  }

  /**
   * Adds a CSV record given as field boundaries: `fieldOf[c]` is column c's field (-1: not in the file).
   * Cells are read from their bytes where coerce-bytes.ts can, else decoded and coerced as `add` does, with
   * the same widening; throws CoercionError (and adds nothing) like `add`.
   */
  addFields(buf: Buffer, starts: Int32Array, ends: Int32Array, fieldOf: Int32Array): void {
    const n = this.columns.length;
    let i = 0;
    try {
      for (; i < n; i++) {
        const f = fieldOf[i]!;
        this.columns[i]!.padTo(this.rows);
        if (f < 0) this.columns[i]!.push(null);
        else if (!this.columns[i]!.pushBytes(buf, starts[f]!, ends[f]!)) this.pushValue(i, buf.toString('utf8', starts[f]!, ends[f]!));
      }
    } catch (e) {
      this.rollBack(i);
      throw e;
    }
    this.rows++;
  }

  hasColumn(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * Adds an NDJSON row scanned on its bytes (json-columns.ts): per column its kind (Kind there: absent, text,
   * ASCII text, escaped text, integer, other number, true, false, null), value range, a text's hash and an
   * integer's value. Same values, widening and errors as `add`.
   */
  addScanned(buf: Buffer, kind: Uint8Array, starts: Int32Array, ends: Int32Array, hashes: Int32Array, nums?: Float64Array): void {
    const n = this.columns.length;
    let i = 0;
    try {
      for (; i < n; i++) {
        const k = kind[i];
        if (k === 0) continue; // absent: a null, filled in when the column is next written (padTo)
        const col = this.columns[i]!;
        if (col.length < this.rows) col.padTo(this.rows);
        const s = starts[i]!, e = ends[i]!;
        switch (k) {
          case 7: // ASCII text without escapes, and
          case 1: // text without escapes: its bytes are the string (hashed by the scanner)
            if (col.type === 'string' && s !== e) col.pushHashedText(buf, s, e, hashes[i]!, k === 7);
            else if (!col.pushBytes(buf, s, e)) this.pushValue(i, buf.toString('utf8', s, e));
            break;
          case 2: {
            // text with escapes: a string column looks the escaped bytes up; JSON.parse decodes a new one
            if (col.type === 'string') col.pushEscaped(buf, s, e);
            else {
              const v = JSON.parse(buf.toString('utf8', s - 1, e + 1)) as string;
              if (!col.pushString(v)) this.pushValue(i, v);
            }
            break;
          }
          case 8: // an integer of up to 15 digits, read by the scanner as pushBytes would read it
            // (else not a number column, or an int out of its range: coerce.ts words the error)
            if (!col.pushInteger(nums![i]!)) this.pushNumberText(i, buf, s, e);
            break;
          case 3:
            this.pushNumberText(i, buf, s, e);
            break;
          default:
            this.pushValue(i, k === 4 ? true : k === 5 ? false : null);
        }
      }
    } catch (err) {
      this.rollBack(i);
      throw err;
    }
    this.rows++;
  }

  /** Column i's cell from a JSON number's text. */
  private pushNumberText(i: number, buf: Buffer, s: number, e: number): void {
    const col = this.columns[i]!;
    if (NUMERIC.has(col.type) && col.pushBytes(buf, s, e)) return;
    const text = buf.toString('latin1', s, e);
    // an integer column reads the number's text exactly (a float would round past 2^53)
    if ((col.type === 'long' || col.type === 'int') && parseLongText(text) !== undefined) return this.pushValue(i, text);
    // what the generic path reads (parseJson): an integer past 2^53 stays exact, as a bigint, for a string column
    const v = text.length > 15 ? parseJson(text) : Number(text);
    if (typeof v !== 'number' || !col.pushNumber(v)) this.pushValue(i, v);
  }

  /** Column index of each name (-1: not a column). */
  columnsOf(names: readonly string[]): number[] {
    return names.map((n) => this.byName.get(n) ?? -1);
  }

  private widenToString(i: number): void {
    this.columns[i]!.padTo(this.rows);
    const old = this.columns[i]!.finish();
    const acc = new ColumnAccumulator('string');
    for (let r = 0; r < old.length; r++) {
      const v = readCell(old, r);
      acc.push(v === null ? null : typeof v === 'bigint' ? (old.type === 'timespan' ? formatTimespan(v) : old.type === 'datetime' ? formatDatetime(v) : v.toString()) : typeof v === 'object' ? jsonText(v) : String(v));
    }
    this.columns[i] = acc;
    this.schema.columns[i]!.type = 'string';
  }

  /** Roughly the memory the pending rows take. */
  bytes(): number {
    let b = 0;
    for (const c of this.columns) b += c.memoryBytes();
    return b;
  }

  /** The pending rows as a Table, and a fresh start (same schema) for the rows that follow. */
  take(): Table {
    for (const c of this.columns) c.padTo(this.rows);
    const table: Table = { columns: this.schema.columns.map((c, i) => ({ name: c.name, column: this.columns[i]!.finish() })), length: this.rows };
    this.columns = this.schema.columns.map((c) => new ColumnAccumulator(c.type));
    for (const c of this.schema.columns) this.fixed.add(c.name);
    this.rows = 0;
    return table;
  }
}
