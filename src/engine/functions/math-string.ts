/** Math, string and hashing functions (see core.ts for the conventions). */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../../common/lazy-package.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';
import { valueToString } from '../values/format.js';
import { formatDatetime } from '../values/ticks.js';
import { strictBase64 } from './arrays-text.js';
import { compileRegex } from './regex.js';
import { fn, type ScalarFunction } from './types.js';
import { reserve } from '../memory.js';

/** node:crypto (~4 ms to load), for the hash functions only. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');
const createHash = (algorithm: string) => crypto().createHash(algorithm);

const str = (v: Value) => (v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
const num = (v: Value): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
/** The text hash and reverse functions see: datetimes keep all seven fraction digits (tostring trims them). */
const fullText = (v: Value, t: ScalarTypeName) => (typeof v === 'bigint' && t === 'datetime' ? formatDatetime(v) : valueToString(v, t));
const math1 = (name: string, f: (x: number) => number) => fn(name, 1, 1, ([v]) => { const x = num(v); return x === null ? null : f(x); });

function trimRegex(pattern: string, s: string, start: boolean, end: boolean): string {
  let out = s;
  if (start) {
    const m = compileRegex(`^(?:${pattern})+`).matcher(out);
    if (m.find()) out = out.slice(m.end());
  }
  if (end) {
    const m = compileRegex(`(?:${pattern})+$`).matcher(out);
    if (m.find()) out = out.slice(0, m.start());
  }
  return out;
}

/** Kusto's URL encoding: UTF-8 bytes as lower-case %xx except letters, digits and - _ . ! * ( ). */
function urlEncode(s: string, space: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(c)) out += c;
    else if (c === ' ') out += space;
    else out += '%' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

export const MATH_STRING_FUNCTIONS: ScalarFunction[] = [
  math1('sqrt', (x) => (x < 0 ? NaN : Math.sqrt(x))),
  math1('exp', Math.exp),
  math1('exp2', (x) => 2 ** x),
  math1('exp10', (x) => 10 ** x),
  math1('log', Math.log),
  math1('log2', Math.log2),
  math1('log10', Math.log10),
  math1('sin', Math.sin),
  math1('cos', Math.cos),
  math1('tan', Math.tan),
  math1('cot', (x) => 1 / Math.tan(x)),
  math1('asin', Math.asin),
  math1('acos', Math.acos),
  math1('atan', Math.atan),
  math1('degrees', (x) => (x * 180) / Math.PI),
  math1('radians', (x) => (x * Math.PI) / 180),
  fn('ceiling', 1, 1, ([v]) => (typeof v === 'number' ? Math.ceil(v) : null)),
  fn('sign', 1, 1, ([v]) => (typeof v === 'number' ? Math.sign(v) : null)),
  fn('pi', 0, 0, () => Math.PI),
  fn('pow', 2, 2, ([a, b]) => { const x = num(a); const y = num(b); return x === null || y === null ? null : x ** y; }),
  fn('atan2', 2, 2, ([a, b]) => { const y = num(a); const x = num(b); return x === null || y === null ? null : Math.atan2(y, x); }),
  fn('isnan', 1, 1, ([v]) => typeof v === 'number' && Number.isNaN(v)),
  fn('isinf', 1, 1, ([v]) => typeof v === 'number' && (v === Infinity || v === -Infinity)),
  fn('isfinite', 1, 1, ([v]) => typeof v === 'number' && Number.isFinite(v)),
  fn('min_of', 1, 64, (args) => args.reduce<Value>((m, v) => (v === null ? m : m === null || (v as number) < (m as number) ? v : m), null)),
  fn('max_of', 1, 64, (args) => args.reduce<Value>((m, v) => (v === null ? m : m === null || (v as number) > (m as number) ? v : m), null)),
  fn('trim', 2, 2, ([p, s]) => trimRegex(str(p), str(s), true, true)),
  fn('trim_start', 2, 2, ([p, s]) => trimRegex(str(p), str(s), true, false)),
  fn('trim_end', 2, 2, ([p, s]) => trimRegex(str(p), str(s), false, true)),
  fn('replace_regex', 3, 3, ([s, p, r]) => {
    const m = compileRegex(str(p)).matcher(str(s));
    return m.replaceAll(str(r).replace(/\\(\d)/g, '$$$1'));
  }),
  fn('strcat_delim', 2, 64, ([d, ...rest], types) => rest.map((v, i) => valueToString(v, types[i + 1]!)).join(str(d))),
  fn('indexof', 2, 5, ([s, needle, start, length, occurrence]) => {
    const hay = str(s);
    const n = str(needle);
    let from = Number(start ?? 0);
    if (from < 0) from = Math.max(0, hay.length + from);
    if (from > hay.length) return -1;
    const span = length === null || length === undefined || Number(length) < 0 ? Infinity : Number(length);
    // each further occurrence is looked for in a window of the same length starting after the previous one
    let occ = Number(occurrence ?? 1);
    let at = -1;
    while (occ-- > 0) {
      const lim = Math.min(hay.length, from + span);
      at = hay.indexOf(n, from);
      if (at < 0 || at + n.length > lim) return -1;
      from = at + 1;
    }
    return at;
  }),
  fn('countof', 2, 3, ([s, needle, kind]) => {
    const hay = str(s);
    const n = str(needle);
    if (str(kind) === 'regex') {
      const m = compileRegex(n).matcher(hay);
      let c = 0;
      while (m.find()) c++;
      return c;
    }
    if (!n) return 0;
    let c = 0;
    for (let i = hay.indexOf(n); i >= 0; i = hay.indexOf(n, i + n.length)) c++;
    return c;
  }),
  // extract_all(re, [captureGroups,] text): every match's groups; captureGroups (a dynamic array of group
  // numbers, 0 = the whole match, or group names) picks which, in that order
  fn('extract_all', 2, 3, ([p, a, b]) => {
    const input = str(b === undefined ? a : b);
    const re = compileRegex(str(p));
    const m = re.matcher(input);
    const count = re.groupCount();
    let picked: number[] | undefined;
    if (b !== undefined && a !== null) {
      if (!Array.isArray(a) || a.length === 0) return null;
      // a group by number, or by the name a (?P<name>...) group has
      const named = re.namedGroups() as Record<string, number>;
      picked = a.map((g) => (typeof g === 'string' && !/^\d+$/.test(g) ? (named[g] ?? -1) : Number(g)));
      if (picked.some((g) => !Number.isInteger(g) || g < 0 || g > count)) return null;
    }
    const groups = picked ?? (count === 0 ? [0] : Array.from({ length: count }, (_, g) => g + 1));
    const out: DynamicValue[] = [];
    while (m.find()) out.push(groups.length === 1 ? m.group(groups[0]!) : groups.map((g) => m.group(g)));
    return out.length ? out : null;
  }),
  fn('reverse', 1, 1, ([s], [t]) => [...fullText(s, t!)].reverse().join('')),
  fn('strrep', 2, 3, ([s, n, d], [t]) => {
    const times = Math.max(0, Math.trunc(Number(n ?? 0)) || 0);
    const text = valueToString(s, t!);
    const delimiter = str(d ?? '');
    // the one string this builds can be huge (strrep(s, 1e9)): the query's budget decides before it is built
    reserve(2 * times * (text.length + delimiter.length), true);
    return times === 0 ? '' : (text + delimiter).repeat(times - 1) + text;
  }),
  fn('hash_sha256', 1, 1, ([s], [t]) => createHash('sha256').update(fullText(s, t!)).digest('hex')),
  fn('hash_sha1', 1, 1, ([s], [t]) => createHash('sha1').update(fullText(s, t!)).digest('hex')),
  fn('hash_md5', 1, 1, ([s], [t]) => createHash('md5').update(fullText(s, t!)).digest('hex')),
  fn('base64_encode_tostring', 1, 1, ([s]) => Buffer.from(str(s), 'utf8').toString('base64')),
  fn('base64_decode_tostring', 1, 1, ([s]) => {
    // text that is not valid base64, or bytes that are not valid UTF-8, decode to an empty string
    const b = strictBase64(str(s));
    if (!b) return '';
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      return '';
    }
  }),
  fn('url_encode', 1, 1, ([s]) => urlEncode(str(s), '+')),
  fn('url_encode_component', 1, 1, ([s]) => urlEncode(str(s), '%20')),
  fn('url_decode', 1, 1, ([s]) => { try { return decodeURIComponent(str(s).replace(/\+/g, ' ')); } catch { return null; } }),
  // a negative value in two's complement of its own width: 32 bits for an int (tohex(toint(-256)) is ffffff00), 64 for a long
  fn('tohex', 1, 2, ([v, w], [t]) => {
    if (v === null || (typeof v !== 'number' && typeof v !== 'bigint')) return null;
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    const x = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
    const h = (x < 0n ? BigInt.asUintN(t === 'int' ? 32 : 64, x) : x).toString(16);
    return w ? h.padStart(Number(w), '0') : h;
  }),
  fn('gettype', 1, 1, ([v], [t]) => {
    if (t !== 'dynamic') return t === 'real' ? 'real' : t === 'bool' ? 'bool' : t!;
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    if (typeof v === 'object') return 'dictionary';
    if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
    return typeof v === 'boolean' ? 'bool' : 'string';
  }),
];
