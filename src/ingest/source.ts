/**
 * One export file as a stream of decoded bytes: read in 1 MiB chunks, gunzipped on the fly when it starts
 * with the gzip magic (gzip-members.ts: member by member, as zcat reads it, damage reported by byte), and
 * counted while it flows, so a multi-GB export is read once with bounded memory. The file is known by its
 * content (identity.ts): the SHA-256 of the decoded bytes, so the same export stored plain or gzipped is one
 * file. The first 64 KiB of decoded bytes are peeked for format detection and the ledger's anchor, then
 * replayed to the reader. A file that grew since it was ingested is read from where it was left
 * (`Continuation`): the earlier content is hashed but not handed over (for CSV, its header line is), it is
 * checked to be exactly what was ingested before (else PrefixMismatch: read the file whole), and lines are
 * numbered on from there. Bytes that are not UTF-8 (read as U+FFFD by the readers) are counted for a note;
 * a UTF-16 file is transcoded to UTF-8 as it flows (text-encoding.ts), so everything after sees UTF-8.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { GzipDecoder, type GzipDamage } from './gzip-members.js';
import { anchorOf, type ContentIdentity } from './identity.js';
export type { ContentIdentity } from './identity.js';
import { Utf8Check } from './utf8-check.js';
import { Utf16ToUtf8, type TextEncoding } from './text-encoding.js';
import { archiveRefusal } from './archive-magic.js';

const CHUNK = 1 << 20;
export const HEAD_BYTES = 64 * 1024;

/** Where a grown file continues: its first `prefix.bytes` decoded bytes were ingested before (content hash `prefix.content`). */
export interface Continuation {
  byte: number;
  line: number;
  prefix: { bytes: number; content: string };
  /** CSV: the first line (the header) is handed to the reader before the continuation. */
  header?: boolean;
}

/** The file does not start with the content it was expected to continue: read it whole instead. */
export class PrefixMismatch extends Error {}
/** The file is exactly the content it was expected to continue: nothing is new. */
export class SameContent extends Error {}
export class UnreadableFileError extends Error {}

export interface Source {
  readonly compressed: boolean;
  /** The first ≤64 KiB of decoded text, from the start of the file. */
  readonly head: string;
  /** Decoded bytes from the start, or the continuation, to the end; iterable once. Damage ends a .gz early (see `damage`). */
  chunks(): AsyncGenerator<Buffer>;
  /** Bytes of the file consumed so far (compressed bytes for .gz: what progress compares with the file size). */
  readonly rawBytes: number;
  /** The damaged parts of a .gz (trailing garbage, CRC errors, data that cannot be inflated, a cut). */
  readonly damage: readonly GzipDamage[];
  /** The line number of the first line handed over after the header (1 unless continuing). */
  readonly firstLine: number;
  /** Bytes read as U+FFFD because they are not UTF-8: how many, and the decoded byte of the first. */
  readonly invalidUtf8: { count: number; firstByte: number } | undefined;
  /** The file is UTF-16 and is read transcoded to UTF-8 (text-encoding.ts); counts and hashes are of the UTF-8. */
  readonly textEncoding: TextEncoding | undefined;
  /** The content is binary (EVTX): its bytes are not checked as UTF-8 text (no note, no work). */
  binary(): void;
  /** The whole file's identity (reads whatever the reader left unread). */
  identity(): Promise<ContentIdentity>;
  /** Stops reading (a file refused part way). */
  close(): void;
}

/** Reads the first bytes of a file (the gzip magic test). */
function readPrefix(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let p = b.indexOf(0x0a); p >= 0; p = b.indexOf(0x0a, p + 1)) n++;
  return n;
}

export const isGzip = (file: string) => {
  const magic = readPrefix(file, 2);
  return magic[0] === 0x1f && magic[1] === 0x8b;
};

class FileSource implements Source {
  rawBytes = 0;
  head = '';
  headBytes: Buffer = Buffer.alloc(0);
  firstLine = 1;
  private readonly hash: Hash = createHash('sha256');
  private readonly raw: AsyncIterator<Buffer>;
  private readonly stream: ReturnType<typeof createReadStream>;
  private readonly gunzip: GzipDecoder | undefined;
  private readonly utf8 = new Utf8Check();
  private readonly utf16 = new Utf16ToUtf8();
  private queue: Buffer[] = [];
  /** The next stored chunk being read and decoded while the reader uses the current one. */
  private ahead: Promise<{ chunks: Buffer[]; last: boolean }> | undefined;
  private rawDone = false;
  private closed = false;
  /** Decoded bytes taken from the decoder so far (all hashed), and the end of the last line seen. */
  private decoded = 0;
  private lastNewline = 0;
  private newlines = 0;
  private headChunks: Buffer[] = [];
  private verified: boolean;

  constructor(file: string, readonly compressed: boolean, private readonly onRawBytes?: (total: number) => void, private readonly cont?: Continuation) {
    this.stream = createReadStream(file, { highWaterMark: CHUNK });
    this.raw = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.gunzip = compressed ? new GzipDecoder() : undefined;
    this.verified = !cont;
    if (cont) this.firstLine = cont.line;
  }

  get damage(): readonly GzipDamage[] {
    return this.gunzip?.damage ?? [];
  }

  get invalidUtf8() {
    return this.utf8.result();
  }

  get textEncoding() {
    return this.utf16.encoding;
  }

  /** The next decoded chunk from the file, hashed and counted; undefined at the end. */
  private async next(): Promise<Buffer | undefined> {
    while (!this.queue.length) {
      if (this.rawDone || this.closed) return undefined;
      const got = await (this.ahead ?? this.readAndDecode());
      this.ahead = undefined;
      if (got.last) this.rawDone = true;
      // the next stored chunk is read and inflated (zlib works on its own thread) while this one is used
      else if (!this.closed) {
        this.ahead = this.readAndDecode();
        this.ahead.catch(() => {}); // a failure is met when it is awaited; a source closed meanwhile never does
      }
      this.queue = got.chunks.filter((b) => b.byteLength);
    }
    const c = this.queue.shift()!;
    const at = this.decoded;
    this.decoded += c.byteLength;
    const nl = c.lastIndexOf(0x0a);
    if (nl >= 0) {
      this.lastNewline = at + nl + 1;
      this.newlines += countNewlines(c);
    }
    // the prefix of a continuation is checked where it ends: the hash so far must be the earlier content's
    const p = this.cont?.prefix;
    if (p && !this.verified && this.decoded >= p.bytes) {
      const k = p.bytes - at;
      this.hash.update(c.subarray(0, k));
      if (this.hash.copy().digest('hex') !== p.content) throw new PrefixMismatch();
      this.verified = true;
      this.hash.update(c.subarray(k));
    } else this.hash.update(c);
    return c;
  }

  /** The next stored chunk decoded (`last`: the file has ended, and these are the decoder's last bytes). */
  private async readAndDecode(): Promise<{ chunks: Buffer[]; last: boolean }> {
    const r = await this.raw.next();
    if (r.done) return { chunks: this.utf16.end(this.gunzip ? await this.gunzip.end() : []), last: true };
    this.rawBytes += r.value.byteLength;
    this.onRawBytes?.(this.rawBytes);
    return { chunks: this.utf16.push(this.gunzip ? await this.gunzip.push(r.value) : [r.value]), last: false };
  }

  /** After peek: the head is the whole content (the file ended within it). */
  get wholeInHead(): boolean {
    return this.rawDone && !this.queue.length && this.decoded <= HEAD_BYTES;
  }

  async peek(): Promise<void> {
    let size = 0;
    while (size < HEAD_BYTES) {
      const c = await this.next();
      if (!c) break;
      this.headChunks.push(c);
      size += c.byteLength;
    }
    if (this.damage.length && size === 0) throw new UnreadableFileError(`cannot decompress: ${this.damage[0]!.message}`);
    this.headBytes = Buffer.concat(this.headChunks).subarray(0, HEAD_BYTES);
    this.head = this.headBytes.toString('utf8');
  }

  async *chunks(): AsyncGenerator<Buffer> {
    const cont = this.cont;
    const replay = this.headChunks;
    this.headChunks = [];
    if (!cont) {
      for (const c of replay) yield this.checked(c);
      for (let c = await this.next(); c; c = await this.next()) yield this.checked(c);
      return;
    }
    // a continuation: the header line (CSV), then the bytes from `cont.byte` on, once the prefix checks out
    if (cont.header) {
      const nl = this.headBytes.indexOf(0x0a);
      yield Buffer.from(this.headBytes.subarray(0, nl < 0 ? this.headBytes.length : nl + 1));
    }
    let at = 0;
    const held: Buffer[] = [];
    const take = async () => (replay.length ? replay.shift() : await this.next());
    for (let c = await take(); c; c = await take()) {
      const start = at;
      at += c.byteLength;
      if (at <= cont.byte) continue;
      const part = start < cont.byte ? c.subarray(cont.byte - start) : c;
      if (!this.verified) {
        held.push(part); // at most the last line of the earlier content: delivered once it checks out
        continue;
      }
      for (const h of held.splice(0)) yield this.checked(h);
      yield this.checked(part);
    }
    // held bytes are all handed over once the prefix checks out, which it must have by the end
    if (!this.verified) throw new PrefixMismatch();
    if (at === cont.prefix.bytes) throw new SameContent();
  }

  private checked(c: Buffer): Buffer {
    if (this.text) this.utf8.push(c);
    return c;
  }

  private text = true;
  binary(): void {
    this.text = false;
  }

  close(): void {
    this.closed = true;
    this.stream.destroy();
  }

  async identity(): Promise<ContentIdentity> {
    if (this.closed) throw new Error('the file was closed before it was read to the end');
    while (await this.next()); // a reader that stopped early: the rest still counts for the hash
    this.stream.destroy();
    return { content: this.hash.digest('hex'), bytes: this.decoded, anchor: anchorOf(this.headBytes), lastNewline: this.lastNewline, newlines: this.newlines };
  }
}

/** Opens a file for streaming (from `cont` on, when it continues earlier content); throws UnreadableFileError when a .gz is not readable at all. */
export async function openSource(file: string, onRawBytes?: (total: number) => void, cont?: Continuation): Promise<Source & { headBytes: Buffer }> {
  const src = new FileSource(file, isGzip(file), onRawBytes, cont);
  await src.peek();
  const refusal = cont ? undefined : archiveRefusal(src.headBytes);
  if (refusal) {
    src.close();
    throw new UnreadableFileError(refusal);
  }
  return src;
}

/** The identity of content held whole in memory (a Parquet file, gunzipped if it was). */
export function identityOfBytes(bytes: Uint8Array): ContentIdentity {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { content: createHash('sha256').update(b).digest('hex'), bytes: b.byteLength, anchor: anchorOf(b.subarray(0, HEAD_BYTES)), lastNewline: b.lastIndexOf(0x0a) + 1, newlines: countNewlines(b) };
}

/** The identity of a file read from disk as it is (a Parquet file). */
export async function identityOfFile(file: string): Promise<ContentIdentity> {
  const src = new FileSource(file, false);
  await src.peek();
  return src.identity();
}

/** A file's first decoded bytes (up to 64 KiB) and whether they are all of it. */
export async function readHead(file: string): Promise<{ bytes: Buffer; text: string; whole: boolean }> {
  const src = new FileSource(file, isGzip(file));
  try {
    await src.peek();
    return { bytes: src.headBytes, text: src.head, whole: src.wholeInHead };
  } finally {
    src.close();
  }
}

/** The SHA-256 of a file's first `n` decoded bytes, and whether more follow. */
export async function hashPrefix(file: string, n: number): Promise<{ hash: string; more: boolean }> {
  const src = new FileSource(file, isGzip(file));
  const h = createHash('sha256');
  let at = 0;
  try {
    await src.peek();
    for await (const c of src.chunks()) {
      if (at >= n) return { hash: h.digest('hex'), more: true };
      const k = Math.min(c.length, n - at);
      h.update(c.subarray(0, k));
      at += c.length;
      if (at > n) return { hash: h.digest('hex'), more: true };
    }
    return { hash: h.digest('hex'), more: false };
  } finally {
    src.close();
  }
}
