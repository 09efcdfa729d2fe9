/**
 * Format 5's integer buffers: unsigned offsets (below 2^32) bit-packed in frames of 128 values, each frame
 * with its own minimum and bit width. One width per column (format 3-4) pays for its widest value in every
 * row; a frame pays only for its own: codes of a 70,000-string dictionary take 17 bits, not 24; a time-
 * ordered Timestamp's steps (or serial ids') take 0 bits in every frame but the one where the ingest's blocks
 * meet; a bool column takes 1 bit. Frames are small so that such a jump widens 128 values, not thousands.
 *
 * Layout of the buffer (Uint32 words, little-endian): the frames' minimums (one word each), their widths
 * (one byte each, padded to a word), then each frame's offsets, `width` bits apiece, low bits first, the
 * frame starting on a word boundary. Decoding is one loop per frame; a width-0 frame is a fill.
 */
export const FRAME = 128;

/** Each frame's minimum and bit width, and the words the packed buffer takes. */
export interface FrameLayout { mins: Uint32Array; widths: Uint8Array; words: number }

/** The frames `u[0..n)` (each below 2^32) would be packed in: what packing them costs, before choosing. */
export function frameLayout(u: Uint32Array, n: number): FrameLayout {
  const frames = Math.ceil(n / FRAME);
  const mins = new Uint32Array(frames);
  const widths = new Uint8Array(frames);
  let words = frames + Math.ceil(frames / 4);
  for (let f = 0; f < frames; f++) {
    const from = f * FRAME;
    const end = Math.min(n, from + FRAME);
    let lo = u[from]!;
    let hi = lo;
    for (let i = from + 1; i < end; i++) {
      const v = u[i]!;
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    mins[f] = lo;
    widths[f] = bitsFor(hi - lo);
    words += Math.ceil(((end - from) * widths[f]!) / 32);
  }
  return { mins, widths, words };
}

/** `u[0..n)` (each below 2^32) bit-packed in frames; see the layout above. */
export function packFrames(u: Uint32Array, n: number, layout: FrameLayout = frameLayout(u, n)): Uint32Array {
  const frames = layout.mins.length;
  const out = new Uint32Array(layout.words);
  out.set(layout.mins);
  new Uint8Array(out.buffer, frames * 4, frames).set(layout.widths);
  let w32 = frames + Math.ceil(frames / 4);
  for (let f = 0; f < frames; f++) {
    const from = f * FRAME;
    const end = Math.min(n, from + FRAME);
    const lo = layout.mins[f]!;
    const width = layout.widths[f]!;
    if (width === 0) continue;
    let bit = 0;
    for (let i = from; i < end; i++) {
      const v = u[i]! - lo;
      out[w32]! |= v << bit;
      if (bit + width > 32) out[w32 + 1] = v >>> (32 - bit);
      bit += width;
      if (bit >= 32) {
        bit -= 32;
        w32++;
      }
    }
    if (bit) w32++;
  }
  return out;
}

/** The `n` offsets packFrames packed into `words`, as they were given (the caller adds its base or steps). */
export function unpackFrames(words: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(n);
  const frames = Math.ceil(n / FRAME);
  const widths = new Uint8Array(words.buffer, words.byteOffset + frames * 4, frames);
  let w32 = frames + Math.ceil(frames / 4);
  for (let f = 0; f < frames; f++) {
    const start = f * FRAME;
    const end = Math.min(n, start + FRAME);
    const width = widths[f]!;
    const min = words[f]!;
    if (width === 0) {
      out.fill(min, start, end);
      continue;
    }
    if (width === 32) {
      for (let i = start; i < end; i++) out[i] = min + words[w32++]!;
      continue;
    }
    // `acc` holds the `avail` bits of the current word not yet used, low first
    const mask = (1 << width) - 1;
    let acc = 0;
    let avail = 0;
    for (let i = start; i < end; i++) {
      let v: number;
      if (avail >= width) {
        v = acc & mask;
        acc >>>= width;
        avail -= width;
      } else {
        const next = words[w32++]!;
        v = (acc | (next << avail)) & mask;
        acc = next >>> (width - avail);
        avail += 32 - width;
      }
      out[i] = min + v;
    }
  }
  return out;
}

/**
 * Steps packed by packFrames, summed as they are unpacked: value i is value i-1 (`from` before the first)
 * plus `base` plus step i, as Float64. One loop instead of unpacking the steps and summing them in a
 * second pass over a Uint32 copy: a time-ordered Timestamp is read this way by every hunt, cold.
 */
export function unpackFrameSums(words: Uint32Array, n: number, base: number, from: number): Float64Array {
  const out = new Float64Array(n);
  const frames = Math.ceil(n / FRAME);
  const widths = new Uint8Array(words.buffer, words.byteOffset + frames * 4, frames);
  let w32 = frames + Math.ceil(frames / 4);
  let sum = from;
  for (let f = 0; f < frames; f++) {
    const start = f * FRAME;
    const end = Math.min(n, start + FRAME);
    const width = widths[f]!;
    // every step of the frame is at least this
    const step = base + words[f]!;
    if (width === 0) {
      for (let i = start; i < end; i++) out[i] = sum += step;
      continue;
    }
    if (width === 32) {
      for (let i = start; i < end; i++) out[i] = sum += step + words[w32++]!;
      continue;
    }
    const mask = (1 << width) - 1;
    let acc = 0;
    let avail = 0;
    for (let i = start; i < end; i++) {
      let v: number;
      if (avail >= width) {
        v = acc & mask;
        acc >>>= width;
        avail -= width;
      } else {
        const next = words[w32++]!;
        v = (acc | (next << avail)) & mask;
        acc = next >>> (width - avail);
        avail += 32 - width;
      }
      out[i] = sum += step + v;
    }
  }
  return out;
}

/** Bits an unsigned value up to `range` (below 2^32) needs. */
export const bitsFor = (range: number): number => (range === 0 ? 0 : 32 - Math.clz32(range));
