/**
 * More text functions: replace_strings, regex_quote, indexof_regex, has_any_index, extract_json, format_bytes,
 * jaccard_index, punycode (RFC 3492, by hand: node's punycode module is deprecated) and gzip/zlib base64
 * compression (node:zlib).
 */
import type * as Zlib from 'node:zlib';
import { lazyPackage } from '../../common/lazy-package.js';
import { has } from '../values/terms.js';
import { valueToDynamic } from '../values/format.js';
import { valueKey } from '../values/compare.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';
import { compileRegex } from './regex.js';
import { fn, type ScalarFunction } from './types.js';
import { jsonNestsDeeper } from '../../common/nesting.js';
import { ownValue } from '../../common/own-keys.js';

/** node:zlib, for the compression functions only. */
const zlib = lazyPackage<typeof Zlib>('node:zlib');

const text = (v: Value): string => (typeof v === 'string' ? v : v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * replace_strings: every lookup is replaced by its rewrite; matches never overlap and an earlier lookup in
 * the list wins a contested range. A non-string lookup is ignored; a non-string rewrite leaves its matches as
 * they are (they still claim their range).
 */
function replaceStrings(source: string, lookups: Value, rewrites: Value): string {
  if (!Array.isArray(lookups)) return source;
  const rw = Array.isArray(rewrites) ? rewrites : [];
  const taken: { start: number; end: number; rewrite: string | null }[] = [];
  const overlaps = (s: number, e: number) => taken.some((t) => s < t.end && t.start < e);
  lookups.forEach((lookup, i) => {
    if (typeof lookup !== 'string' || !lookup) return;
    const rewrite = typeof rw[i] === 'string' ? (rw[i] as string) : null;
    for (let at = source.indexOf(lookup); at >= 0; ) {
      const end = at + lookup.length;
      if (!overlaps(at, end)) {
        taken.push({ start: at, end, rewrite });
        at = source.indexOf(lookup, end);
      } else at = source.indexOf(lookup, at + 1);
    }
  });
  taken.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const t of taken) {
    out += source.slice(pos, t.start) + (t.rewrite ?? source.slice(t.start, t.end));
    pos = t.end;
  }
  return out + source.slice(pos);
}

/**
 * indexof_regex(source, pattern, start, length, occurrence): where the occurrence-th non-overlapping match
 * starts inside source[start, start+length) (length -1: to the end), -1 when there is none, null for a
 * negative start or occurrence below 1.
 */
function indexofRegex(args: Value[]): Value {
  const [s, pattern, start, length, occurrence] = args;
  const source = text(s);
  const from = Number(start ?? 0);
  const occ = Number(occurrence ?? 1);
  if (from < 0 || occ < 1 || Number.isNaN(from)) return null;
  if (from > source.length) return -1;
  const len = length === null || length === undefined || Number(length) < 0 ? source.length - from : Number(length);
  const window = source.slice(from, from + len);
  const m = compileRegex(text(pattern)).matcher(window);
  let seen = 0;
  while (m.find()) if (++seen === occ) return from + m.start();
  return -1;
}

/** extract_json's JSONPath subset: `$`, `.name`, `['name']`, `["name"]`, `[n]`. */
export function jsonPathSteps(path: string): (string | number)[] | null {
  if (!path.startsWith('$')) return null;
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(-?\d+)\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return null;
    steps.push(m[4] !== undefined ? Number(m[4]) : (m[1] ?? m[2] ?? m[3]!));
  }
  return steps;
}

function extractJson(path: Value, source: Value, resultType: ScalarTypeName): Value {
  const steps = jsonPathSteps(text(path));
  if (!steps) return null;
  let cur: DynamicValue;
  if (typeof source === 'string' && jsonNestsDeeper(source)) return null;
  try {
    cur = typeof source === 'string' ? (JSON.parse(source) as DynamicValue) : (source as DynamicValue);
  } catch {
    return null;
  }
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return null;
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return null;
      cur = cur[s < 0 ? cur.length + s : s] ?? null;
    } else {
      if (Array.isArray(cur)) return null;
      cur = ownValue(cur as Record<string, DynamicValue>, s) ?? null;
    }
  }
  return asType(cur, resultType);
}

/** A JSON value read as a typed scalar (extract_json's third argument). */
function asType(v: DynamicValue, type: ScalarTypeName): Value {
  if (v === null || type === 'dynamic') return v;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'bool':
      return typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : null;
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isNaN(n)) return null;
      return type === 'int' || type === 'long' ? Math.trunc(n) : n;
    }
    default:
      return null;
  }
}

const BYTE_UNITS = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** format_bytes(size, precision = 0, units = the largest that keeps the value at least 1): base 1024. */
function formatBytes(size: Value, precision: Value, units: Value): Value {
  if (typeof size !== 'number' || !Number.isFinite(size)) return null;
  const digits = typeof precision === 'number' ? Math.max(0, Math.min(20, Math.trunc(precision))) : 0;
  let unit = typeof units === 'string' && units ? BYTE_UNITS.findIndex((u) => u.toLowerCase() === units.toLowerCase() || (u === 'Bytes' && /^b(ytes?)?$/i.test(units))) : -1;
  if (unit < 0) {
    unit = 0;
    while (unit < BYTE_UNITS.length - 1 && Math.abs(size) >= 1024 ** (unit + 1)) unit++;
  }
  return `${(size / 1024 ** unit).toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

// --- punycode (RFC 3492) ---
const BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128;

function adapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  while (delta > ((BASE - TMIN) * TMAX) >> 1) {
    delta = Math.floor(delta / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

const digitChar = (d: number) => String.fromCharCode(d < 26 ? 97 + d : 22 + d);
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 22;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return BASE;
}

export function punycodeEncode(input: string): string | null {
  const cps = Array.from(input, (c) => c.codePointAt(0)!);
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCodePoint(c)).join('');
  const basic = out.length;
  let handled = basic;
  if (basic) out += '-';
  let n = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
  while (handled < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    if (!Number.isSafeInteger(delta)) return null;
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
        if (q < t) break;
        out += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      out += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}

export function punycodeDecode(input: string): string | null {
  const dash = input.lastIndexOf('-');
  const out: number[] = [];
  for (let j = 0; j < Math.max(0, dash); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    out.push(c);
  }
  let n = INITIAL_N, i = 0, bias = INITIAL_BIAS;
  for (let pos = dash > 0 ? dash + 1 : 0; pos < input.length; ) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= input.length) return null;
      const d = digitValue(input.charCodeAt(pos++));
      if (d >= BASE) return null;
      i += d * w;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
      if (!Number.isSafeInteger(i) || !Number.isSafeInteger(w)) return null;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) return null;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

/** Domain labels are split at '.', and at the ideographic full stops IDNA treats as dots. */
const LABEL_SEPARATORS = /[.\u3002\uff0e\uff61]/;

function domainToAscii(domain: string): string | null {
  const labels = domain.split(LABEL_SEPARATORS).map((l) => (/^[\x00-\x7f]*$/.test(l) ? l : ((e) => (e === null ? null : `xn--${e}`))(punycodeEncode(l))));
  return labels.includes(null) ? null : labels.join('.');
}

function domainFromAscii(domain: string): string | null {
  const labels = domain.split('.').map((l) => (/^xn--/i.test(l) ? punycodeDecode(l.slice(4)) : l));
  return labels.includes(null) ? null : labels.join('.');
}

// --- compression ---
function decodeBase64(s: string): Buffer | null {
  const t = s.trim();
  if (!t || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null;
  return Buffer.from(t, 'base64');
}

function decompressed(v: Value, inflate: (b: Buffer) => Buffer): string {
  const bytes = decodeBase64(text(v));
  if (!bytes) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(inflate(bytes));
  } catch {
    return '';
  }
}

/**
 * Kusto's compressed text is deflate's stored (level 0) form: its documented outputs are byte for byte what
 * zlib writes at level 0 (and, for gzip, a header with XFL 0 and OS 255 as .NET writes).
 */
function gzipBase64(v: Value): string {
  const out = zlib().gzipSync(Buffer.from(text(v), 'utf8'), { level: 0 });
  out[8] = 0;
  out[9] = 0xff;
  return out.toString('base64');
}

/**
 * translate(searchList, replacementList, source): each character of source found in searchList becomes the
 * replacementList character at the same position, or its last character where replacementList is shorter;
 * an empty replacementList removes them (the reference's three examples).
 */
function translate(search: string, replacement: string, source: string): string {
  const from = [...search];
  const to = [...replacement];
  let out = '';
  for (const ch of source) {
    const i = from.indexOf(ch);
    out += i < 0 ? ch : to.length ? to[Math.min(i, to.length - 1)]! : '';
  }
  return out;
}

export const TEXT_EXTRA_FUNCTIONS: ScalarFunction[] = [
  fn('translate', 3, 3, ([a, b, s]) => (typeof s === 'string' ? translate(text(a ?? null), text(b ?? null), s) : null)),
  // a JavaScript string is UTF-16: it fails to encode as UTF-8 only where it holds a lone surrogate
  fn('isutf8', 1, 1, ([s]) => (typeof s === 'string' ? !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s) : null)),
  // repeat(value, count): count copies; 0 gives [], a negative count null
  fn('repeat', 2, 2, ([v, n], types) => {
    const count = typeof n === 'bigint' ? Number(n) : n;
    if (typeof count !== 'number' || count < 0) return null;
    const item = v === null ? null : valueToDynamic(v, types[0]!);
    return Array.from({ length: Math.trunc(count) }, () => item);
  }),
  fn('replace_strings', 3, 3, ([s, l, r]) => replaceStrings(text(s), l, r)),
  fn('regex_quote', 1, 1, ([s]) => text(s).replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')),
  fn('indexof_regex', 2, 5, (args) => indexofRegex(args)),
  fn('has_any_index', 2, 2, ([s, lookups]) => {
    if (!Array.isArray(lookups)) return -1;
    const source = text(s);
    return lookups.findIndex((x) => x !== null && has(source, text(x as Value)));
  }),
  fn('extract_json', 2, 3, ([path, source], _types, _ctx, resultType) => extractJson(path, source, resultType)),
  fn('format_bytes', 1, 3, ([size, precision, units]) => formatBytes(size, precision ?? null, units ?? null)),
  fn('jaccard_index', 2, 2, ([a, b]) => {
    if (!Array.isArray(a) || !Array.isArray(b)) return null;
    const x = new Set(a.map((v) => valueKey(v as Value)));
    const y = new Set(b.map((v) => valueKey(v as Value)));
    let common = 0;
    for (const k of x) if (y.has(k)) common++;
    const union = x.size + y.size - common;
    return union ? common / union : null;
  }),
  fn('punycode_from_string', 1, 1, ([s]) => punycodeEncode(text(s)) ?? ''),
  fn('punycode_to_string', 1, 1, ([s]) => punycodeDecode(text(s)) ?? ''),
  fn('punycode_domain_to_string', 1, 1, ([s]) => domainToAscii(text(s)) ?? ''),
  fn('punycode_domain_from_string', 1, 1, ([s]) => domainFromAscii(text(s)) ?? ''),
  fn('gzip_compress_to_base64_string', 1, 1, ([s]) => gzipBase64(s)),
  fn('gzip_decompress_from_base64_string', 1, 1, ([s]) => decompressed(s, (b) => zlib().gunzipSync(b))),
  fn('zlib_compress_to_base64_string', 1, 1, ([s]) => zlib().deflateSync(Buffer.from(text(s), 'utf8'), { level: 0 }).toString('base64')),
  fn('zlib_decompress_from_base64_string', 1, 1, ([s]) => decompressed(s, (b) => zlib().inflateSync(b))),
];
