/**
 * The value at a path inside JSON text (`parse_json(X).a.b[0]`), read without building the rest of the
 * document: one pass over the text checks that it is JSON exactly as JSON.parse would (so invalid text
 * still gives what `parse_json` gives, the text itself, whose members are all null) and notes where the
 * path's value lies; only that slice is then turned into a value. Hunting queries read one or two fields of
 * long JSON AdditionalFields per row: building every object, string and array of the document, then
 * dropping all but one, was most of their time and garbage.
 *
 * It answers exactly what walking the parsed value would (`member`/`indexInto` below, the general path):
 * a key matches only an object's own key (the last of duplicate keys, as JSON.parse keeps), an index only
 * an array's element, anything else null; JSON nested deeper than MAX_NESTING is text, so null. Text the
 * general reader treats specially is left to it (`undefined`): a run of 16 digits (big integers, read by
 * lossless-json) and negative indexes. test/engine/json-path.test.ts compares it with the general path.
 */
import { MAX_NESTING } from '../../common/nesting.js';
import type { DynamicValue, Value } from './value.js';

/** One step of a path: an object key or an array index (a negative one counts from the end: general path). */
export type JsonStep = string | number;

/** `v.key` / `v["key"]`: an object's own property, else null (an inherited name such as `constructor` is not a member). */
export function member(v: Value, key: string): Value {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  if (!Object.prototype.hasOwnProperty.call(v, key)) return null;
  const x = (v as Record<string, DynamicValue>)[key];
  return x === undefined ? null : x;
}

/** `v[i]`: an array's element (a negative index counts from the end) or an object's own property, else null. */
export function indexInto(v: Value, i: Value): Value {
  if (v === null || typeof v !== 'object') return null;
  if (Array.isArray(v)) {
    if (typeof i !== 'number') return null;
    const k = i < 0 ? v.length + i : i;
    const x = v[k];
    return x === undefined ? null : x;
  }
  if (typeof i !== 'string') return null;
  return member(v, i);
}

/** The value at `path` inside `v`, step by step as `member`/`indexInto` read it (the general path). */
export function walkPath(v: Value, path: readonly JsonStep[]): Value {
  for (const step of path) v = typeof step === 'string' ? member(v, step) : indexInto(v, step);
  return v;
}

/** Control characters and backslashes: text without them takes the quick string hops. */
export const JSON_SPECIAL = /[\x00-\x1f\\]/;
/** A run of 16 digits: the general reader reads text holding one exactly (values/json.ts, lossless-json). */
export const LONG_DIGIT_RUN = /\d{16}/;
// (module-level copies: under tsx every read of an exported binding is a getter call)
const SPECIAL = JSON_SPECIAL;
const LONG_DIGITS = LONG_DIGIT_RUN;

const enum C {
  Quote = 34, Backslash = 92, Comma = 44, Colon = 58, Minus = 45, Plus = 43, Dot = 46,
  Zero = 48, Nine = 57, LowerE = 101, UpperE = 69,
  OpenBrace = 123, CloseBrace = 125, OpenBracket = 91, CloseBracket = 93,
  Space = 32, Tab = 9, Newline = 10, Return = 13,
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function skipSpace(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c !== C.Space && c !== C.Newline && c !== C.Return && c !== C.Tab) return i;
    i++;
  }
}

/** The index after the string opening at `i` (a quote), or -1 when it is not a valid JSON string. */
function skipString(t: string, i: number, simple: boolean): number {
  if (simple) {
    const j = t.indexOf('"', i + 1);
    return j < 0 ? -1 : j + 1;
  }
  for (let k = i + 1; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c === C.Quote) return k + 1;
    if (c < 0x20) return -1;
    if (c === C.Backslash) {
      const d = t.charCodeAt(k + 1);
      if (d === 117 /* u */) {
        if (!(isHex(t.charCodeAt(k + 2)) && isHex(t.charCodeAt(k + 3)) && isHex(t.charCodeAt(k + 4)) && isHex(t.charCodeAt(k + 5)))) return -1;
        k += 5;
      } else if (d === C.Quote || d === C.Backslash || d === 47 /* / */ || d === 98 || d === 102 || d === 110 || d === 114 || d === 116) k++;
      else return -1;
    }
  }
  return -1;
}

/** The index after the number starting at `i`, or -1 when it is not a JSON number. */
function skipNumber(t: string, i: number): number {
  if (t.charCodeAt(i) === C.Minus) i++;
  const first = t.charCodeAt(i);
  if (first === C.Zero) i++;
  else if (first > C.Zero && first <= C.Nine) while (isDigit(t.charCodeAt(++i)));
  else return -1;
  if (t.charCodeAt(i) === C.Dot) {
    if (!isDigit(t.charCodeAt(++i))) return -1;
    while (isDigit(t.charCodeAt(++i)));
  }
  const e = t.charCodeAt(i);
  if (e === C.LowerE || e === C.UpperE) {
    const s = t.charCodeAt(++i);
    if (s === C.Plus || s === C.Minus) i++;
    if (!isDigit(t.charCodeAt(i))) return -1;
    while (isDigit(t.charCodeAt(++i)));
  }
  return i;
}

/** The text of the key string at [start, end) (quotes included), unescaped. */
function keyText(t: string, start: number, end: number): string {
  const slash = t.indexOf('\\', start);
  return slash < 0 || slash >= end ? t.slice(start + 1, end - 1) : (JSON.parse(t.slice(start, end)) as string);
}

/** The value of the JSON text at [start, end) (known valid). */
function valueOf(t: string, start: number, end: number, simple: boolean): DynamicValue {
  if (t.charCodeAt(start) === C.Quote && simple) return t.slice(start + 1, end - 1);
  return JSON.parse(t.slice(start, end)) as DynamicValue;
}

/**
 * `walk(parse_json(text), path)` for a non-empty path, or undefined when the general path must answer.
 * Iterative (an explicit stack of open containers), so deep text cannot overflow the call stack.
 */
export function jsonPathValue(text: string, path: readonly JsonStep[], plain = false): DynamicValue | undefined {
  const found = jsonPathSpan(text, path, plain);
  if (found === SPAN_GENERAL) return undefined;
  return found === SPAN_NONE ? null : valueOf(text, span.start, span.end, span.simple);
}

/** jsonPathSpan's answers besides SPAN_FOUND: nothing at the path (null), or the general path must answer. */
export const SPAN_FOUND = 0;
export const SPAN_NONE = 1;
export const SPAN_GENERAL = 2;
/** Where jsonPathSpan found the value: [start, end) of the text, and whether the text is free of escapes and control characters. */
export const span = { start: 0, end: 0, simple: true };
// the open containers while scanning (1 = object, 2 = array) and each array's index of the element being read
const kinds = new Uint8Array(MAX_NESTING + 1);
// (a module-level copy: under tsx every read of an imported binding is a getter call)
const MAX_DEPTH = MAX_NESTING;
const counts = new Int32Array(MAX_NESTING + 1);

/**
 * Where the value at `path` lies in JSON `text` (in `span`): SPAN_FOUND, SPAN_NONE when walking the
 * parsed text would give null, SPAN_GENERAL when the general path must answer. `plain`: the caller knows
 * the text holds no backslash, control character or 16-digit run (a plain dictionary's, storage/text-facts.ts),
 * so the two tests for them are skipped.
 */
export function jsonPathSpan(text: string, path: readonly JsonStep[], plain = false): number {
  for (const step of path) if (typeof step === 'number' && !(Number.isInteger(step) && step >= 0)) return SPAN_GENERAL;
  // (two plain scans: one alternation of both is several times slower)
  let simple = true;
  if (!plain) {
    if (SPECIAL.test(text)) simple = false;
    if (LONG_DIGITS.test(text)) return SPAN_GENERAL;
  }
  if (simple && path.length === 1 && typeof path[0] === 'string') return memberSpan(text, path[0]);
  const t = text;
  const n = t.length;
  let depth = 0; // open containers, in kinds/counts
  // the open containers at depths 1..onPath were each entered as the path's step at their depth
  let onPath = 0;
  // where the path's value lies (foundStart < 0: nothing there); a container value is noted when it closes
  let foundStart = -1;
  let foundEnd = -1;
  let targetOpen = -1;
  let targetDepth = 0;
  // whether the key just read is the path's step (the value after it is on the path)
  let keyMatches = false;
  let i = skipSpace(t, 0);
  // (no closures in here: under tsx every closure made per call is also named, per call)
  for (;;) {
    // a value at i: is it the path's step at its depth, under containers all on the path?
    const d = depth;
    const match = d === 0 || (onPath === d && (kinds[d - 1] === 1 ? keyMatches : path[d - 1] === counts[d - 1]));
    const atEnd = match && d === path.length;
    const c = t.charCodeAt(i);
    let closed = false;
    if (c === C.OpenBrace || c === C.OpenBracket) {
      if (d >= MAX_DEPTH) return SPAN_NONE; // nested past the limit: parse_json keeps the text, whose members are null
      if (atEnd) {
        targetOpen = i;
        targetDepth = d + 1;
      } else if (match) {
        onPath = d + 1;
        foundStart = -1; // a later duplicate key replaces what an earlier one held
      }
      kinds[depth] = c === C.OpenBrace ? 1 : 2;
      counts[depth++] = 0;
      i = skipSpace(t, i + 1);
      if (t.charCodeAt(i) === (c === C.OpenBrace ? C.CloseBrace : C.CloseBracket)) {
        i++;
        closed = true;
      } else {
        if (c === C.OpenBrace) {
          const r = readKey(t, i, onPath === d + 1 && d < path.length ? path[d] : undefined, simple);
          if (r < 0) return SPAN_NONE;
          keyMatches = r > n;
          i = r > n ? r - n - 1 : r;
        }
        continue;
      }
    } else {
      let end: number;
      if (c === C.Quote) end = skipString(t, i, simple);
      else if (c === C.Minus || isDigit(c)) end = skipNumber(t, i);
      else if (t.startsWith('true', i)) end = i + 4;
      else if (t.startsWith('false', i)) end = i + 5;
      else if (t.startsWith('null', i)) end = i + 4;
      else end = -1;
      if (end < 0) return SPAN_NONE;
      if (atEnd) {
        foundStart = i;
        foundEnd = end;
      } else if (match) foundStart = -1; // the path goes on through a scalar: nothing there
      i = end;
    }
    // after a value: close containers until the next member or element
    for (;;) {
      if (closed) {
        depth--;
        if (onPath > depth) onPath = depth;
        if (targetOpen >= 0 && depth === targetDepth - 1) {
          foundStart = targetOpen;
          foundEnd = i;
          targetOpen = -1;
        }
        closed = false;
      }
      i = skipSpace(t, i);
      if (depth === 0) {
        if (i !== n || foundStart < 0) return SPAN_NONE;
        span.start = foundStart;
        span.end = foundEnd;
        span.simple = simple;
        return SPAN_FOUND;
      }
      const ch = t.charCodeAt(i);
      const kind = kinds[depth - 1]!;
      if (ch === C.Comma) {
        i = skipSpace(t, i + 1);
        if (kind === 1) {
          const r = readKey(t, i, onPath === depth && depth <= path.length ? path[depth - 1] : undefined, simple);
          if (r < 0) return SPAN_NONE;
          keyMatches = r > n;
          i = r > n ? r - n - 1 : r;
        } else counts[depth - 1]!++;
        break;
      }
      if (ch !== (kind === 1 ? C.CloseBrace : C.CloseBracket)) return SPAN_NONE;
      i++;
      closed = true;
    }
  }
}

/**
 * jsonPathSpan of a one-key path (`AF.Tags`, `.user_agent`: what hunts read) in simple text (no escapes, no
 * control characters, no 16-digit run): the top-level object's members in one loop, each value skipped
 * by skipValue. About half the general scanner's time: no per-value bookkeeping of where the path goes.
 */
function memberSpan(t: string, key: string): number {
  let i = skipSpace(t, 0);
  // anything but an object (valid or not) has no members: null
  if (t.charCodeAt(i) !== C.OpenBrace) return SPAN_NONE;
  let foundStart = -1;
  let foundEnd = -1;
  i = skipSpace(t, i + 1);
  if (t.charCodeAt(i) !== C.CloseBrace) {
    for (;;) {
      if (t.charCodeAt(i) !== C.Quote) return SPAN_NONE;
      const close = t.indexOf('"', i + 1);
      if (close < 0) return SPAN_NONE;
      const hit = close - i - 1 === key.length && t.startsWith(key, i + 1);
      i = skipSpace(t, close + 1);
      if (t.charCodeAt(i) !== C.Colon) return SPAN_NONE;
      i = skipSpace(t, i + 1);
      const end = skipValue(t, i);
      if (end < 0) return SPAN_NONE;
      // the last of duplicate keys is the member, as JSON.parse keeps it
      if (hit) {
        foundStart = i;
        foundEnd = end;
      }
      i = skipSpace(t, end);
      const c = t.charCodeAt(i);
      if (c === C.CloseBrace) break;
      if (c !== C.Comma) return SPAN_NONE;
      i = skipSpace(t, i + 1);
    }
  }
  if (skipSpace(t, i + 1) !== t.length || foundStart < 0) return SPAN_NONE;
  span.start = foundStart;
  span.end = foundEnd;
  span.simple = true;
  return SPAN_FOUND;
}

/**
 * memberSpan for several keys at once (an extend reading `AF.a` and `AF.b`: one pass instead of one per key):
 * each key's value span in `out` (`out[at + 2k]`, `out[at + 2k + 1]`; -1 when the object has no such member), the
 * last of duplicate keys as memberSpan keeps it. SPAN_FOUND when the text is an object read whole (each key
 * then present or not), SPAN_NONE when it is not (every member null). Simple text only, as memberSpan.
 */
export function memberSpans(t: string, keys: readonly string[], out: Int32Array, at: number): number {
  for (let k = 0; k < 2 * keys.length; k++) out[at + k] = -1;
  let i = skipSpace(t, 0);
  if (t.charCodeAt(i) !== C.OpenBrace) return SPAN_NONE;
  i = skipSpace(t, i + 1);
  if (t.charCodeAt(i) !== C.CloseBrace) {
    for (;;) {
      if (t.charCodeAt(i) !== C.Quote) return SPAN_NONE;
      const close = t.indexOf('"', i + 1);
      if (close < 0) return SPAN_NONE;
      const len = close - i - 1;
      let hit = -1;
      for (let k = 0; k < keys.length; k++) {
        if (keys[k]!.length === len && t.startsWith(keys[k]!, i + 1)) {
          hit = k;
          break;
        }
      }
      i = skipSpace(t, close + 1);
      if (t.charCodeAt(i) !== C.Colon) return SPAN_NONE;
      i = skipSpace(t, i + 1);
      const end = skipValue(t, i);
      if (end < 0) return SPAN_NONE;
      if (hit >= 0) {
        out[at + 2 * hit] = i;
        out[at + 2 * hit + 1] = end;
      }
      i = skipSpace(t, end);
      const c = t.charCodeAt(i);
      if (c === C.CloseBrace) break;
      if (c !== C.Comma) return SPAN_NONE;
      i = skipSpace(t, i + 1);
    }
  }
  return skipSpace(t, i + 1) === t.length ? SPAN_FOUND : SPAN_NONE;
}

/** The value of the JSON at [start, end) of simple text known valid (a string sliced, anything else parsed). */
export function simpleSpanValue(t: string, start: number, end: number): DynamicValue {
  return valueOf(t, start, end, true);
}

/**
 * The index after the JSON value at `i` of simple text, a member of the top-level object (so a container
 * in it opened inside d others is refused past MAX_NESTING, as jsonPathSpan refuses it); -1 when the text
 * is not JSON there or nests too deep (either way parse_json's members are null).
 */
function skipValue(t: string, i: number): number {
  let d = 1; // containers open around the value at i (the top-level object included)
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === C.Quote) {
      const close = t.indexOf('"', i + 1);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === C.OpenBrace || c === C.OpenBracket) {
      if (d >= MAX_DEPTH) return -1;
      kinds[d++] = c === C.OpenBrace ? 1 : 2;
      i = skipSpace(t, i + 1);
      if (t.charCodeAt(i) === (c === C.OpenBrace ? C.CloseBrace : C.CloseBracket)) {
        i++;
        d--;
      } else {
        if (c === C.OpenBrace && (i = skipKey(t, i)) < 0) return -1;
        continue;
      }
    } else if (c === C.Minus || isDigit(c)) {
      if ((i = skipNumber(t, i)) < 0) return -1;
    } else if (c === 116 /* t */ && t.startsWith('true', i)) i += 4;
    else if (c === 102 /* f */ && t.startsWith('false', i)) i += 5;
    else if (c === 110 /* n */ && t.startsWith('null', i)) i += 4;
    else return -1;
    // after a value: close containers until the next member or element
    for (;;) {
      if (d === 1) return i;
      i = skipSpace(t, i);
      const ch = t.charCodeAt(i);
      const object = kinds[d - 1] === 1;
      if (ch === C.Comma) {
        i = skipSpace(t, i + 1);
        if (object && (i = skipKey(t, i)) < 0) return -1;
        break;
      }
      if (ch !== (object ? C.CloseBrace : C.CloseBracket)) return -1;
      i++;
      d--;
    }
  }
}

/** Skips `"key" :` and the space after it in simple text: the index of the value, or -1. */
function skipKey(t: string, i: number): number {
  if (t.charCodeAt(i) !== C.Quote) return -1;
  const close = t.indexOf('"', i + 1);
  if (close < 0) return -1;
  i = skipSpace(t, close + 1);
  return t.charCodeAt(i) === C.Colon ? skipSpace(t, i + 1) : -1;
}

/**
 * Reads `"key" :` at i and skips the space after the colon. Returns the index of the value, plus
 * `t.length + 1` when the key equals `step`; -1 when the text is not JSON there.
 */
function readKey(t: string, i: number, step: JsonStep | undefined, simple: boolean): number {
  if (t.charCodeAt(i) !== C.Quote) return -1;
  const end = skipString(t, i, simple);
  if (end < 0) return -1;
  let match = false;
  if (typeof step === 'string') {
    // an unescaped key's text is exactly as long as the step: compare in place, no slice
    if (simple) match = end - i - 2 === step.length && t.startsWith(step, i + 1);
    else match = keyText(t, i, end) === step;
  }
  const colon = skipSpace(t, end);
  if (t.charCodeAt(colon) !== C.Colon) return -1;
  const v = skipSpace(t, colon + 1);
  return match ? v + t.length + 1 : v;
}
