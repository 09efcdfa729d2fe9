/**
 * A dictionary of IPv4 addresses (RemoteIP, LocalIP: often a new address in most rows) stored as their
 * 32-bit numbers, which format 5 then bit-packs like any integers (often as steps between neighbours), in
 * place of 7-15 bytes of text and a length each. Only when every entry is a dotted quad in its one
 * canonical spelling (four parts 0-255, no leading zeros, nothing else), so that printing the numbers gives
 * back the very same strings; any other dictionary stays text.
 */

/** The dictionary's entries as numbers, given its UTF-16 end offsets and UTF-8 text; undefined when any entry
 * is not a canonical IPv4 address. */
export function ipv4Numbers(ends: Int32Array, text: Uint8Array): Float64Array | undefined {
  const count = ends.length;
  // ASCII text only: then UTF-16 offsets are byte offsets (an address is ASCII; other text fails below)
  if (count === 0 || ends[count - 1] !== text.length) return undefined;
  const out = new Float64Array(count);
  for (let k = 0, at = 0; k < count; k++) {
    const end = ends[k]!;
    if (end - at < 7 || end - at > 15) return undefined;
    let v = 0;
    let part = 0;
    let digits = 0;
    let dots = 0;
    for (let i = at; i < end; i++) {
      const c = text[i]!;
      if (c === 0x2e) {
        if (digits === 0 || dots === 3) return undefined;
        v = v * 256 + part;
        dots++;
        part = 0;
        digits = 0;
      } else if (c >= 0x30 && c <= 0x39) {
        if (digits > 0 && part === 0) return undefined; // a leading zero
        part = part * 10 + (c - 0x30);
        if (++digits > 3 || part > 255) return undefined;
      } else return undefined;
    }
    if (dots !== 3 || digits === 0) return undefined;
    out[k] = v * 256 + part;
    at = end;
  }
  return out;
}

/** The addresses' text again: written as bytes, decoded once, then sliced (as text dictionaries are read). */
export function ipv4Strings(numbers: ArrayLike<number>, count: number): string[] {
  const bytes = new Uint8Array(count * 15);
  const ends = new Int32Array(count);
  let at = 0;
  for (let k = 0; k < count; k++) {
    const v = numbers[k]!;
    for (let shift = 24; shift >= 0; shift -= 8) {
      const b = (v >>> shift) & 255;
      if (b >= 100) bytes[at++] = 0x30 + ((b / 100) | 0);
      if (b >= 10) bytes[at++] = 0x30 + (((b / 10) | 0) % 10);
      bytes[at++] = 0x30 + (b % 10);
      if (shift) bytes[at++] = 0x2e;
    }
    ends[k] = at;
  }
  const all = Buffer.from(bytes.buffer, 0, at).toString('latin1');
  const dict = new Array<string>(count);
  for (let k = 0, from = 0; k < count; k++) dict[k] = all.slice(from, (from = ends[k]!));
  return dict;
}
