/**
 * A JSON string's escaped bytes (between its quotes) turned into the UTF-8 bytes of the text JSON.parse would
 * give, without making the string: a string column then looks the value up by those bytes as it does an
 * unescaped one (Windows paths in command lines are full of `\\`, so escaped values are common, and decoding
 * each new one through JSON.parse and a string→code Map made every such column a column of strings).
 * Only the plain case is taken: every byte of the input ASCII, every escape valid, and no `\u` escape that
 * is a surrogate without its partner (JSON.parse keeps a lone one, UTF-8 cannot hold it). Anything else
 * returns -1 and the caller decodes the text the general way.
 */

const HEX_VALUE = new Int8Array(256).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[0x30 + d] = d;
for (let d = 0; d < 6; d++) HEX_VALUE[0x41 + d] = HEX_VALUE[0x61 + d] = 10 + d;

/** The single-character escapes: `\b` → 8 and so on (0: not one). */
const SIMPLE = new Uint8Array(256);
for (const [c, v] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 8], ['f', 12], ['n', 10], ['r', 13], ['t', 9]] as const) SIMPLE[c.charCodeAt(0)] = v;

/** Scratch space the result is written to (grown as needed, reused). */
export class Unescaper {
  out = Buffer.alloc(1024);

  /** Writes the text of the escaped bytes b[s, e) to `out` as UTF-8; returns its length, or -1 (see above). */
  unescape(b: Uint8Array, s: number, e: number): number {
    // the text is never longer than its escaped form (`\uXXXX` is six bytes and at most three of UTF-8)
    if (this.out.length < e - s) this.out = Buffer.alloc(2 * (e - s));
    const out = this.out;
    let n = 0;
    for (let p = s; p < e; ) {
      const x = b[p]!;
      if (x >= 0x80 || x < 0x20 || x === 0x22) return -1;
      if (x !== 0x5c) {
        out[n++] = x;
        p++;
        continue;
      }
      const y = b[p + 1]!;
      if (y !== 0x75) {
        const v = SIMPLE[y]!;
        if (!v || p + 2 > e) return -1;
        out[n++] = v;
        p += 2;
        continue;
      }
      let u = hex4(b, p + 2, e);
      if (u < 0) return -1;
      p += 6;
      if (u >= 0xd800 && u <= 0xdfff) {
        // a high surrogate followed by its low one is one code point; any other surrogate stays undecoded here
        const lo = u <= 0xdbff && b[p] === 0x5c && b[p + 1] === 0x75 ? hex4(b, p + 2, e) : -1;
        if (lo < 0xdc00 || lo > 0xdfff) return -1;
        u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
        out[n++] = 0xf0 | (u >> 18);
        out[n++] = 0x80 | ((u >> 12) & 0x3f);
        out[n++] = 0x80 | ((u >> 6) & 0x3f);
        out[n++] = 0x80 | (u & 0x3f);
      } else if (u < 0x80) out[n++] = u;
      else if (u < 0x800) {
        out[n++] = 0xc0 | (u >> 6);
        out[n++] = 0x80 | (u & 0x3f);
      } else {
        out[n++] = 0xe0 | (u >> 12);
        out[n++] = 0x80 | ((u >> 6) & 0x3f);
        out[n++] = 0x80 | (u & 0x3f);
      }
    }
    return n;
  }
}

/** The four hex digits at b[p, p + 4) (before `e`) as a number, or -1. */
function hex4(b: Uint8Array, p: number, e: number): number {
  if (p + 4 > e) return -1;
  const a = HEX_VALUE[b[p]!]!, c = HEX_VALUE[b[p + 1]!]!, d = HEX_VALUE[b[p + 2]!]!, f = HEX_VALUE[b[p + 3]!]!;
  if ((a | c | d | f) < 0) return -1;
  return (a << 12) | (c << 8) | (d << 4) | f;
}
