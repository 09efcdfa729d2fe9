/**
 * Literals: strings (adjacent ones concatenate), numbers, timespans (`1d`), booleans, and typed literals
 * written like calls: `datetime(...)`, `timespan(...)`/`time(...)`, `guid(...)`, `dynamic(...)`,
 * `long(null)`, `real(nan)`, `bool(true)`, `decimal(1.5)`. The text inside datetime/timespan/guid parens is
 * raw (not tokens), so it is read straight from the source.
 */
import { markIntegerArray } from '../../common/integer-arrays.js';
import { MAX_NESTING } from '../../common/nesting.js';
import type { DynamicValue, Expr, Literal, ScalarTypeName } from './ast.js';
import { datetimeTicksToIso, parseDatetimeText, parseGuidText, parseTimeOfDayText, parseTimespanText, parseTimespanUnitLiteral, timespanTicksToText } from './literals.js';
import { Parser } from './parser.js';
import { SYNTAX } from './syntax-codes.js';
import { normaliseTypeName } from './type-names.js';
import { setOwn } from '../../common/own-keys.js';

const TYPED_LITERAL_WORDS = new Set([
  'datetime', 'date', 'timespan', 'time', 'guid', 'uuid', 'uniqueid', 'dynamic', 'bool', 'boolean',
  'int', 'int32', 'long', 'int64', 'real', 'double', 'decimal', 'string',
]);

export function isTypedLiteralStart(p: Parser): boolean {
  const t = p.tok;
  if (t.kind !== 'ident') return false;
  if (t.text === 'true' || t.text === 'false' || t.text === 'True' || t.text === 'False' || t.text === 'TRUE' || t.text === 'FALSE') return true;
  return TYPED_LITERAL_WORDS.has(t.text) && p.isPunct('(', 1);
}

function lit(type: ScalarTypeName, value: Literal['value'], text: string, start: number, end: number, extra?: Partial<Literal>): Literal {
  return { kind: 'Literal', type, value, text, span: { start, end }, ...extra };
}

export function parseLiteralOrTypedCall(p: Parser): Expr {
  const t = p.tok;
  if (t.kind === 'string') {
    let value = '';
    let obfuscated = false;
    const start = t.span.start;
    while (p.tok.kind === 'string') {
      const s = p.advance();
      value += s.value ?? '';
      obfuscated ||= Boolean(s.obfuscated);
    }
    const placeholder = /\{\{\s*\w+\s*\}\}|%%\w+%%/.exec(value);
    if (placeholder) p.warning(SYNTAX.placeholder, `template placeholder '${placeholder[0]}' must be replaced by a real value before the query runs`, { start, end: p.lastEnd });
    return lit('string', value, p.text.slice(start, p.lastEnd), start, p.lastEnd, obfuscated ? { obfuscated } : undefined);
  }
  if (t.kind === 'number') {
    p.advance();
    if (/^0[xX]/.test(t.text)) {
      if (t.text.length === 2) {
        p.error(SYNTAX.badLiteral, `'${t.text}' is not a valid hexadecimal number`, t.span);
        return lit('long', null, t.text, t.span.start, t.span.end);
      }
      return lit('long', exactInteger(BigInt(t.text)), t.text, t.span.start, t.span.end);
    }
    const isReal = /[.eE]/.test(t.text);
    return lit(isReal ? 'real' : 'long', isReal ? Number(t.text) : exactInteger(BigInt(t.text)), t.text, t.span.start, t.span.end);
  }
  if (t.kind === 'timespan') {
    p.advance();
    const ticks = parseTimespanUnitLiteral(t.text);
    if (ticks === undefined) p.error(SYNTAX.badLiteral, `'${t.text}' is not a number or a timespan (units: d, h, m, s, ms, microsecond, tick)`, t.span);
    return lit('timespan', ticks ?? null, t.text, t.span.start, t.span.end);
  }
  if (t.kind === 'ident' && /^(true|false)$/i.test(t.text)) {
    p.advance();
    return lit('bool', t.text.toLowerCase() === 'true', t.text, t.span.start, t.span.end);
  }
  return parseTypedLiteral(p);
}

/**
 * An integer literal's value, exactly: a number while it is a safe integer, a bigint beyond ±2^53 (up to
 * int64; a literal past int64 keeps the nearest float, as before).
 */
function exactInteger(b: bigint): number | bigint {
  if (b >= -9007199254740991n && b <= 9007199254740991n) return Number(b);
  return b >= -(2n ** 63n) && b < 2n ** 63n ? b : Number(b);
}

/** Consumes `(`, returns the raw text up to the matching `)` and moves the cursor past it. */
function rawParenText(p: Parser): { text: string; start: number; end: number } | undefined {
  if (!p.expectPunct('(')) return undefined;
  const open = p.lastEnd;
  let depth = 0;
  let close = -1;
  for (let i = open; i < p.text.length; i++) {
    const c = p.text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    } else if (c === '\n' || c === '|') break;
  }
  if (close < 0) {
    p.errorHere(SYNTAX.expected, "expected ')' to close the literal");
    return undefined;
  }
  while (!p.atEnd() && p.tok.span.start < close) p.pos++;
  p.expectPunct(')');
  return { text: p.text.slice(open, close), start: open, end: close };
}

/**
 * `datetime(8:00:00 AM)`: a time without a date is that time today (Kusto's datetime reference), so it
 * stands for `startofday(now()) + <time>`, the day being the query's now() (a hunt's reference time).
 * Every node carries the literal's span. Inside `dynamic(...)`, where a value is needed while parsing, it
 * stays an error.
 */
function todayAt(ticks: bigint, text: string, start: number, end: number): Expr {
  const span = { start, end };
  const call = (name: string, args: Expr[]): Expr => ({ kind: 'CallExpr', name: { kind: 'Identifier', name, span }, args, span });
  return {
    kind: 'BinaryExpr',
    op: '+',
    opSpan: span,
    left: call('startofday', [call('now', [])]),
    right: lit('timespan', ticks, text, start, end),
    span,
  };
}

function parseTypedLiteral(p: Parser, inDynamic = false): Expr {
  const word = p.advance();
  const start = word.span.start;
  const type = normaliseTypeName(word.text)!;
  if (type === 'dynamic') {
    p.expectPunct('(');
    const value = parseDynamicValue(p);
    p.expectPunct(')', 'to close dynamic(...)');
    return lit('dynamic', value, p.text.slice(start, p.lastEnd), start, p.lastEnd);
  }
  const raw = rawParenText(p);
  const end = p.lastEnd;
  const text = p.text.slice(start, end);
  if (!raw) return lit(type, null, text, start, end);
  const inner = raw.text.trim();
  if (inner === 'null') return lit(type, null, text, start, end);
  const bad = (what: string) => {
    p.error(SYNTAX.badLiteral, `'${inner}' is not a valid ${what} literal`, { start: raw.start, end: raw.end });
    return lit(type, null, text, start, end);
  };
  switch (type) {
    case 'datetime': {
      // a literal's date may be written with blanks around its dashes (`datetime(2017 - 08 - 01)`, as in
      // the reference's sliding_window_counts example); the text functions (todatetime) stay strict
      const v = parseDatetimeText(inner) ?? parseDatetimeText(inner.replace(/^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})\b/, '$1-$2-$3'));
      if (v !== undefined) return lit(type, v, text, start, end);
      const timeOfDay = inDynamic ? undefined : parseTimeOfDayText(inner);
      return timeOfDay === undefined ? bad('datetime') : todayAt(timeOfDay, text, start, end);
    }
    case 'timespan': {
      const v = parseTimespanText(inner);
      return v === undefined ? bad('timespan') : lit(type, v, text, start, end);
    }
    case 'guid': {
      const v = parseGuidText(inner);
      return v === undefined ? bad('guid') : lit(type, v, text, start, end);
    }
    case 'bool':
      if (/^(true|false|1|0)$/i.test(inner)) return lit(type, /^(true|1)$/i.test(inner), text, start, end);
      return bad('bool');
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const low = inner.toLowerCase();
      if (type === 'real' || type === 'decimal') {
        if (low === 'nan') return lit(type, NaN, text, start, end);
        if (low === '+inf' || low === 'inf') return lit(type, Infinity, text, start, end);
        if (low === '-inf') return lit(type, -Infinity, text, start, end);
      }
      if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(inner) || /^[+-]?0[xX][0-9a-fA-F]+$/.test(inner)) {
        if (type === 'long' && /^[+-]?(\d+|0[xX][0-9a-fA-F]+)$/.test(inner)) {
          const b = BigInt(inner.replace(/^[+-]/, ''));
          return lit(type, exactInteger(inner.startsWith('-') ? -b : b), text, start, end);
        }
        const n = /0[xX]/.test(inner) ? Number(BigInt(inner.replace(/^[+-]/, ''))) * (inner.startsWith('-') ? -1 : 1) : Number(inner);
        return lit(type, type === 'int' || type === 'long' ? Math.trunc(n) : n, text, start, end);
      }
      return bad(type);
    }
    case 'string':
      return bad('string');
  }
}

/** Does the element at the parser's position start with an integer literal (`7`, `-7`, not `7.0` or `7e1`)? */
function isIntegerText(p: Parser): boolean {
  const t = p.isPunct('-') || p.isPunct('+') ? p.peek(1) : p.tok;
  return t.kind === 'number' && /^\d+$/.test(t.text);
}

/**
 * JSON-like content of `dynamic(...)`: objects, arrays, strings, numbers, true/false/null, and nested typed
 * literals; nested at most MAX_NESTING deep (the value every later stage can walk).
 */
function parseDynamicValue(p: Parser, depth = 0): DynamicValue {
  const t = p.tok;
  if (p.isPunct(')')) return null;
  if ((p.isPunct('{') || p.isPunct('[')) && depth >= MAX_NESTING) {
    p.giveUpTooDeep(`dynamic value nested deeper than ${MAX_NESTING} levels`);
    return null;
  }
  if (p.eatPunct('{')) {
    const obj: { [k: string]: DynamicValue } = {};
    while (!p.isPunct('}') && !p.atEnd()) {
      const before = p.pos;
      const k = p.tok;
      let key = '';
      if (k.kind === 'string') key = k.value ?? '';
      else if (k.kind === 'ident' || k.kind === 'number') key = k.text;
      else {
        p.errorHere(SYNTAX.expected, `expected a property name in dynamic object${p.foundText()}`);
        break;
      }
      p.advance();
      p.expectPunct(':', 'after the property name');
      setOwn(obj, key, parseDynamicValue(p, depth + 1));
      if (!p.eatPunct(',') || p.pos === before) break;
    }
    p.expectPunct('}', 'to close the dynamic object');
    return obj;
  }
  if (p.eatPunct('[')) {
    const arr: DynamicValue[] = [];
    // the array holds integers (Kusto's longs) when it has numbers and each was written without a fraction
    let numbers = 0, integers = 0;
    while (!p.isPunct(']') && !p.atEnd()) {
      const before = p.pos;
      const integer = isIntegerText(p);
      const v = parseDynamicValue(p, depth + 1);
      if (typeof v === 'number' || typeof v === 'bigint') {
        numbers++;
        if (integer) integers++;
      }
      arr.push(v);
      if (!p.eatPunct(',') || p.pos === before) break;
    }
    p.expectPunct(']', 'to close the dynamic array');
    return numbers > 0 && integers === numbers ? markIntegerArray(arr) : arr;
  }
  if (t.kind === 'string') {
    // adjacent string literals concatenate inside dynamic too (`["a" "b"]` is ["ab"])
    let value = '';
    while (p.tok.kind === 'string') value += p.advance().value ?? '';
    return value;
  }
  if (p.isPunct('-') || p.isPunct('+')) {
    const sign = p.advance().text === '-' ? -1 : 1;
    const n = p.tok;
    if (n.kind === 'number') {
      p.advance();
      return /^\d+$/.test(n.text) ? exactInteger(BigInt(sign) * BigInt(n.text)) : sign * Number(n.text);
    }
    p.errorHere(SYNTAX.expected, `expected a number${p.foundText()}`);
    return null;
  }
  if (t.kind === 'number') {
    p.advance();
    return /^\d+$/.test(t.text) ? exactInteger(BigInt(t.text)) : Number(t.text);
  }
  if (t.kind === 'ident') {
    if (t.text === 'true' || t.text === 'false') {
      p.advance();
      return t.text === 'true';
    }
    if (t.text === 'null') {
      p.advance();
      return null;
    }
    if (isTypedLiteralStart(p)) {
      const e = parseTypedLiteral(p, true) as Literal;
      // a datetime/timespan inside dynamic is held as its text, as Kusto stores it
      if (typeof e.value === 'bigint') return e.type === 'datetime' ? datetimeTicksToIso(e.value) : timespanTicksToText(e.value);
      return e.value as DynamicValue;
    }
  }
  if (t.kind === 'timespan') {
    p.advance();
    const ticks = parseTimespanUnitLiteral(t.text);
    return ticks === undefined ? t.text : timespanTicksToText(ticks);
  }
  p.errorHere(SYNTAX.expected, `expected a dynamic value${p.foundText()}`);
  if (!p.atEnd() && !p.isPunct(')')) p.advance();
  return null;
}
