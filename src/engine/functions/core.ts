/**
 * The core scalar functions the built-in rule pack, the demo hunts and the common hunting idioms need:
 * time (now, ago, bin, startof*), conversion, strings, conditionals and dynamic access. Each line is one
 * implementation of a signature in kql/semantics/signatures; a test checks names and arity agree.
 */
import { parseDatetimeText, parseTimeOfDayText, parseTimespanText, startOfDayTicks } from '../../kql/syntax/index.js';
import { binTicks, TICKS_PER_DAY } from '../values/ticks.js';
import { valueToDynamic, valueToString } from '../values/format.js';
import { QueryError, type DynamicValue, type ScalarTypeName, type Value } from '../values/value.js';
import { binLong, longFromReal, longOf, MAX_INT, MIN_INT, negLong, parseLongText, type Long } from '../values/long.js';
import { jsonText, parseJsonValue as parseJson } from '../values/json.js';
import { regexExtract } from './regex.js';
import { textAsType } from './text-as-type.js';
import { fn, type ScalarFunction } from './types.js';
import { setOwn } from '../../common/own-keys.js';

const str = (v: Value) => (v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? jsonText(v) : String(v));
const isEmptyValue = (v: Value) => v === null || v === '' || (typeof v === 'number' && Number.isNaN(v));

function toNumber(v: Value): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    const n = Number(t);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/**
 * tolong()/toint(): integer text exactly (never through a float), reals truncated toward zero, longs as
 * they are; null when the value is not a number or lies outside int64 (toint: outside int32, checked by
 * its caller).
 */
function toLongValue(v: Value, type: ScalarTypeName): Long | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return type === 'datetime' || type === 'timespan' ? longOf(v) : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return type === 'int' || type === 'long' ? v : (longFromReal(v) ?? null);
  if (typeof v === 'string') {
    const exact = parseLongText(v);
    if (exact !== undefined) return exact;
    const n = toNumber(v);
    return n === null ? null : (longFromReal(n) ?? null);
  }
  return null;
}

/** Text that is only a time of day, as that time on now's day (UTC); null for any other text. */
function timeToday(text: string, now: bigint): Value {
  const t = parseTimeOfDayText(text);
  return t === undefined ? null : startOfDayTicks(now) + t;
}

const isInteger = (t: ScalarTypeName) => t === 'int' || t === 'long';

/**
 * bin(v, step) / floor(v, step): datetimes and timespans on ticks (a number step counts days); ints and longs
 * by an int or long step exactly (a long past 2^53 is a bigint: never read as ticks); anything else on float64.
 */
function binValue(v: Value, step: Value, vt: ScalarTypeName, st: ScalarTypeName): Value {
  if (v === null || step === null) return null;
  if (isInteger(vt)) {
    if (isInteger(st) && (typeof v === 'number' || typeof v === 'bigint') && (typeof step === 'number' || typeof step === 'bigint')) return binLong(v, step);
    const [x, s] = [Number(v), Number(step)];
    return s > 0 && Number.isFinite(x + s) ? Math.floor(x / s) * s : null;
  }
  if (typeof v === 'bigint') {
    const s = typeof step === 'bigint' ? step : BigInt(Math.round(Number(step) * Number(TICKS_PER_DAY)));
    return binTicks(v, s);
  }
  if (typeof v === 'number' && typeof step === 'number' && step > 0) return Math.floor(v / step) * step;
  return null;
}

export const CORE_FUNCTIONS: ScalarFunction[] = [
  fn('now', 0, 1, ([off], _t, ctx) => ctx.now + (typeof off === 'bigint' ? off : 0n)),
  fn('ago', 1, 1, ([span], _t, ctx) => (typeof span === 'bigint' ? ctx.now - span : null)),
  fn('bin', 2, 2, ([v, step], types) => binValue(v!, step!, types[0]!, types[1]!)),
  // around(v, center, delta): center - delta <= v <= center + delta
  fn('around', 3, 3, ([v, c, d]) => {
    if (v === null || c === null || d === null) return null;
    if (typeof v === 'bigint' && typeof c === 'bigint' && typeof d === 'bigint') return v >= c - d && v <= c + d;
    const [x, y, z] = [Number(v), Number(c), Number(d)];
    return Number.isNaN(x + y + z) ? null : x >= y - z && x <= y + z;
  }),
  // assert(condition, message): true, or the query fails with the message
  fn('assert', 2, 2, ([c, m]) => {
    if (c !== true) throw new QueryError(`assertion failed: ${str(m!)}`);
    return true;
  }),
  fn('startofday', 1, 2, ([v, off]) => (typeof v === 'bigint' ? binTicks(v, TICKS_PER_DAY) + BigInt(Number(off ?? 0)) * TICKS_PER_DAY : null)),
  fn('tostring', 1, 1, ([v], [t]) => (v === null ? '' : valueToString(v, t!))),
  fn('toint', 1, 1, ([v], [t]) => { const n = toLongValue(v, t!); return n === null || n < MIN_INT || n > MAX_INT ? null : Number(n); }),
  fn('tolong', 1, 1, ([v], [t]) => toLongValue(v, t!)),
  fn('toreal', 1, 1, ([v]) => toNumber(v)),
  fn('todecimal', 1, 1, ([v]) => toNumber(v)),
  fn('tobool', 1, 1, ([v]) => (typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : typeof v === 'string' ? (/^(true|1)$/i.test(v.trim()) ? true : /^(false|0)$/i.test(v.trim()) ? false : null) : null)),
  // a time without a date is that time on the day of the query's now() (see parseTimeOfDayText)
  fn('todatetime', 1, 1, ([v], _t, ctx) => (typeof v === 'bigint' ? v : typeof v === 'string' ? (parseDatetimeText(v) ?? timeToday(v, ctx.now)) : null)),
  fn('totimespan', 1, 1, ([v]) => (typeof v === 'bigint' ? v : typeof v === 'string' ? (parseTimespanText(v) ?? null) : typeof v === 'number' ? BigInt(Math.round(v)) : null)),
  fn('parse_json', 1, 1, ([v]) => parseJson(v)),
  fn('todynamic', 1, 1, ([v]) => parseJson(v)),
  fn('strlen', 1, 1, ([v]) => [...str(v)].length),
  fn('tolower', 1, 1, ([v]) => str(v).toLowerCase()),
  fn('toupper', 1, 1, ([v]) => str(v).toUpperCase()),
  fn('strcat', 1, 64, (args, types) => args.map((a, i) => valueToString(a, types[i]!)).join('')),
  fn('substring', 2, 3, ([v, start, len]) => {
    const s = str(v);
    const a = Math.max(0, Number(start ?? 0));
    return len === null || len === undefined ? s.slice(a) : s.slice(a, a + Math.max(0, Number(len)));
  }),
  fn('split', 2, 3, ([v, d, i]) => { const parts = str(v).split(str(d)); return i === undefined || i === null ? parts : (parts[Number(i)] !== undefined ? [parts[Number(i)]!] : []); }),
  fn('replace_string', 3, 3, ([v, a, b]) => str(v).split(str(a)).join(str(b))),
  // extract(re, group, text, typeof(T)): the group's text as a T (null when it is not one)
  fn('extract', 3, 4, ([re, g, v, t], _types, _ctx, resultType) => {
    const m = regexExtract(str(re), Number(g), str(v));
    return m === null || t === undefined || t === null ? m : textAsType(m, resultType);
  }),
  fn('isempty', 1, 1, ([v]) => isEmptyValue(v)),
  fn('isnotempty', 1, 1, ([v]) => !isEmptyValue(v)),
  fn('isnull', 1, 1, ([v]) => v === null),
  fn('isnotnull', 1, 1, ([v]) => v !== null),
  fn('not', 1, 1, ([v]) => (v === null ? null : !v)),
  fn('iff', 3, 3, ([c, a, b]) => (c === true ? a : b)),
  fn('iif', 3, 3, ([c, a, b]) => (c === true ? a : b)),
  fn('case', 3, 255, (args) => {
    for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1]!;
    return args[args.length - 1]!;
  }),
  fn('coalesce', 1, 64, (args) => args.find((a) => !isEmptyValue(a) && a !== null) ?? null),
  fn('array_length', 1, 1, ([v]) => (Array.isArray(v) ? v.length : null)),
  fn('pack_array', 0, 255, (args, types) => args.map((a, i) => valueToDynamic(a, types[i]!))),
  fn('bag_pack', 0, 255, (args, types) => {
    const o: Record<string, DynamicValue> = {};
    for (let i = 0; i + 1 < args.length; i += 2) setOwn(o, str(args[i]!), valueToDynamic(args[i + 1]!, types[i + 1]!));
    return o;
  }),
  fn('pack', 0, 255, (args, types) => {
    const o: Record<string, DynamicValue> = {};
    for (let i = 0; i + 1 < args.length; i += 2) setOwn(o, str(args[i]!), valueToDynamic(args[i + 1]!, types[i + 1]!));
    return o;
  }),
  fn('abs', 1, 1, ([v], [t]) => (typeof v === 'number' ? Math.abs(v) : typeof v === 'bigint' ? (v < 0n ? (t === 'long' ? negLong(v) : -v) : v) : null)),
  fn('round', 1, 2, ([v, p]) => { if (typeof v !== 'number') return null; const f = 10 ** Number(p ?? 0); return Math.round(v * f) / f; }),
  fn('floor', 2, 2, ([v, step], types) => binValue(v!, step!, types[0]!, types[1]!)),
];
