/**
 * Strict comparison of one result cell: the engine's typed value against the documentation's display
 * string, read under the column's type. Nothing of the engine's is re-read as text (a string "07" is not
 * the number 7, a long 1 is not `true`), integers compare exactly, reals to the digits the page shows,
 * an empty cell is "" in a string column and null elsewhere.
 */
import { parse as losslessParse } from 'lossless-json';
import { parseDatetimeText, parseTimespanText } from '../src/kql/syntax/index.js';
import type { ScalarTypeName, Value } from '../src/engine/values/value.js';

export interface CellOptions {
  /** the column holds an estimate (dcount, percentile, ...): numbers within 5% */
  approximate?: boolean;
  /** element order inside arrays is unspecified (make_set, make_list, ...): arrays compare as multisets at any depth */
  unordered?: boolean;
}

/** 'elided' when the page shortened the value with `...` and what it shows agrees. */
export type CellVerdict = boolean | 'elided';

/**
 * Page markup that is not part of a value: `<br>` line breaks, `&nbsp;`, autolinks `<https://...>`,
 * Markdown links `[url](url)` and the infinity sign.
 */
export function unmarkup(cell: string): string {
  return cell
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/^<(https?:\/\/[^<>\s]*)>$/, '$1')
    .replace(/^\[(https?:\/\/[^\]\s]*)\]\(\1\)$/, '$1')
    .replace(/^(-?)∞$/, '$1Infinity');
}

const NULL_TEXT = /^(|null|\(null\))$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const GROUPED_INTEGER = /^[+-]?\d{1,3}(,\d{3})+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ELLIPSIS = /\.{3}|…/;
/** stands for the elements a page left out of an array */
const ELIDED = '\u0000elided';

/** The documented text of a whole number: exact, with the page's thousands separators allowed. */
function integerOfText(s: string): bigint | undefined {
  if (INTEGER_TEXT.test(s)) return BigInt(s.replace(/^\+/, ''));
  if (GROUPED_INTEGER.test(s)) return BigInt(s.replace(/[,+]/g, ''));
  return undefined;
}

/** Digits after the decimal point that a decimal text shows (1.25e-3 shows 5). */
function shownDecimals(s: string): number {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s)!;
  return (m[2]?.length ?? 0) - Number(m[3] ?? 0);
}

/**
 * A real against its documented text: equal to the digits shown (the page's value rounded or cut at its
 * last digit: within one unit of that digit), NaN and the infinities by name.
 */
export function sameReal(x: number, text: string, approximate = false): boolean {
  const s = text.replace(/,(?=\d{3}\b)/g, '');
  if (/^NaN$/i.test(s)) return Number.isNaN(x);
  if (/^[+]?(Infinity|inf)$/i.test(s)) return x === Infinity;
  if (/^-(Infinity|inf)$/i.test(s)) return x === -Infinity;
  if (!DECIMAL_TEXT.test(s) || !Number.isFinite(x)) return false;
  const doc = Number(s);
  if (approximate) return Math.abs(x - doc) <= 0.05 * Math.max(1, Math.abs(doc), Math.abs(x));
  if (x === doc) return true;
  const diff = Math.abs(x - doc);
  // the page's last digit may be rounded or cut: within one unit of it, and never finer than the 15th
  // significant digit (DBL_DIG: the digits a double carries; the 16th and 17th that .NET's round-trip form
  // prints are the binary value's, where two correct libraries routinely differ by an ulp or two)
  const unit = Math.max(10 ** -shownDecimals(s), doc === 0 ? 0 : 10 ** (Math.floor(Math.log10(Math.abs(doc))) - 14));
  // a whole number on the page is that number (Kusto shows a real's digits, it does not round to units)
  if (!/[.eE]/.test(s)) return diff <= Math.abs(doc) * 1e-14;
  return diff < unit * (1 + 1e-9);
}

function sameInteger(v: number | bigint, text: string, approximate: boolean): boolean {
  const doc = integerOfText(text.trim());
  if (doc === undefined) return false;
  if (approximate) return Math.abs(Number(v) - Number(doc)) <= 0.05 * Math.max(1, Math.abs(Number(doc)));
  return (typeof v === 'bigint' ? v : Number.isInteger(v) ? BigInt(v) : undefined) === doc;
}

/** Datetime text as the pages write it (`2018-07-01 00:00:00.0000000`, `2018-07-01T00:00:00Z`, ...). */
export function docTicks(text: string, type: 'datetime' | 'timespan'): bigint | undefined {
  const s = text.trim();
  if (type === 'timespan') return parseTimespanText(s);
  return parseDatetimeText(s.replace(/ (\d{1,2}:\d{2})/, 'T$1').replace(/(\d)$/, '$1Z'));
}

/** A documented JSON number keeps its text, so its digits can be compared. */
class DocNumber {
  constructor(readonly text: string) {}
}

/** The documentation's JSON (numbers kept as their text); some pages quote with ' or leave strings bare. */
export function docJson(text: string): unknown {
  const tryParse = (t: string) => {
    try {
      return { v: losslessParse(t, null, (s) => new DocNumber(s)) as unknown };
    } catch {
      return undefined;
    }
  };
  const plain = tryParse(text);
  if (plain) return plain.v;
  if (/^[[{]/.test(text) && !text.includes('"')) {
    const single = tryParse(text.replace(/'/g, '"'));
    if (single) return single.v;
  }
  return undefined;
}

function sameJson(x: unknown, doc: unknown, o: CellOptions): boolean {
  if (doc instanceof DocNumber) {
    if (typeof x === 'bigint') return INTEGER_TEXT.test(doc.text) && BigInt(doc.text) === x;
    if (typeof x !== 'number') return false;
    if (INTEGER_TEXT.test(doc.text) && !o.approximate) return Number.isInteger(x) && BigInt(x) === BigInt(doc.text);
    return sameReal(x, doc.text, o.approximate);
  }
  if (Array.isArray(doc)) {
    // `[ ... ]`: the page left the array's elements out
    if (doc.length === 1 && doc[0] === ELIDED) return Array.isArray(x);
    if (!Array.isArray(x) || x.length !== doc.length) return false;
    if (x.every((e, i) => sameJson(e, doc[i], o))) return true;
    if (!o.unordered) return false;
    // a multiset: each documented element matched by a distinct engine element
    const free = x.map(() => true);
    return doc.every((d) => {
      const j = x.findIndex((e, i) => free[i] && sameJson(e, d, o));
      if (j < 0) return false;
      free[j] = false;
      return true;
    });
  }
  if (doc !== null && typeof doc === 'object') {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
    const kx = Object.keys(x).sort();
    const kd = Object.keys(doc).sort();
    return kx.length === kd.length && kx.every((k, i) => k === kd[i] && sameJson((x as Record<string, unknown>)[k], (doc as Record<string, unknown>)[k], o));
  }
  return x === doc;
}

/** A dynamic value against its documented text. */
function sameDynamic(v: Value, text: string, o: CellOptions): CellVerdict {
  const s = text.trim();
  if (v === null) return NULL_TEXT.test(s);
  // a dynamic string shows as its text, without quotes
  if (typeof v === 'string' && sameText(v, s)) return true;
  const doc = docJson(s);
  if (doc !== undefined) return sameJson(v, doc, o);
  if (ELLIPSIS.test(s)) {
    const shown = docJson(s.replace(/\[\s*((\.{3}|…)\s*)+\]/g, '["\\u0000elided"]'));
    if (shown !== undefined) return sameJson(v, shown, o) ? 'elided' : false;
    return elidedMatches(v, s, o) ? 'elided' : false;
  }
  // some pages list strings in an array without quotes: [yes, no]
  const bare = /^\[([^[\]{}"']*)\]$/.exec(s);
  if (bare && Array.isArray(v)) {
    const items = bare[1]!.split(',').map((x) => x.trim());
    return v.length === items.length && v.every((e, i) => (typeof e === 'string' ? e === items[i] : sameDynamic(e as Value, items[i]!, o) === true));
  }
  if (typeof v === 'number') return sameReal(v, s, o.approximate);
  if (typeof v === 'bigint') return sameInteger(v, s, false);
  if (typeof v === 'boolean') return s.toLowerCase() === String(v);
  return false;
}

/** `[a, b, ..., z]`: the elements shown before and after the dots are the engine's first and last ones. */
function elidedMatches(v: Value, s: string, o: CellOptions): boolean {
  const m = /^\[(.*?),\s*(?:\.{3,}|…)\s*,?(.*)\]$/s.exec(s);
  if (!m || !Array.isArray(v)) return false;
  const head = docJson(`[${m[1]}]`);
  const tail = m[2]!.trim() ? docJson(`[${m[2]}]`) : [];
  if (!Array.isArray(head) || !Array.isArray(tail)) return false;
  return v.length > head.length + tail.length && sameJson(v.slice(0, head.length), head, o) && sameJson(v.slice(v.length - tail.length), tail, o);
}

/**
 * Text as a page's Markdown table can show it: no leading or trailing blanks, and no line breaks (a
 * multi-line value appears with its whitespace runs collapsed).
 */
function sameText(v: string, text: string): boolean {
  if (v.trim() === text.trim()) return true;
  const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
  return (v.includes('\n') || text.includes('\n')) && collapse(v) === collapse(text);
}

/** Does the engine's cell equal the documented cell, read under the column's type? */
export function sameCell(v: Value, type: ScalarTypeName, documented: string, o: CellOptions = {}): CellVerdict {
  const text = unmarkup(documented);
  const s = text.trim();
  if (type === 'string') return typeof v === 'string' && (sameText(v, text) || (ELLIPSIS.test(s) && elidedText(v, s)));
  if (type === 'dynamic') return sameDynamic(v, text, o);
  if (v === null) return NULL_TEXT.test(s);
  switch (type) {
    case 'bool':
      // Kusto keeps a bool as an 8-bit integer and some clients print it as 1/0: under the bool type that reads one way
      return typeof v === 'boolean' && (s.toLowerCase() === String(v) || s === (v ? '1' : '0'));
    case 'int':
    case 'long':
      return (typeof v === 'number' || typeof v === 'bigint') && sameInteger(v, s, Boolean(o.approximate));
    case 'real':
    case 'decimal':
      return typeof v === 'number' && sameReal(v, s, o.approximate);
    case 'datetime':
    case 'timespan':
      return typeof v === 'bigint' && docTicks(s, type) === v;
    case 'guid':
      return typeof v === 'string' && v === s;
  }
}

/** A string the page cut short with `...`: the shown start (and end) are the value's. */
function elidedText(v: string, s: string): 'elided' | false {
  const [head, tail] = s.split(ELLIPSIS, 2).map((x) => x.trim());
  return v.startsWith(head!) && v.endsWith(tail ?? '') ? 'elided' : false;
}

/** Can the documented cell be read as a value of the type at all (the check for nondeterministic cells)? */
export function readableAs(type: ScalarTypeName, documented: string): boolean {
  const s = unmarkup(documented).trim();
  if (type === 'string') return true;
  if (NULL_TEXT.test(s)) return true;
  switch (type) {
    case 'bool':
      return /^(true|false|1|0)$/i.test(s);
    case 'int':
    case 'long':
      return integerOfText(s) !== undefined;
    case 'real':
    case 'decimal':
      return DECIMAL_TEXT.test(s.replace(/,(?=\d{3}\b)/g, '')) || /^-?(NaN|Infinity)$/i.test(s);
    case 'datetime':
    case 'timespan':
      return docTicks(s, type) !== undefined;
    case 'guid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
    case 'dynamic':
      return docJson(s) !== undefined;
  }
}
