/**
 * UTF-16 exports read as UTF-8. Windows tools write UTF-16 often: PowerShell 5's `Out-File` and `>` redirection
 * (little-endian, with a byte order mark), `wevtutil qe` output saved by `>`, some Excel "Unicode text" saves.
 * Every reader works on UTF-8 bytes, so a UTF-16 stream is transcoded as it flows (a character split between
 * two chunks is carried over by the streaming decoder). The encoding is decided once from the first bytes: a
 * byte order mark (FF FE or FE FF), or, without one, two ASCII characters each followed (LE) or preceded (BE)
 * by a zero byte, which no UTF-8 text starts with. Anything else passes through untouched.
 */

import { TextDecoder } from 'node:util';

export type TextEncoding = 'utf-16le' | 'utf-16be';

/** The UTF-16 encoding the first bytes show, if any (at least 4 bytes are needed to tell without a mark). */
export function utf16Of(b: Uint8Array): TextEncoding | undefined {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length < 4) return undefined;
  const ascii = (c: number) => c >= 0x09 && c < 0x80;
  if (ascii(b[0]!) && b[1] === 0 && ascii(b[2]!) && b[3] === 0) return 'utf-16le';
  if (b[0] === 0 && ascii(b[1]!) && b[2] === 0 && ascii(b[3]!)) return 'utf-16be';
  return undefined;
}

/** Decoded chunks in, UTF-8 chunks out: UTF-16 transcoded (its byte order mark dropped), anything else as is. */
export class Utf16ToUtf8 {
  /** The encoding found, once decided (undefined after deciding: the stream is not UTF-16). */
  encoding: TextEncoding | undefined;
  private decided = false;
  private held: Buffer[] = [];
  private heldLength = 0;
  private decoder: TextDecoder | undefined;

  push(chunks: Buffer[]): Buffer[] {
    if (this.decided) return this.decoder ? chunks.map((c) => this.convert(c, true)) : chunks;
    for (const c of chunks) {
      this.held.push(c);
      this.heldLength += c.length;
    }
    return this.heldLength >= 4 ? this.decide() : [];
  }

  /** The last bytes: what was held back, and the decoder's remainder (a lone odd byte becomes U+FFFD). */
  end(chunks: Buffer[]): Buffer[] {
    const out = this.push(chunks);
    if (!this.decided) out.push(...this.decide());
    if (this.decoder) out.push(this.convert(Buffer.alloc(0), false));
    return out.filter((c) => c.length);
  }

  private decide(): Buffer[] {
    this.decided = true;
    const held = this.held;
    this.held = [];
    if (!held.length) return [];
    // the first bytes tell; the chunks themselves pass on as they came (no copy) unless they are UTF-16
    const first = held[0]!.length >= 4 || held.length === 1 ? held[0]! : Buffer.concat(held, this.heldLength);
    this.encoding = utf16Of(first);
    if (!this.encoding) return held;
    this.decoder = new TextDecoder(this.encoding);
    return held.map((c) => this.convert(c, true));
  }

  private convert(c: Buffer, stream: boolean): Buffer {
    return Buffer.from(this.decoder!.decode(c, { stream }), 'utf8');
  }
}
