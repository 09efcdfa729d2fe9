/**
 * Splitting a stream of decoded bytes into records without holding the file: lines (NDJSON, Defender
 * storage blobs, Sentinel exports), and the values of JSON documents (a top-level array's elements, the
 * `records` of an Event Hubs message, or a top-level object as one record). Both work on bytes — newline,
 * brackets, quotes and backslash are ASCII, which never occurs inside a UTF-8 multi-byte sequence — and
 * decode only whole records, each then parsed by the native JSON.parse (much faster than a token-level
 * streaming parser). Records come out in batches (one per chunk) so the per-record cost stays synchronous.
 * A record larger than `maxRecordBytes` is reported, not buffered, so memory stays bounded.
 */

export interface Line {
  text?: string;
  /** 1-based. */
  line: number;
  /** The last line of the file had no newline: if it does not parse, the file was cut. */
  unterminated?: boolean;
  problem?: string;
}

export const MAX_RECORD_BYTES = 64 << 20;
const mb = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MiB` : `${Math.round(n / 1024)} KiB`);
/** The problem reported for a line over the limit (its bytes are not kept). */
export const lineTooLong = (maxRecordBytes: number) => `line longer than ${mb(maxRecordBytes)}, not read`;

export async function* splitLines(chunks: AsyncIterable<Buffer>, maxRecordBytes = MAX_RECORD_BYTES, firstLine = 1): AsyncGenerator<Line[]> {
  let carry: Buffer[] = [];
  let carryLen = 0;
  let oversize = false;
  let line = firstLine;
  const tooLong = (): Line => ({ line, problem: lineTooLong(maxRecordBytes) });
  for await (const chunk of chunks) {
    const out: Line[] = [];
    let pos = 0;
    for (let nl = chunk.indexOf(0x0a, pos); nl >= 0; nl = chunk.indexOf(0x0a, pos)) {
      if (oversize) out.push(tooLong());
      else if (carryLen) {
        carry.push(chunk.subarray(pos, nl));
        out.push({ text: Buffer.concat(carry, carryLen + nl - pos).toString('utf8'), line });
      } else out.push({ text: chunk.toString('utf8', pos, nl), line });
      carry = [];
      carryLen = 0;
      oversize = false;
      line++;
      pos = nl + 1;
    }
    if (pos < chunk.byteLength && !oversize) {
      carry.push(chunk.subarray(pos));
      carryLen += chunk.byteLength - pos;
      if (carryLen > maxRecordBytes) {
        oversize = true;
        carry = [];
        carryLen = 0;
      }
    }
    if (out.length) yield out;
  }
  if (oversize) yield [tooLong()];
  else if (carryLen) yield [{ text: Buffer.concat(carry, carryLen).toString('utf8'), line, unterminated: true }];
}

/**
 * splitLines for a caller that reads lines from their bytes (json-columns.ts): each whole line is handed over
 * as a range of a buffer, no string made; lines that are odd (too long, unterminated at the end) come as
 * `Line`s exactly as splitLines gives them.
 */
export class LineBytes {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private oversize = false;
  private line: number;

  /** `firstLine`: the number of the first line pushed (a block of a file split across threads starts later). */
  constructor(private readonly onLine: (buf: Buffer, s: number, e: number, line: number) => void, private readonly onOther: (l: Line) => void, private readonly maxRecordBytes = MAX_RECORD_BYTES, firstLine = 1) {
    this.line = firstLine;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    for (let nl = chunk.indexOf(0x0a, pos); nl >= 0; nl = chunk.indexOf(0x0a, pos)) {
      // a chunk may be a block of many MiB (a file split across threads): a long line inside it is checked too
      if (this.oversize || this.carryLen + nl - pos > this.maxRecordBytes) this.onOther({ line: this.line, problem: lineTooLong(this.maxRecordBytes) });
      else if (this.carryLen) {
        this.carry.push(chunk.subarray(pos, nl));
        const whole = Buffer.concat(this.carry, this.carryLen + nl - pos);
        this.onLine(whole, 0, whole.length, this.line);
      } else this.onLine(chunk, pos, nl, this.line);
      if (this.carryLen) this.carry = []; // (not a new array per line)
      this.carryLen = 0;
      this.oversize = false;
      this.line++;
      pos = nl + 1;
    }
    if (pos < chunk.byteLength && !this.oversize) {
      this.carry.push(chunk.subarray(pos));
      this.carryLen += chunk.byteLength - pos;
      if (this.carryLen > this.maxRecordBytes) {
        this.oversize = true;
        this.carry = [];
        this.carryLen = 0;
      }
    }
  }

  end(): void {
    if (this.oversize) this.onOther({ line: this.line, problem: lineTooLong(this.maxRecordBytes) });
    else if (this.carryLen) this.onOther({ text: Buffer.concat(this.carry, this.carryLen).toString('utf8'), line: this.line, unterminated: true });
  }
}

export interface JsonValue {
  text?: string;
  /** 0-based index of the record in the file. */
  offset: number;
  problem?: string;
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;
const [QUOTE, BACKSLASH, COMMA, COLON, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x22, 0x5c, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d];

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The stream without a UTF-8 byte order mark at its start (Windows tools write one; JSON has no place for it). */
export async function* withoutUtf8Bom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const c of chunks) {
    if (!head) {
      yield c;
      continue;
    }
    head = head.length ? Buffer.concat([head, c]) : c;
    if (head.length < UTF8_BOM.length && UTF8_BOM.subarray(0, head.length).equals(head)) continue;
    const rest: Buffer = head.subarray(0, 3).equals(UTF8_BOM) ? head.subarray(3) : head;
    head = undefined;
    if (rest.length) yield rest;
  }
  if (head?.length) yield head;
}

/** Keys of a wrapper object whose array holds the records: an Event Hubs message's `records`, and the
 * `Results` / `results` of a Defender advanced-hunting API response (only after its `Schema` / `schema`). */
export function recordsKeyOf(key: string, schemaSeen: boolean): boolean {
  return key === 'records' || (schemaSeen && (key === 'Results' || key === 'results'));
}

/**
 * The records of one or more concatenated JSON documents. A document that is an array gives its elements;
 * an object with a `records` array (an Event Hubs message) or, after a `Schema`, a `Results` array (an
 * advanced-hunting API response) gives that array's elements; any other object is one record. A leading
 * UTF-8 byte order mark is skipped. A value the splitter cannot delimit is reported as a problem; a record
 * over `maxRecordBytes` is reported and skipped (not buffered), the ones after it still read; what is cut
 * off by the end of the file is reported as truncated.
 */
export async function* splitJsonValues(chunks: AsyncIterable<Buffer>, maxRecordBytes = MAX_RECORD_BYTES): AsyncGenerator<JsonValue[]> {
  let depth = 0;
  let inString = false;
  let escape = false;
  /** What the current top-level document is. */
  let doc = 'none' as 'none' | 'array' | 'object' | 'records' | 'records-done';
  /** Depth whose direct values are records (1 in an array, 2 in a `records` array, 0 for a whole object). */
  let recordDepth = -1;
  let inRecord = false;
  let parts: Buffer[] = [];
  let partsLen = 0;
  let start = 0;
  let offset = 0;
  // object keys at depth 1, to find `records`
  let expectKey = false;
  let keyParts: Buffer[] | undefined;
  let keyStart = 0;
  let lastKey = '';
  let afterColon = false;
  let schemaSeen = false;
  /** The current record is over the limit: its bytes are no longer kept, only its end is looked for. */
  let oversize = false;
  const tooLarge = () => `JSON record larger than ${mb(maxRecordBytes)}, not read`;

  for await (const chunk of withoutUtf8Bom(chunks)) {
    const out: JsonValue[] = [];
    const finishRecord = (end: number) => {
      if (oversize) out.push({ offset: offset++, problem: tooLarge() });
      else {
        parts.push(chunk.subarray(start, end));
        out.push({ text: Buffer.concat(parts, partsLen + end - start).toString('utf8'), offset: offset++ });
      }
      oversize = false;
      parts = [];
      partsLen = 0;
      inRecord = false;
    };
    const n = chunk.byteLength;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (c === BACKSLASH) escape = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyParts) {
            keyParts.push(chunk.subarray(keyStart, i));
            lastKey = Buffer.concat(keyParts).toString('utf8');
            if (depth === 1 && (lastKey === 'Schema' || lastKey === 'schema')) schemaSeen = true;
            keyParts = undefined;
          }
        }
        continue;
      }
      if (WS[c]) continue;
      if (doc === 'none') {
        if (c === OPEN_ARRAY) {
          doc = 'array';
          recordDepth = 1;
        } else if (c === OPEN_OBJECT) {
          doc = 'object';
          recordDepth = 0;
          inRecord = true;
          start = i;
          expectKey = true;
        } else {
          out.push({ offset: offset++, problem: `JSON: unexpected '${String.fromCharCode(c)}' at the top level (only arrays and objects hold records); the rest of the file is not read` });
          yield out;
          return;
        }
        depth = 1;
        continue;
      }
      if (recordDepth > 0 && depth === recordDepth) {
        // a record of an array ends at the comma or the closing bracket that follows it
        if (inRecord && (c === COMMA || c === CLOSE_ARRAY)) finishRecord(i);
        else if (!inRecord && c !== COMMA && c !== CLOSE_ARRAY) {
          inRecord = true;
          start = i;
        }
      }
      if (depth === 1 && doc !== 'array') {
        if (c === QUOTE && expectKey) {
          keyParts = [];
          keyStart = i + 1;
          expectKey = false;
        } else if (c === COLON) afterColon = true;
        else if (c === COMMA) expectKey = true;
        else if (afterColon) {
          afterColon = false;
          if (c === OPEN_ARRAY && recordsKeyOf(lastKey, schemaSeen) && doc === 'object') {
            // an Event Hubs message / API response: its records are the array's elements; the envelope is not a record
            doc = 'records';
            recordDepth = 2;
            inRecord = false;
            parts = [];
            partsLen = 0;
          }
        }
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
      else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        depth--;
        if (doc === 'records' && depth === 1) {
          doc = 'records-done';
          recordDepth = -1;
        } else if (depth === 0) {
          if (doc === 'object' && inRecord) finishRecord(i + 1);
          doc = 'none';
          schemaSeen = false;
          recordDepth = -1;
        }
      }
    }
    if (inRecord) {
      if (!oversize) {
        parts.push(chunk.subarray(start));
        partsLen += n - start;
      }
      start = 0;
      if (partsLen > maxRecordBytes) {
        oversize = true;
        parts = [];
        partsLen = 0;
      }
    }
    if (keyParts) {
      keyParts.push(chunk.subarray(keyStart));
      keyStart = 0;
    }
    if (out.length) yield out;
  }
  if (inRecord) yield [oversize ? { offset, problem: `${tooLarge()}; truncated: the file ends inside it` } : { offset, text: Buffer.concat(parts, partsLen).toString('utf8'), problem: 'truncated: the file ends inside this record' }];
}
