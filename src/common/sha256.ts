/**
 * SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as 64 hex digits: the same digest as node:crypto's
 * `createHash('sha256').update(text).digest('hex')` (a test compares them). A hunt names each finding by a
 * hash of its rule and group key (a handful of short strings per run); loading node:crypto for that, with
 * the fifteen internal modules it brings, took ~3 ms of every `kqlite hunt`, more than all its hashing.
 * Bulk hashing (KQL's hash_sha256, file digests) still uses node:crypto.
 */

let roundConstants: Uint32Array | undefined;
let initialHash: Uint32Array | undefined;

/** The first 32 bits of the fractional parts of the cube roots (square roots for the initial hash) of the first 64 (8) primes. */
function constants(): void {
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const fraction32 = (x: number) => Math.floor((x - Math.floor(x)) * 2 ** 32) >>> 0;
  roundConstants = Uint32Array.from(primes, (p) => fraction32(Math.cbrt(p)));
  initialHash = Uint32Array.from(primes.slice(0, 8), (p) => fraction32(Math.sqrt(p)));
}

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

export function sha256Hex(text: string): string {
  if (!roundConstants) constants();
  const k = roundConstants!;
  const bytes = new TextEncoder().encode(text);
  const length = bytes.length;
  // the message, a 1 bit, zeros, and its length in bits (big-endian, 64 bits) filling whole 64-byte blocks
  const blocks = Math.ceil((length + 9) / 64);
  const message = new Uint8Array(blocks * 64);
  message.set(bytes);
  message[length] = 0x80;
  const view = new DataView(message.buffer);
  view.setUint32(message.length - 8, Math.floor(length / 2 ** 29));
  view.setUint32(message.length - 4, (length * 8) >>> 0);
  const h = initialHash!.slice();
  const w = new Uint32Array(64);
  for (let block = 0; block < blocks; block++) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block * 64 + t * 4);
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      // stored in a Uint32Array: the sum is taken modulo 2^32
      w[t] = w[t - 16]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[t - 7]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[t]! + w[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  let hex = '';
  for (let i = 0; i < 8; i++) hex += h[i]!.toString(16).padStart(8, '0');
  return hex;
}
