/**
 * Counts the bytes of a decoded stream that are not UTF-8 (the readers decode them as U+FFFD, so the record
 * loads, but the file deserves a note). Valid chunks cost one native check (buffer.isUtf8); a sequence split
 * between two chunks is carried over; only a chunk that fails is looked at byte by byte.
 */
import { isUtf8 } from 'node:buffer';

/** How many bytes a sequence starting with `b` needs (0: `b` cannot start one). */
function sequenceLength(b: number): number {
  return b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
}

export class Utf8Check {
  private count = 0;
  private firstByte = -1;
  private at = 0;
  private carry: Buffer | undefined;

  push(chunk: Buffer): void {
    let c = chunk;
    let base = this.at;
    if (this.carry) {
      c = Buffer.concat([this.carry, chunk]);
      base -= this.carry.length;
      this.carry = undefined;
    }
    this.at += chunk.length;
    // an incomplete sequence at the end is checked with the next chunk
    let cut = c.length;
    for (let k = 1; k <= 3 && k <= c.length; k++) {
      const b = c[c.length - k]!;
      if (b < 0x80) break;
      if (b >= 0xc0) {
        if (sequenceLength(b) > k) cut = c.length - k;
        break;
      }
    }
    if (cut < c.length) this.carry = Buffer.from(c.subarray(cut));
    const body = cut < c.length ? c.subarray(0, cut) : c;
    if (!isUtf8(body)) this.scan(body, base);
  }

  /** The end of the stream: a sequence left incomplete is invalid. */
  end(): void {
    if (this.carry) this.note(this.at - this.carry.length, this.carry.length);
    this.carry = undefined;
  }

  result(): { count: number; firstByte: number } | undefined {
    this.end();
    return this.count ? { count: this.count, firstByte: this.firstByte } : undefined;
  }

  private note(at: number, n: number): void {
    if (this.firstByte < 0) this.firstByte = at;
    this.count += n;
  }

  /** Finds the invalid bytes of a chunk isUtf8 refused (rare: a file with bad bytes). */
  private scan(b: Buffer, base: number): void {
    for (let i = 0; i < b.length; ) {
      const n = sequenceLength(b[i]!);
      let ok = n > 0 && i + n <= b.length;
      for (let k = 1; ok && k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) ok = false;
      // overlong 3- and 4-byte forms, surrogates and code points past U+10FFFF
      if (ok && n === 3) ok = !(b[i] === 0xe0 && b[i + 1]! < 0xa0) && !(b[i] === 0xed && b[i + 1]! >= 0xa0);
      if (ok && n === 4) ok = !(b[i] === 0xf0 && b[i + 1]! < 0x90) && !(b[i] === 0xf4 && b[i + 1]! >= 0x90);
      if (ok) i += n;
      else {
        this.note(base + i, 1);
        i++;
      }
    }
  }
}
