/**
 * RFC 4180 CSV on bytes: records come out as field boundaries into the chunk they sit in, never as strings
 * or objects, so the columnar loader can coerce each cell straight from its bytes (ingest's hot path).
 * Quoted fields may hold delimiters, newlines and escaped quotes (`""`, unescaped in place); CRLF and LF end
 * records; a UTF-8 BOM is dropped; empty lines are skipped. Delimiter, quote, CR and LF are ASCII, which
 * never occurs inside a UTF-8 multi-byte sequence, so scanning bytes is safe. A record that spans chunks is
 * carried over and scanned again once whole. A malformed record (a quote inside an unquoted field, text after
 * a closing quote, a quote never closed) is reported with the line it starts on and skipped up to the next
 * line end; a record over `maxRecordBytes` is reported and skipped, not buffered: its quotes are followed
 * to the line end that ends it, and the records after it are read (an unclosed quote makes it the rest of
 * the file).
 */
import { MAX_RECORD_BYTES } from './splitters.js';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export interface CsvSink {
  /** Field `j` of the record is `buf[starts[j], ends[j])`; the arrays are reused for the next record. */
  record(buf: Buffer, starts: Int32Array, ends: Int32Array, fields: number, line: number): void;
  problem(line: number, message: string, raw?: string): void;
}

export class CsvSplitter {
  private carry: Buffer | undefined;
  private line = 1;
  private first = true;
  /** Inside a record over the limit: where it started, whether its scan is inside quotes, its line ends so far. */
  private skipping: { line: number; inQuote: boolean; lines: number } | undefined;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  /** Fields of the current record holding `""`. */
  private escaped: number[] | undefined;

  /** `lineAfterHeader`: the number of the line after the first record (a grown file continued after its header). */
  constructor(private readonly delimiter: number, private readonly sink: CsvSink, private readonly maxRecordBytes = MAX_RECORD_BYTES, private lineAfterHeader?: number) {}

  push(chunk: Buffer): void {
    if (this.skipping) {
      const end = this.skipRecord(chunk);
      if (end < 0) return;
      chunk = chunk.subarray(end);
      if (!chunk.length) return;
    }
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (this.first && buf.length < 3 && buf[0] === 0xef) {
      this.carry = buf; // too short to tell a BOM yet
      return;
    }
    if (this.first) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const rest = this.scan(buf, false);
    if (rest < buf.length) {
      if (buf.length - rest > this.maxRecordBytes) {
        // not buffered further: the record's own quotes say where it ends (scanned from its start)
        this.skipping = { line: this.line, inQuote: false, lines: 0 };
        const end = this.skipRecord(buf.subarray(rest));
        if (end >= 0 && end < buf.length - rest) this.push(buf.subarray(rest + end));
        return;
      }
      // a copy: the source may reuse its chunk, and the in-place unescaping must not touch a half record
      this.carry = Buffer.from(buf.subarray(rest));
    }
  }

  /**
   * Follows a skipped record through `chunk`: quotes toggle (a `""` twice), a line end outside quotes ends it.
   * Returns where the next record starts in `chunk`, or -1 when the record goes on past it.
   */
  private skipRecord(chunk: Buffer): number {
    const k = this.skipping!;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === QUOTE) k.inQuote = !k.inQuote;
      else if (c === LF) {
        k.lines++;
        if (!k.inQuote) {
          this.sink.problem(k.line, `CSV record larger than ${sizeText(this.maxRecordBytes)}, not read`);
          this.line = k.line + k.lines;
          this.skipping = undefined;
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** The end of the file: whatever is carried is the last record (without a line end). */
  end(): void {
    if (this.skipping) {
      const k = this.skipping;
      this.skipping = undefined;
      this.sink.problem(k.line, `CSV record larger than ${sizeText(this.maxRecordBytes)}${k.inQuote ? ': a quoted field is not closed before the end of the file (the rest of the file is that record)' : ', not read'}`);
      return;
    }
    if (!this.carry) return;
    const buf = this.carry;
    this.carry = undefined;
    if (this.first && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) this.scan(buf.subarray(3), true);
    else this.scan(buf, true);
  }

  /** Emits every whole record of `buf`; returns where the first incomplete one starts (buf.length if none). */
  private scan(buf: Buffer, final: boolean): number {
    const len = buf.length;
    const delim = this.delimiter;
    let pos = 0;
    let line = this.line;
    records: while (pos < len) {
      const recordStart = pos;
      const recordLine = line;
      let nf = 0;
      let bad: string | undefined;
      for (;;) {
        if (nf === this.starts.length) this.growFields();
        let s = pos;
        let e: number;
        let c = -1;
        if (pos < len && buf[pos] === QUOTE) {
          s = ++pos;
          let escaped = false;
          for (;;) {
            while (pos < len && (c = buf[pos]!) !== QUOTE) {
              if (c === LF) line++;
              pos++;
            }
            if (pos >= len) {
              if (!final) return this.incomplete(recordStart, recordLine);
              this.sink.problem(recordLine, 'CSV: a quoted field is not closed before the end of the file', rawOf(buf, recordStart, len));
              this.line = line;
              return len;
            }
            if (pos + 1 < len && buf[pos + 1] === QUOTE) {
              escaped = true;
              pos += 2;
              continue;
            }
            if (pos + 1 >= len && !final) return this.incomplete(recordStart, recordLine);
            break;
          }
          e = pos++;
          if (escaped) (this.escaped ??= []).push(nf);
          c = pos < len ? buf[pos]! : -1;
          if (c === CR && pos + 1 < len && buf[pos + 1] === LF) c = buf[++pos]!;
          else if (c === CR && pos + 1 >= len && !final) return this.incomplete(recordStart, recordLine);
          if (c !== delim && c !== LF && c !== -1) bad ??= `CSV: text after the closing quote of field ${nf + 1}`;
        } else {
          while (pos < len && (c = buf[pos]!) !== delim && c !== LF) {
            if (c === QUOTE) bad ??= `CSV: a quote inside unquoted field ${nf + 1}`;
            pos++;
          }
          if (pos >= len) {
            if (!final) return this.incomplete(recordStart, recordLine);
            c = -1;
          }
          e = (c === LF || c === -1) && pos > s && buf[pos - 1] === CR ? pos - 1 : pos;
        }
        this.starts[nf] = s;
        this.ends[nf] = e;
        nf++;
        if (c === delim) {
          pos++;
          continue;
        }
        if (bad && c !== LF && c !== -1) {
          // skip the rest of the line after a malformed field
          while (pos < len && buf[pos] !== LF) pos++;
          if (pos >= len && !final) return this.incomplete(recordStart, recordLine);
        }
        if (pos < len) {
          pos++; // the LF
          line++;
        }
        break;
      }
      this.line = line;
      if (this.lineAfterHeader !== undefined) {
        line = this.line = this.lineAfterHeader;
        this.lineAfterHeader = undefined;
      }
      const escaped = this.escaped;
      this.escaped = undefined;
      if (bad) {
        this.sink.problem(recordLine, bad, rawOf(buf, recordStart, pos));
        continue records;
      }
      // unescaped only now that the record is whole: a record carried to the next chunk is scanned again
      if (escaped) for (const j of escaped) this.ends[j] = unescapeQuotes(buf, this.starts[j]!, this.ends[j]!);
      if (nf === 1 && this.starts[0] === this.ends[0] && buf[recordStart] !== QUOTE) continue; // an empty line
      this.sink.record(buf, this.starts, this.ends, nf, recordLine);
    }
    this.line = line;
    return len;
  }

  private incomplete(recordStart: number, recordLine: number): number {
    this.line = recordLine;
    this.escaped = undefined;
    return recordStart;
  }

  private growFields(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.starts = s;
    this.ends = e;
  }
}

/** `""` → `"` within buf[s, e), in place; returns the new end. */
function unescapeQuotes(buf: Buffer, s: number, e: number): number {
  let w = s;
  for (let r = s; r < e; r++, w++) {
    buf[w] = buf[r]!;
    if (buf[r] === QUOTE) r++;
  }
  return w;
}

const sizeText = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MiB` : `${Math.round(n / 1024)} KiB`);

const rawOf = (buf: Buffer, s: number, e: number) => buf.toString('utf8', s, Math.min(e, s + 2000)).replace(/\r?\n$/, '');
