/**
 * EVTX value types (libevtx documentation, "Value types") read from a chunk's bytes into JavaScript values.
 * Each value keeps its type code beside it, because the same bytes render differently per type: a GUID as
 * upper-case text without braces, hex integers as "0x..." in lower case, FILETIMEs as exact ISO text (7
 * fractional digits: FILETIME counts 100 ns). What the values become follows the JSON that `evtx_dump`
 * (the evtx crate) writes, so files read here and that tool's JSON exports land the same.
 */
import { EvtxError } from './errors.js';

export const VT = {
  null: 0x00, string: 0x01, ansi: 0x02, int8: 0x03, uint8: 0x04, int16: 0x05, uint16: 0x06, int32: 0x07, uint32: 0x08,
  int64: 0x09, uint64: 0x0a, real32: 0x0b, real64: 0x0c, bool: 0x0d, binary: 0x0e, guid: 0x0f, sizeT: 0x10,
  filetime: 0x11, systime: 0x12, sid: 0x13, hex32: 0x14, hex64: 0x15, evtHandle: 0x20, binXml: 0x21, evtXml: 0x23,
  array: 0x80,
} as const;

/** Milliseconds between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
const EPOCH_DIFF_MS = 11_644_473_600_000;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** A FILETIME (two 32-bit halves) as Unix milliseconds plus the 100 ns ticks below them, exactly (no float loss). */
export function filetimeParts(lo: number, hi: number): { ms: number; sub: number } {
  // ticks = hi * 2^32 + lo and 2^32 = 429496 * 10000 + 7296, so the split stays within float64's exact range
  const rest = hi * 7296 + lo;
  const ms = hi * 429496 + Math.floor(rest / 10_000) - EPOCH_DIFF_MS;
  return { ms, sub: rest % 10_000 };
}

/** ISO 8601 UTC with 7 fractional digits; undefined when the time is outside what a Date can show. */
export function isoOf(ms: number, sub: number): string | undefined {
  if (!(ms >= -8.64e15 && ms <= 8.64e15)) return undefined;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) return undefined;
  const frac = String(d.getUTCMilliseconds() * 10_000 + sub).padStart(7, '0');
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}

export function filetimeIso(buf: Buffer, at: number): string | null {
  const { ms, sub } = filetimeParts(buf.readUInt32LE(at), buf.readUInt32LE(at + 4));
  return isoOf(ms, sub) ?? null;
}

export function guidText(buf: Buffer, at: number): string {
  const h = (i: number) => HEX[buf[at + i]!]!;
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

/** A SID: revision, sub-authority count, 48-bit big-endian authority, 32-bit little-endian sub-authorities. */
export function sidText(buf: Buffer, at: number, end: number): { text: string; size: number } {
  if (at + 8 > end) throw new EvtxError('SID cut short');
  const count = buf[at + 1]!;
  const size = 8 + count * 4;
  if (at + size > end) throw new EvtxError(`SID of ${count} sub-authorities runs past its value`);
  const authority = buf.readUIntBE(at + 2, 6);
  let text = `S-${buf[at]}-${authority >= 2 ** 32 ? '0x' + authority.toString(16).toUpperCase() : authority}`;
  for (let i = 0; i < count; i++) text += `-${buf.readUInt32LE(at + 8 + i * 4)}`;
  return { text, size };
}

export function hex64(buf: Buffer, at: number): string {
  const lo = buf.readUInt32LE(at);
  const hi = buf.readUInt32LE(at + 4);
  return hi ? `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}` : `0x${lo.toString(16)}`;
}

export function binaryHex(buf: Buffer, at: number, end: number): string {
  return buf.toString('hex', at, end).toUpperCase();
}

/** A 64-bit integer: a number while it is exact, else its decimal digits (a float would change it). */
function int64(buf: Buffer, at: number, signed: boolean): number | string {
  const v = signed ? buf.readBigInt64LE(at) : buf.readBigUInt64LE(at);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

/** A float32 as the shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612). */
function real32(buf: Buffer, at: number): number {
  const x = buf.readFloatLE(at);
  if (!Number.isFinite(x)) return x;
  for (let p = 1; p < 9; p++) {
    const n = Number(x.toPrecision(p));
    if (Math.fround(n) === x) return n;
  }
  return x;
}

/** UTF-16LE text without its trailing NULs. */
export function utf16(buf: Buffer, at: number, end: number): string {
  let e = end - ((end - at) & 1);
  while (e >= at + 2 && buf[e - 1] === 0 && buf[e - 2] === 0) e -= 2;
  return buf.toString('utf16le', at, e);
}

/** A SYSTEMTIME (year, month, weekday, day, hour, minute, second, ms) as ISO text like FILETIMEs; null if it is no date. */
function systime(buf: Buffer, at: number): string | null {
  const f = [0, 2, 6, 8, 10, 12, 14].map((k) => buf.readUInt16LE(at + k));
  const [y, mo, d, h, mi, s, ms] = f as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  // fields out of range (Feb 30, hour 25) would roll over into another date: no date at all
  if (Number.isNaN(t) || y < 1601 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59 || ms > 999) return null;
  return isoOf(t, 0) ?? null;
}

const FIXED: Record<number, number> = {
  [VT.int8]: 1, [VT.uint8]: 1, [VT.int16]: 2, [VT.uint16]: 2, [VT.int32]: 4, [VT.uint32]: 4, [VT.int64]: 8, [VT.uint64]: 8,
  [VT.real32]: 4, [VT.real64]: 8, [VT.bool]: 4, [VT.guid]: 16, [VT.filetime]: 8, [VT.systime]: 16, [VT.hex32]: 4, [VT.hex64]: 8,
};

/** One fixed-size scalar at `at` (the caller checked that its bytes are there). */
function scalar(buf: Buffer, at: number, type: number): unknown {
  switch (type) {
    case VT.int8: return buf.readInt8(at);
    case VT.uint8: return buf[at]!;
    case VT.int16: return buf.readInt16LE(at);
    case VT.uint16: return buf.readUInt16LE(at);
    case VT.int32: return buf.readInt32LE(at);
    case VT.uint32: return buf.readUInt32LE(at);
    case VT.int64: return int64(buf, at, true);
    case VT.uint64: return int64(buf, at, false);
    case VT.real32: return real32(buf, at);
    case VT.real64: return buf.readDoubleLE(at);
    case VT.bool: return buf.readUInt32LE(at) !== 0;
    case VT.guid: return guidText(buf, at);
    case VT.filetime: return filetimeIso(buf, at);
    case VT.systime: return systime(buf, at);
    case VT.hex32: return `0x${buf.readUInt32LE(at).toString(16)}`;
    case VT.hex64: return hex64(buf, at);
    default: throw new EvtxError(`value type 0x${type.toString(16)} has no fixed size`);
  }
}

/**
 * A substitution value of `size` bytes at `at`. Binary XML (0x21) values are not decoded here (the caller
 * parses them as a fragment); arrays become JavaScript arrays.
 */
export function readValue(buf: Buffer, at: number, size: number, type: number): unknown {
  const end = at + size;
  switch (type) {
    case VT.null: return null;
    case VT.string: return utf16(buf, at, end);
    case VT.ansi: {
      let e = end;
      while (e > at && buf[e - 1] === 0) e--;
      return buf.toString('latin1', at, e);
    }
    case VT.binary: return binaryHex(buf, at, end);
    case VT.sid: return sidText(buf, at, end).text;
    case VT.sizeT:
      if (size === 4) return `0x${buf.readUInt32LE(at).toString(16)}`;
      if (size === 8) return hex64(buf, at);
      throw new EvtxError(`size_t value of ${size} bytes (expected 4 or 8)`);
    case VT.evtHandle:
    case VT.evtXml:
      throw new EvtxError(`value type 0x${type.toString(16)} cannot be stored in a log file`);
  }
  if (type & VT.array) return readArray(buf, at, end, type & 0x7f);
  const n = FIXED[type];
  if (n === undefined) throw new EvtxError(`unknown value type 0x${type.toString(16)}`);
  if (size < n) throw new EvtxError(`value of type 0x${type.toString(16)} needs ${n} bytes, has ${size}`);
  return scalar(buf, at, type);
}

function readArray(buf: Buffer, at: number, end: number, type: number): unknown[] {
  const out: unknown[] = [];
  if (type === VT.string) {
    let s = at;
    for (let i = at; i + 1 < end; i += 2) {
      if (buf[i] === 0 && buf[i + 1] === 0) {
        out.push(buf.toString('utf16le', s, i));
        s = i + 2;
      }
    }
    if (s + 1 < end) out.push(utf16(buf, s, end));
    return out;
  }
  if (type === VT.ansi) {
    let s = at;
    for (let i = at; i < end; i++) {
      if (buf[i] === 0) {
        out.push(buf.toString('latin1', s, i));
        s = i + 1;
      }
    }
    if (s < end) out.push(buf.toString('latin1', s, end));
    return out;
  }
  if (type === VT.sid) {
    for (let p = at; p < end; ) {
      const { text, size } = sidText(buf, p, end);
      out.push(text);
      p += size;
    }
    return out;
  }
  const n = FIXED[type];
  if (n === undefined) throw new EvtxError(`unknown array value type 0x${(type | VT.array).toString(16)}`);
  if ((end - at) % n) throw new EvtxError(`array of type 0x${(type | VT.array).toString(16)} is ${end - at} bytes, not a multiple of ${n}`);
  for (let p = at; p < end; p += n) out.push(scalar(buf, p, type));
  return out;
}
