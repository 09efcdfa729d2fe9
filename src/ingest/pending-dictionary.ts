/**
 * The dictionary of one pending string column (accumulate.ts): codes in order of first appearance. Values come
 * as bytes (the NDJSON and CSV readers) or as strings (the generic path). While every value so far came as
 * unescaped ASCII bytes the dictionary is bytes only: the byte dictionary's arena, in code order, is the
 * extent's dictionary text as written (extent-format.ts), so a column of a million distinct addresses makes no
 * JavaScript string at all. The first value that comes another way (escaped, non-ASCII, a string) turns it into
 * strings, decoded once, and a string→code Map is kept beside the byte lookup from then on.
 */
import { ByteDictionary, hashBytes } from './byte-dictionary.js';

const NO_BYTES = Buffer.alloc(0);

/** A dictionary as written to an extent: UTF-16 end offsets and UTF-8 text (ASCII here, so both agree). */
export interface EncodedDictionary {
  ends: Int32Array;
  text: Uint8Array;
}

export class PendingDictionary {
  /** The strings by code; undefined while the dictionary is bytes only. */
  private strings: string[] | undefined;
  /** Codes so far while bytes only. */
  private count = 0;
  /** string → code, made on first need; once made it holds every code. Without it, every code's UTF-8
   * bytes are in `bytes`, so a byte miss is a new string. */
  private index: Map<string, number> | undefined;
  private readonly bytes = new ByteDictionary();
  private emptyCode = -1;
  /** Whether the latest lookup added a code (what `undoLast` takes back). */
  private added = false;
  /** Roughly the memory the dictionary takes (FileLoad flushes by it). */
  memoryBytes = 0;

  get size(): number {
    return this.strings ? this.strings.length : this.count;
  }

  get bytesOnly(): boolean {
    return !this.strings;
  }

  /** The code of a value given as a string. */
  code(s: string): number {
    this.added = false;
    const strings = this.toStrings();
    const index = (this.index ??= new Map(strings.map((d, c) => [d, c])));
    return index.get(s) ?? this.addString(s);
  }

  /** The code of '' (absent values are the commonest string of all: no lookup after the first). */
  empty(): number {
    this.added = false;
    if (this.emptyCode >= 0) return this.emptyCode;
    if (this.index) return (this.emptyCode = this.code(''));
    return (this.emptyCode = this.ofBytes(NO_BYTES, 0, 0, false, hashBytes(NO_BYTES, 0, 0)));
  }

  /**
   * The code of a value given as bytes: a JSON string's text between its quotes (`escaped` when it holds
   * escapes), or a CSV cell; `hash` is hashBytes of them; `ascii`, when the caller knows, whether every
   * byte is below 0x80. A repeated value is found without decoding it.
   */
  ofBytes(buf: Buffer, s: number, e: number, escaped: boolean, hash: number, ascii?: boolean): number {
    this.added = false;
    let c = this.bytes.findHashed(buf, s, e, hash);
    if (c >= 0) return c;
    if (!this.strings && !escaped && (ascii ?? isAscii(buf, s, e))) {
      c = this.count++;
      this.added = true;
      this.memoryBytes += e - s + 24;
    } else {
      this.toStrings();
      const text = escaped ? (JSON.parse(buf.toString('utf8', s - 1, e + 1)) as string) : buf.toString('utf8', s, e);
      // a byte miss is a new string unless the text came some other way before (escaped, as a string, or as
      // bytes that are not valid UTF-8 and decode to the same replacement characters): then the Map says
      c = this.index || escaped || text.includes('\uFFFD') ? this.code(text) : this.addString(text);
    }
    this.bytes.insert(buf, s, e, c);
    return c;
  }

  /** Takes back the code the latest lookup added (its row was rolled back). */
  undoLast(): void {
    if (!this.added) return;
    const c = this.size - 1;
    if (this.strings) this.index?.delete(this.strings.pop()!);
    else this.count--;
    this.bytes.forget(c);
    if (this.emptyCode === c) this.emptyCode = -1;
    this.added = false;
  }

  /** The dictionary as an extent writes it, when it is bytes only (else undefined: use `toStrings`). */
  encoded(): EncodedDictionary | undefined {
    return this.strings ? undefined : this.bytes.inCodeOrder(this.count);
  }

  /** The strings by code (decoded from the bytes once, if the dictionary was bytes only until now). */
  toStrings(): string[] {
    if (!this.strings) {
      // the bytes are ASCII in code order: one decode of the whole text, then a slice per code
      const { ends, text } = this.bytes.inCodeOrder(this.count)!;
      const all = Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1');
      const strings = new Array<string>(this.count);
      for (let c = 0, from = 0; c < this.count; from = ends[c++]!) strings[c] = all.slice(from, ends[c]);
      this.strings = strings;
      this.memoryBytes += 80 * this.count;
    }
    return this.strings;
  }

  private addString(s: string): number {
    const strings = this.strings!;
    const c = strings.push(s) - 1;
    this.index?.set(s, c);
    this.added = true;
    this.memoryBytes += 3 * s.length + 80;
    return c;
  }
}

function isAscii(b: Uint8Array, s: number, e: number): boolean {
  let or = 0;
  for (let k = s; k < e; k++) or |= b[k]!;
  return or < 0x80;
}
