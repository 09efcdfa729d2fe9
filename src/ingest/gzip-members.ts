/**
 * Gzip decoded the way zcat reads it, member by member: each member's header is parsed here and its deflate
 * data inflated (raw inflate, so zlib never throws away output it already made), its CRC-32 and length
 * checked against its trailer, then the next member read. Node's own gunzip loses up to a chunk of output
 * when it meets trailing garbage or a bad CRC at the end of a file; here every byte zcat writes out is
 * delivered, and each damaged part is reported with the byte of the file where it lies:
 *   - bytes after the last member that are not a gzip member (trailing garbage: zcat warns and ignores them;
 *     zero bytes, padding, are ignored silently as gzip does)
 *   - a member whose data fails its CRC or length check (zcat reports "crc error"; its data is delivered, as
 *     zcat writes it, and the members after it are read too)
 *   - data that cannot be inflated, or a file cut short (the rest is unreadable)
 */
import { createInflateRaw, constants, type InflateRaw } from 'node:zlib';
import { crc32 } from '../store/crc32.js';

export interface GzipDamage {
  /** Byte of the stored file where the damaged part begins, and how many bytes it holds (to the end if unknown). */
  offset: number;
  length?: number;
  message: string;
}

const OUT_CHUNK = 1 << 20;
const MAX_HEADER = 1 << 20;
const FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

/** The length of the gzip header at the start of `b`, 0 if `b` is too short to tell, -1 if it is not one (with why). */
function headerLength(b: Buffer): number | string {
  if (b.length < 10) return 0;
  if (b[0] !== 0x1f || b[1] !== 0x8b) return 'not gzip';
  if (b[2] !== 8) return `unknown compression method ${b[2]}`;
  const flags = b[3]!;
  let p = 10;
  if (flags & FEXTRA) {
    if (b.length < p + 2) return 0;
    p += 2 + b.readUInt16LE(p);
  }
  for (const f of [FNAME, FCOMMENT]) {
    if (!(flags & f)) continue;
    const z = b.indexOf(0, p);
    if (z < 0) return 0;
    p = z + 1;
  }
  if (flags & FHCRC) p += 2;
  return b.length < p ? 0 : p;
}

export class GzipDecoder {
  readonly damage: GzipDamage[] = [];
  /** Bytes of the file taken in so far. */
  private taken = 0;
  /** Undecoded bytes of the file at `pendingAt` (a header or trailer being gathered, or garbage). */
  private pending: Buffer = Buffer.alloc(0);
  private pendingAt = 0;
  private state: 'header' | 'data' | 'trailer' | 'garbage' | 'dead' = 'header';
  private members = 0;
  private inflater: InflateRaw | undefined;
  private dataAt = 0;
  private crc = 0;
  private size = 0;
  private out: Buffer[] = [];
  private ended = false;
  private failed: Error | undefined;
  private garbageNonZero = false;

  /** Takes the next bytes of the file; returns the decoded bytes they complete. */
  async push(chunk: Buffer): Promise<Buffer[]> {
    this.taken += chunk.length;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    await this.run(false);
    return this.take();
  }

  /** The end of the file: what is left decoded, and the damage of a file cut short. */
  async end(): Promise<Buffer[]> {
    await this.run(true);
    return this.take();
  }

  private take(): Buffer[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private async run(final: boolean): Promise<void> {
    for (;;) {
      if (this.state === 'header') {
        if (!this.pending.length) return;
        const h = headerLength(this.pending);
        if (typeof h === 'string' || (h === 0 && final)) {
          // after a member, whatever is not one is trailing garbage (or zero padding); at the start, no gzip
          if (this.members) this.state = 'garbage';
          else return this.fail(typeof h === 'string' ? `not gzip data (${h})` : 'unexpected end of file (inside the gzip header)');
          continue;
        }
        if (h === 0) {
          if (this.pending.length > MAX_HEADER) return this.fail('a gzip header longer than 1 MiB (not gzip data)');
          return;
        }
        this.startMember(h);
      } else if (this.state === 'data') {
        const data = this.pending;
        this.pending = Buffer.alloc(0);
        const before = this.inflater!.bytesWritten;
        if (data.length && !this.ended) await this.write(data);
        if (this.state !== 'data') continue;
        // zlib takes every byte it is given until its stream ends: bytes left over mean the member ended
        if (!this.ended && this.inflater!.bytesWritten - before < data.length) await this.finishInflater();
        if (this.ended) {
          // the member's deflate data ended inside this chunk: what follows is its trailer
          const used = this.inflater!.bytesWritten - before;
          this.pending = data.subarray(used);
          this.pendingAt = this.dataAt + this.inflater!.bytesWritten;
          this.state = 'trailer';
          continue;
        }
        this.pendingAt += data.length;
        if (!final) return;
        // the file ends inside a member: what was inflated is delivered, the cut is reported
        await this.finishInflater();
        this.damage.push({ offset: this.taken, length: 0, message: 'unexpected end of file' });
        this.state = 'dead';
        return;
      } else if (this.state === 'trailer') {
        if (this.pending.length < 8) {
          if (!final) return;
          this.damage.push({ offset: this.pendingAt, length: this.pending.length, message: 'unexpected end of file (the member has no trailer)' });
          this.state = 'dead';
          return;
        }
        const wantCrc = this.pending.readUInt32LE(0);
        const wantSize = this.pending.readUInt32LE(4);
        if (wantCrc !== this.crc >>> 0) this.damage.push({ offset: this.pendingAt, length: 8, message: `crc error: the gzip member ending at byte ${this.pendingAt + 8} fails its CRC check, so its data may be damaged` });
        else if (wantSize !== this.size % 2 ** 32) this.damage.push({ offset: this.pendingAt, length: 8, message: `length error: the gzip member ending at byte ${this.pendingAt + 8} holds ${this.size} bytes, its trailer says ${wantSize}` });
        this.pending = this.pending.subarray(8);
        this.pendingAt += 8;
        this.state = 'header';
      } else if (this.state === 'garbage') {
        // not kept: only whether it is all zero bytes (padding, which gzip ignores without a word)
        if (!this.garbageNonZero && this.pending.some((b) => b !== 0)) this.garbageNonZero = true;
        this.pending = Buffer.alloc(0);
        if (!final) return;
        const n = this.taken - this.pendingAt;
        if (this.garbageNonZero) this.damage.push({ offset: this.pendingAt, length: n, message: `${n} byte${n === 1 ? '' : 's'} after the end of the gzip data ${n === 1 ? 'is' : 'are'} not gzip (trailing garbage, ignored as zcat does)` });
        this.state = 'dead';
        return;
      } else {
        this.pending = Buffer.alloc(0);
        return;
      }
    }
  }

  private startMember(headerLen: number): void {
    this.members++;
    this.dataAt = this.pendingAt + headerLen;
    this.pending = this.pending.subarray(headerLen);
    this.pendingAt = this.dataAt;
    this.crc = 0;
    this.size = 0;
    this.ended = false;
    this.failed = undefined;
    const inf = createInflateRaw({ chunkSize: OUT_CHUNK, finishFlush: constants.Z_SYNC_FLUSH });
    inf.on('data', (d: Buffer) => {
      this.crc = crc32(d, this.crc);
      this.size += d.length;
      this.out.push(d);
    });
    inf.on('end', () => (this.ended = true));
    inf.on('error', (e) => (this.failed = e));
    this.inflater = inf;
    this.state = 'data';
  }

  private write(data: Buffer): Promise<void> {
    const inf = this.inflater!;
    return new Promise<void>((resolve) => {
      const settle = () => {
        inf.off('end', settle);
        inf.off('error', settle);
        resolve();
      };
      inf.once('end', settle);
      inf.once('error', settle);
      inf.write(data, () => setImmediate(settle));
    }).then(() => {
      if (this.failed) this.fail(`invalid compressed data (${this.failed.message})`, this.dataAt + inf.bytesWritten);
    });
  }

  private async finishInflater(): Promise<void> {
    const inf = this.inflater!;
    if (this.ended || this.failed) return;
    await new Promise<void>((resolve) => {
      inf.once('end', () => resolve());
      inf.once('error', () => resolve());
      if (!inf.writableEnded) inf.end();
    });
  }

  /** The rest of the file cannot be read: reported from `at` to the end. */
  private fail(message: string, at = this.pendingAt): void {
    this.damage.push({ offset: at, message });
    this.state = 'dead';
    this.pending = Buffer.alloc(0);
    this.inflater?.destroy();
  }
}
