/**
 * NDJSON of a known table into columns without JSON.parse: a line holding one flat object (`{"k": v, ...}`
 * with string, number, true/false/null values) is scanned on its bytes, each key found in a byte-keyed map of
 * the table's columns, each value pushed from its bytes as the CSV path does (dictionary lookup by bytes, ISO
 * datetimes, integers). Anything else — nested values, a key outside the schema, `category`/`Type`/`records`
 * wrappers, a repeated key, invalid JSON, the first row of a table without a known schema — goes through the generic record path
 * for that line (readers.ts `recordsOfLine`), so results, widening and quarantine are the generic path's.
 */
import { jsonText, parseJson } from '../engine/values/json.js';
import type { TableAccumulator } from './accumulate.js';
import { ByteDictionary, finishHash, FNV_OFFSET, FNV_PRIME } from './byte-dictionary.js';
import { CoercionError } from './coerce.js';
import type { FileLoad } from './file-load.js';
import { recordsOfLine, type RecordItem } from './readers.js';

const RAW_KEPT = 2000;
const [QUOTE, BACKSLASH, COLON, COMMA, OPEN, CLOSE, MINUS] = [0x22, 0x5c, 0x3a, 0x2c, 0x7b, 0x7d, 0x2d];
const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0d, 0x0a]) WS[c] = 1;

/**
 * What a scanned value is (per column, for TableAccumulator.addScanned): Text is a string without escapes
 * (Ascii: and every byte below 0x80), Integer a JSON integer of at most 15 digits whose value is in `nums`,
 * Number any other JSON number.
 */
export const Kind = { Absent: 0, Text: 1, Escaped: 2, Number: 3, True: 4, False: 5, Null: 6, Ascii: 7, Integer: 8 } as const;

/** Bytes that end a run of plain string bytes: the quote, a backslash, a control character. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = STRING_STOP[BACKSLASH] = 1;

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

/** Keys that make a record something other than a plain row (see readers.ts `unwrap`). */
const WRAPPERS = new Set(['category', 'Type', 'records', 'Schema', 'schema']);

export class NdjsonColumns {
  private acc: TableAccumulator | undefined;
  private keys = new ByteDictionary();
  private keyCount = -1;
  private kind = new Uint8Array(0);
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private hashes = new Int32Array(0);
  private nums = new Float64Array(0);
  /** The buffer of the line being scanned, and a view of it for 32-bit reads. */
  private viewOf: Buffer | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** Each column's name as bytes (and its whole 32-bit words, little-endian), and the column whose key came at each position of the previous line:
   * exports write keys in the same order on every line, so a key is mostly checked against one name. */
  private names: Buffer[] = [];
  private nameWords: Int32Array[] = [];
  private predicted = new Int32Array(0);
  private readonly batch: RecordItem[] = [];

  constructor(private readonly load: FileLoad, private readonly table: string) {}

  line(buf: Buffer, s: number, e: number, line: number): void {
    const acc = this.acc ?? (this.acc = this.accumulator());
    if (!acc || !this.scan(acc, buf, s, e)) return this.generic({ text: buf.toString('utf8', s, e), line });
    this.load.fr.read++;
    try {
      acc.addScanned(buf, this.kind, this.starts, this.ends, this.hashes, this.nums);
    } catch (err) {
      if (!(err instanceof CoercionError)) throw err;
      const row = parseJson(buf.toString('utf8', s, e));
      this.load.setAside({ line, raw: jsonText(row).slice(0, RAW_KEPT) }, this.table, err.message);
      return;
    }
    this.load.afterRow(acc);
  }

  /** The table's pending rows; a table with a known schema starts them on its first line, which is then read
   * on its bytes like the rest (an inferred schema comes from the first row, read the generic way). */
  private accumulator(): TableAccumulator | undefined {
    return this.load.pendingOf(this.table) ?? (this.load.baseSchema(this.table) ? this.load.accumulator(this.table, {}) : undefined);
  }

  /** A line the generic path reads (also the odd ones the line splitter reports). */
  generic(l: { text?: string; line: number; unterminated?: boolean; problem?: string }): void {
    this.batch.length = 0;
    recordsOfLine(l, this.batch);
    if (this.batch.length) this.load.add(this.batch); // never refused: the table is known
  }

  /**
   * Fills kind/starts/ends (and hashes, nums) per column from a flat object line; false when the line is not
   * one. Plain string bytes and key names go four at a time (a 32-bit read, and a test of all four bytes for
   * a quote, a backslash or a control character at once); integers are read as their digits go by.
   */
  private scan(acc: TableAccumulator, b: Buffer, s: number, e: number): boolean {
    const cols = acc.schema.columns;
    if (cols.length !== this.keyCount) this.indexKeys(acc);
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const dv = this.view;
    const kind = this.kind;
    kind.fill(Kind.Absent);
    let p = s;
    while (p < e && WS[b[p]!]) p++;
    if (b[p] !== OPEN) return false;
    p++;
    while (p < e && WS[b[p]!]) p++;
    if (b[p] === CLOSE) return false;
    const predicted = this.predicted;
    for (let at = 0; ; at++) {
      if (b[p] !== QUOTE) return false;
      const ks = ++p;
      let col = at < predicted.length ? predicted[at]! : -1;
      if (col >= 0 && this.isKey(dv, b, ks, e, col)) p = ks + this.names[col]!.length;
      else {
        while (p < e && b[p] !== QUOTE && b[p] !== BACKSLASH) p++;
        if (b[p] !== QUOTE) return false;
        col = this.keys.find(b, ks, p);
        if (at < predicted.length) predicted[at] = col;
      }
      if (col < 0 || kind[col] !== Kind.Absent) return false; // not a column (or a wrapper), or a repeated key
      p++;
      while (p < e && WS[b[p]!]) p++;
      if (b[p] !== COLON) return false;
      p++;
      while (p < e && WS[b[p]!]) p++;
      const c = b[p]!;
      let k: number;
      if (c === QUOTE) {
        const vs = ++p;
        // the text's hash as it is read (byte-dictionary.ts's hashBytes): a string column then finds it in one
        // pass. Whole words while none of their bytes ends a run of plain text; the rest byte by byte
        // (the hash is of no use once an escape is met: the dictionary hashes the text's bytes)
        let h = FNV_OFFSET;
        let high = 0;
        k = Kind.Text;
        for (;;) {
          while (p + 4 <= e) {
            const w = dv.getInt32(p, true);
            const q = w ^ 0x22222222, bs = w ^ 0x5c5c5c5c;
            if ((((q - 0x01010101) & ~q) | ((bs - 0x01010101) & ~bs) | ((w - 0x20202020) & ~w)) & 0x80808080) break;
            h = Math.imul(h ^ w, FNV_PRIME);
            high |= w;
            p += 4;
          }
          // the word holding the stop byte, byte by byte up to it
          let x = 0;
          for (; p < e; p++) {
            x = b[p]!;
            if (STRING_STOP[x]) break;
            h = Math.imul(h ^ x, FNV_PRIME);
            high |= x;
          }
          if (p >= e) return false;
          if (x === QUOTE) break;
          if (x !== BACKSLASH) return false; // a control character: invalid JSON, the generic path reports it
          // an escape, then whole words again (a Windows path has one every few bytes)
          k = Kind.Escaped;
          const y = b[++p]!;
          if (y === 0x75) {
            // \uXXXX: four hex digits, else invalid JSON (the generic path reports it)
            for (let d = 1; d <= 4; d++) if (!HEX[b[p + d]!]) return false;
            p += 4;
          } else if (!SIMPLE_ESCAPE[y]) return false;
          p++;
        }
        if (k === Kind.Text) {
          if (!(high & 0x80808080)) k = Kind.Ascii;
          this.hashes[col] = finishHash(h); // escapes are hashed on their bytes by the dictionary
        }
        this.starts[col] = vs;
        this.ends[col] = p++;
      } else {
        const vs = p;
        if (c === 0x74 && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) (k = Kind.True), (p += 4);
        else if (c === 0x66 && b[p + 1] === 0x61 && b[p + 2] === 0x6c && b[p + 3] === 0x73 && b[p + 4] === 0x65) (k = Kind.False), (p += 5);
        else if (c === 0x6e && b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c) (k = Kind.Null), (p += 4);
        else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
          // an integer's value as its digits go by: up to 15 digits a double holds it exactly (coerce-bytes.ts's
          // integerFromBytes reads the same); anything longer, a fraction or an exponent is left to the accumulator
          if (c === MINUS) p++;
          const ds = p;
          let v = 0;
          for (; p < e; p++) {
            const d = b[p]! - 0x30;
            if (d < 0 || d > 9) break;
            v = v * 10 + d;
          }
          const digits = p - ds;
          if (digits === 0 || (digits > 1 && b[ds] === 0x30)) return false; // JSON has no "-" alone or leading zeros
          const x = b[p];
          if (x === 0x2e || x === 0x65 || x === 0x45) {
            k = Kind.Number;
            for (p++; p < e; p++) {
              const y = b[p]!;
              if (!((y >= 0x30 && y <= 0x39) || y === 0x2e || y === 0x65 || y === 0x45 || y === 0x2b || y === MINUS)) break;
            }
            // the number's form is left to Number(); one JSON would refuse (1., 1e) goes to the generic path
            if (!validJsonNumber(b, vs, p)) return false;
          } else if (digits <= 15) {
            k = Kind.Integer;
            this.nums[col] = c === MINUS ? -v : v;
          } else k = Kind.Number;
        } else return false;
        this.starts[col] = vs;
        this.ends[col] = p;
      }
      kind[col] = k;
      while (p < e && WS[b[p]!]) p++;
      if (b[p] === COMMA) {
        p++;
        while (p < e && WS[b[p]!]) p++;
        continue;
      }
      if (b[p] !== CLOSE) return false;
      p++;
      while (p < e && WS[b[p]!]) p++;
      return p === e;
    }
  }

  /** Whether the key starting at `ks` (after its opening quote) is column `col`'s name and its closing quote. */
  private isKey(dv: DataView, b: Uint8Array, ks: number, e: number, col: number): boolean {
    const words = this.nameWords[col]!;
    const name = this.names[col]!;
    const n = name.length;
    if (ks + n >= e || b[ks + n] !== QUOTE) return false;
    let k = 0;
    for (let w = 0; w < words.length; w++, k += 4) if (dv.getInt32(ks + k, true) !== words[w]) return false;
    for (; k < n; k++) if (b[ks + k] !== name[k]) return false;
    return true;
  }

  private indexKeys(acc: TableAccumulator): void {
    const cols = acc.schema.columns;
    this.keys = new ByteDictionary();
    cols.forEach((c, i) => {
      if (WRAPPERS.has(c.name)) return; // never matched: a line holding it goes the generic way
      const name = Buffer.from(c.name);
      if (this.keys.find(name, 0, name.length) < 0) this.keys.insert(name, 0, name.length, i);
    });
    this.keyCount = cols.length;
    this.names = cols.map((c) => Buffer.from(c.name));
    this.nameWords = this.names.map((n) => {
      const words = new Int32Array(n.length >> 2);
      for (let w = 0; w < words.length; w++) words[w] = n.readInt32LE(4 * w);
      return words;
    });
    this.predicted = new Int32Array(cols.length).fill(-1);
    this.kind = new Uint8Array(cols.length);
    this.starts = new Int32Array(cols.length);
    this.ends = new Int32Array(cols.length);
    this.hashes = new Int32Array(cols.length);
    this.nums = new Float64Array(cols.length);
  }
}

function sameBytes(b: Uint8Array, at: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if (b[at + k] !== name[k]) return false;
  return true;
}

const isDigit = (b: Uint8Array, i: number, e: number) => i < e && b[i]! >= 0x30 && b[i]! <= 0x39;

/** JSON's number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? */
function validJsonNumber(b: Uint8Array, s: number, e: number): boolean {
  let p = s;
  if (b[p] === 0x2d) p++;
  if (!isDigit(b, p, e)) return false;
  if (b[p] === 0x30) p++;
  else while (isDigit(b, p, e)) p++;
  if (p < e && b[p] === 0x2e) {
    p++;
    if (!isDigit(b, p, e)) return false;
    while (isDigit(b, p, e)) p++;
  }
  if (p < e && (b[p] === 0x65 || b[p] === 0x45)) {
    p++;
    if (p < e && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    if (!isDigit(b, p, e)) return false;
    while (isDigit(b, p, e)) p++;
  }
  return p === e;
}
