/**
 * One export file as a stream of decoded bytes: read in 1 MiB chunks, gunzipped on the fly when it starts
 * with the gzip magic, hashed (SHA-256 of the file's bytes as stored) and counted while it flows, so a
 * multi-GB export is read once with bounded memory. The first 64 KiB of decoded text are peeked for format
 * detection and then replayed to the reader.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const CHUNK = 1 << 20;
const HEAD_BYTES = 64 * 1024;
/** How much of a file the ledger fingerprints up front (see `fingerprint`). */
export const FINGERPRINT_BYTES = 1 << 20;

export interface Source {
  readonly compressed: boolean;
  /** The first ≤64 KiB of decoded text. */
  readonly head: string;
  /** Every decoded byte, head included; iterable once. A damaged compressed stream ends it early (see `damage`). */
  chunks(): AsyncGenerator<Buffer>;
  /** Bytes of the file consumed so far (compressed bytes for .gz: what progress compares with the file size). */
  readonly rawBytes: number;
  /** Set when decompression failed part way: where, and why. The decoded bytes before it were delivered. */
  readonly damage?: { offset: number; message: string };
  /** SHA-256 hex of the whole file as stored (reads whatever the reader left unread). */
  digest(): Promise<string>;
  /** Stops reading (a file refused part way). */
  close(): void;
}

export class UnreadableFileError extends Error {}

/** Reads the first bytes of a file (the gzip magic test and the ledger fingerprint). */
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

/** SHA-256 of a file's first MiB: with the size, a cheap test of whether a file can be one seen before. */
export function fingerprint(file: string): string {
  return createHash('sha256').update(readPrefix(file, FINGERPRINT_BYTES)).digest('hex');
}

/** SHA-256 of a whole file, streamed (used only when the fingerprint matches a file seen before). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of createReadStream(file, { highWaterMark: CHUNK })) hash.update(c as Buffer);
  return hash.digest('hex');
}

class FileSource implements Source {
  rawBytes = 0;
  damage?: { offset: number; message: string };
  head = '';
  private readonly hash: Hash = createHash('sha256');
  private readonly raw: Readable;
  private readonly decoded: Readable;
  private readonly iterator: AsyncIterator<Buffer>;
  private headChunks: Buffer[] = [];
  private ended = false;

  constructor(private readonly file: string, readonly compressed: boolean, onRawBytes?: (total: number) => void) {
    const raw = (this.raw = createReadStream(file, { highWaterMark: CHUNK }));
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.hash.update(chunk);
        this.rawBytes += chunk.byteLength;
        onRawBytes?.(this.rawBytes);
        done(null, chunk);
      },
    });
    raw.on('error', (e) => tap.destroy(e));
    raw.pipe(tap);
    if (compressed) {
      const gunzip = createGunzip({ chunkSize: CHUNK });
      tap.on('error', (e) => gunzip.destroy(e));
      tap.pipe(gunzip);
      this.decoded = gunzip;
    } else this.decoded = tap;
    this.iterator = this.decoded[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next decoded chunk, or undefined at the end; a decompression error ends the stream as damage. */
  private async next(): Promise<Buffer | undefined> {
    if (this.ended) return undefined;
    try {
      const r = await this.iterator.next();
      if (!r.done) return r.value;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (!this.compressed || !err.code?.startsWith('Z_')) throw e;
      this.damage = { offset: this.rawBytes, message: err.message };
    }
    this.ended = true;
    return undefined;
  }

  async peek(): Promise<void> {
    let size = 0;
    while (size < HEAD_BYTES) {
      const c = await this.next();
      if (!c) break;
      this.headChunks.push(c);
      size += c.byteLength;
    }
    if (this.damage && size === 0) throw new UnreadableFileError(`cannot decompress: ${this.damage.message}`);
    this.head = Buffer.concat(this.headChunks).subarray(0, HEAD_BYTES).toString('utf8');
  }

  async *chunks(): AsyncGenerator<Buffer> {
    const replay = this.headChunks;
    this.headChunks = [];
    yield* replay;
    for (let c = await this.next(); c; c = await this.next()) yield c;
  }

  close(): void {
    this.ended = true;
    this.decoded.destroy();
    this.raw.destroy();
  }

  async digest(): Promise<string> {
    while (await this.next()); // a reader that stopped early: the rest still counts for the hash
    this.raw.destroy();
    // after damage the raw stream stopped where decompression did: hash the file as stored, once more
    return this.damage ? hashFile(this.file) : this.hash.digest('hex');
  }
}

/** Opens a file for streaming; throws UnreadableFileError when a .gz header is not readable at all. */
export async function openSource(file: string, onRawBytes?: (total: number) => void): Promise<Source> {
  const magic = readPrefix(file, 2);
  const src = new FileSource(file, magic[0] === 0x1f && magic[1] === 0x8b, onRawBytes);
  await src.peek();
  return src;
}
