/** More array, text and time-format functions (see core.ts for the conventions). */
import { formatDatetime, formatTimespan, TICKS_PER_DAY } from '../values/ticks.js';
import { valueToString } from '../values/format.js';
import type { DynamicValue, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';
import { parseGuidText } from '../../kql/syntax/index.js';
import { setOwn } from '../../common/own-keys.js';

const arr = (v: Value): DynamicValue[] | null => (Array.isArray(v) ? (v as DynamicValue[]) : null);
const str = (v: Value) => (v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

function rotate(a: DynamicValue[], n: number): DynamicValue[] {
  if (!a.length) return a;
  const k = ((n % a.length) + a.length) % a.length;
  return [...a.slice(k), ...a.slice(0, k)];
}

function shift(a: DynamicValue[], n: number, fill: DynamicValue): DynamicValue[] {
  const out: DynamicValue[] = new Array(a.length).fill(fill);
  for (let i = 0; i < a.length; i++) {
    const j = i + n;
    if (j >= 0 && j < a.length) out[i] = a[j]!;
  }
  return out;
}

/** format_datetime: the .NET-style specifiers Kusto documents (yyyy, MM, dd, HH, hh, mm, ss, f..., tt). */
function formatDatetimeWith(t: bigint, format: string): string {
  const iso = formatDatetime(t); // yyyy-MM-ddTHH:mm:ss.fffffffZ
  const parts: Record<string, string> = {
    yyyy: iso.slice(0, 4), yy: iso.slice(2, 4), MM: iso.slice(5, 7), dd: iso.slice(8, 10), HH: iso.slice(11, 13),
    mm: iso.slice(14, 16), ss: iso.slice(17, 19),
  };
  const hour = Number(parts['HH']);
  return format.replace(/yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt/g, (tok) => {
    if (parts[tok] !== undefined) return parts[tok]!;
    if (tok === 'M') return String(Number(parts['MM']));
    if (tok === 'd') return String(Number(parts['dd']));
    if (tok === 'H') return String(hour);
    if (tok === 'hh') return String(hour % 12 || 12).padStart(2, '0');
    if (tok === 'h') return String(hour % 12 || 12);
    if (tok === 'm') return String(Number(parts['mm']));
    if (tok === 's') return String(Number(parts['ss']));
    if (tok === 'tt') return hour < 12 ? 'AM' : 'PM';
    const frac = iso.slice(20, 27).slice(0, tok.length);
    return tok.startsWith('F') ? frac.replace(/0+$/, '') : frac;
  });
}

function formatTimespanWith(t: bigint, format: string): string {
  const neg = t < 0n;
  const v = neg ? -t : t;
  const days = v / TICKS_PER_DAY;
  const text = formatTimespan(v - days * TICKS_PER_DAY).padEnd(8, '0');
  const frac = (text.split('.')[1] ?? '').padEnd(7, '0');
  return (neg ? '-' : '') + format.replace(/d+|hh|h|mm|m|ss|s|f{1,7}|F{1,7}/g, (tok) => {
    if (tok.startsWith('d')) return String(days).padStart(tok.length, '0');
    if (tok === 'hh') return text.slice(0, 2);
    if (tok === 'h') return String(Number(text.slice(0, 2)));
    if (tok === 'mm') return text.slice(3, 5);
    if (tok === 'm') return String(Number(text.slice(3, 5)));
    if (tok === 'ss') return text.slice(6, 8);
    if (tok === 's') return String(Number(text.slice(6, 8)));
    const f = frac.slice(0, tok.length);
    return tok.startsWith('F') ? f.replace(/0+$/, '') : f;
  }).replace(/\\(.)/g, '$1');
}

export const ARRAY_TEXT_FUNCTIONS: ScalarFunction[] = [
  fn('array_rotate_left', 2, 2, ([a, n]) => (arr(a) ? rotate(arr(a)!, Number(n)) : null)),
  fn('array_rotate_right', 2, 2, ([a, n]) => (arr(a) ? rotate(arr(a)!, -Number(n)) : null)),
  fn('array_shift_left', 2, 3, ([a, n, f]) => (arr(a) ? shift(arr(a)!, Number(n), (f ?? null) as DynamicValue) : null)),
  fn('array_shift_right', 2, 3, ([a, n, f]) => (arr(a) ? shift(arr(a)!, -Number(n), (f ?? null) as DynamicValue) : null)),
  fn('array_iff', 3, 3, ([c, t, f]) => {
    const cs = arr(c);
    if (!cs) return null;
    // a scalar branch is used for every element; numbers are conditions too (non-zero is true)
    const pick = (x: Value, i: number) => (Array.isArray(x) ? ((x as DynamicValue[])[i] ?? null) : (x as DynamicValue));
    const truth = (b: DynamicValue) => (typeof b === 'boolean' ? b : typeof b === 'number' ? b !== 0 : null);
    return cs.map((b, i) => { const v = truth(b); return v === null ? null : pick(v ? t : f, i); });
  }),
  fn('array_split', 2, 2, ([a, idx]) => {
    const x = arr(a);
    if (!x) return null;
    const cuts = (Array.isArray(idx) ? (idx as number[]) : [Number(idx)]).map((i) => (i < 0 ? x.length + i : i)).sort((p, q) => p - q);
    const out: DynamicValue[][] = [];
    let from = 0;
    for (const c of cuts) {
      out.push(x.slice(from, Math.max(from, c)));
      from = Math.max(from, c);
    }
    out.push(x.slice(from));
    return out;
  }),
  fn('strcat_array', 2, 2, ([a, d]) => (arr(a) ? arr(a)!.map((x) => (x === null ? '' : typeof x === 'string' ? x : JSON.stringify(x))).join(str(d)) : null)),
  fn('bag_zip', 2, 2, ([k, v]) => {
    const keys = arr(k);
    if (!keys) return null;
    // values that are not an array fill every key with null; keys that are not strings are skipped
    const vals = arr(v) ?? [];
    const out: Record<string, DynamicValue> = {};
    keys.forEach((key, i) => { if (typeof key === 'string') setOwn(out, key, i < vals.length ? vals[i]! : null); });
    return out;
  }),
  fn('unicode_codepoints_from_string', 1, 1, ([s]) => [...str(s)].map((c) => c.codePointAt(0)!)),
  fn('unicode_codepoints_to_string', 1, 64, (args) => args.flatMap((a) => (Array.isArray(a) ? (a as number[]) : [a as number])).map((c) => String.fromCodePoint(Number(c))).join('')),
  fn('base64_decode_toarray', 1, 1, ([s]) => { const b = strictBase64(str(s)); return b ? [...b] : null; }),
  fn('base64_encode_fromarray', 1, 1, ([a]) => (arr(a) ? Buffer.from(arr(a)!.map(Number)).toString('base64') : '')),
  // the .NET forms: 8-4-4-4-12 (optionally in braces) and 32 plain hex digits
  // toguid reads 32 hex digits however dashes split them (toguid-function.md: "0123456789ab-cdef-0123-456789abcdef")
  fn('toguid', 1, 1, ([g]) => (typeof g === 'string' ? (parseGuidText(g) ?? parseGuidText(g.trim().replace(/-/g, '')) ?? null) : null)),
  fn('base64_decode_toguid', 1, 1, ([s]) => { const b = strictBase64(str(s)); return b && b.length === 16 ? guidFromBytes(b) : null; }),
  fn('base64_encode_fromguid', 1, 1, ([g]) => { const b = guidToBytes(str(g)); return b ? b.toString('base64') : null; }),
  fn('format_datetime', 2, 2, ([t, f]) => (typeof t === 'bigint' ? formatDatetimeWith(t, str(f)) : '')),
  fn('format_timespan', 2, 2, ([t, f]) => (typeof t === 'bigint' ? formatTimespanWith(t, str(f)) : '')),
  fn('datetime_part', 2, 2, ([part, t]) => {
    if (typeof t !== 'bigint') return null;
    const iso = formatDatetime(t);
    const d = new Date(iso.slice(0, 19) + 'Z');
    switch (str(part).toLowerCase()) {
      case 'year': return d.getUTCFullYear();
      case 'quarter': return Math.floor(d.getUTCMonth() / 3) + 1;
      case 'month': return d.getUTCMonth() + 1;
      case 'week_of_year': case 'weekofyear': return isoWeek(d);
      case 'day': return d.getUTCDate();
      case 'dayofyear': return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      case 'hour': return d.getUTCHours();
      case 'minute': return d.getUTCMinutes();
      case 'second': return d.getUTCSeconds();
      case 'millisecond': return Number(iso.slice(20, 23));
      case 'microsecond': return Number(iso.slice(20, 26));
      case 'nanosecond': return Number(iso.slice(20, 27)) * 100;
      default: return null;
    }
  }),
  fn('week_of_year', 1, 1, ([t]) => (typeof t === 'bigint' ? isoWeek(new Date(formatDatetime(t).slice(0, 19) + 'Z')) : null)),
  fn('strcmp', 2, 2, ([a, b]) => (str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0)),
  fn('string_size', 1, 1, ([s]) => Buffer.byteLength(str(s), 'utf8')),
  fn('isascii', 1, 1, ([s]) => /^[\x00-\x7f]*$/.test(str(s))),
  fn('new_guid', 0, 0, () => crypto.randomUUID()),
  fn('dynamic_to_json', 1, 1, ([v], [t]) => (t === 'dynamic' ? JSON.stringify(sortKeys(v as DynamicValue)) : valueToString(v, t!))),
];

/** Decodes padded base64; null when the text is not well-formed base64 (Node's decoder would skip bad input). */
export function strictBase64(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}

/** A GUID's 16 bytes in .NET order: the first three groups little-endian, the last two as written. */
function guidToBytes(g: string): Buffer | null {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(g.trim());
  if (!m) return null;
  const le = (h: string) => Buffer.from(h, 'hex').reverse();
  return Buffer.concat([le(m[1]!), le(m[2]!), le(m[3]!), Buffer.from(m[4]! + m[5]!, 'hex')]);
}

function guidFromBytes(b: Buffer): string {
  const h = (from: number, to: number, reverse: boolean) => { const part = Buffer.from(b.subarray(from, to)); return (reverse ? part.reverse() : part).toString('hex'); };
  return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`;
}

/** dynamic_to_json writes property bags with their keys in order, so equal bags give equal text. */
function sortKeys(v: DynamicValue): DynamicValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, DynamicValue>)[k]!)]));
  return v;
}

/** ISO 8601 week number. */
function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}
