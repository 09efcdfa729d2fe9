/** Datetime parts and calendar functions, and dynamic (array/bag) functions. */
import { binTicks, TICKS_PER_DAY } from '../values/ticks.js';
import { compareValues, valueKey } from '../values/compare.js';
import { valueToDynamic } from '../values/format.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';
import { bigOf, binLong, longOf, type Long } from '../values/long.js';
import { fn, type ScalarFunction } from './types.js';

const MS = 10_000n;
const date = (t: bigint) => new Date(Number(t / MS - (t % MS < 0n ? 1n : 0n)));
const ticksOfDate = (d: Date) => BigInt(d.getTime()) * MS;
const dt = (name: string, f: (d: Date, t: bigint) => Value) => fn(name, 1, 1, ([v]) => (typeof v === 'bigint' ? f(date(v), v) : null));

function startOf(unit: 'week' | 'month' | 'year', t: bigint, offset: number): bigint {
  const d = date(t);
  let r: Date;
  if (unit === 'week') {
    r = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - d.getUTCDay() + offset * 7));
  } else if (unit === 'month') r = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
  else r = new Date(Date.UTC(d.getUTCFullYear() + offset, 0, 1));
  return ticksOfDate(r);
}

const UNITS: Record<string, bigint> = {
  day: TICKS_PER_DAY, hour: 36_000_000_000n, minute: 600_000_000n, second: 10_000_000n,
  millisecond: 10_000n, microsecond: 10n, nanosecond: 1n, week: 7n * TICKS_PER_DAY,
};

function addMonths(t: bigint, months: number): bigint {
  const d = date(t);
  const r = new Date(d.getTime());
  r.setUTCMonth(r.getUTCMonth() + months);
  return ticksOfDate(r) + (((t % MS) + MS) % MS);
}

/** range() stops after this many elements (Kusto's limit for a dynamic array it builds). */
const RANGE_LIMIT = 1_048_576;

const arr = (v: Value): DynamicValue[] | null => (Array.isArray(v) ? (v as DynamicValue[]) : null);

const isLongType = (t: ScalarTypeName) => t === 'int' || t === 'long';
const isLong = (v: Value): v is Long => typeof v === 'number' || typeof v === 'bigint';

export const DATETIME_DYNAMIC_FUNCTIONS: ScalarFunction[] = [
  dt('getyear', (d) => d.getUTCFullYear()),
  dt('monthofyear', (d) => d.getUTCMonth() + 1),
  dt('dayofmonth', (d) => d.getUTCDate()),
  dt('hourofday', (d) => d.getUTCHours()),
  dt('dayofweek', (d) => BigInt(d.getUTCDay()) * TICKS_PER_DAY),
  dt('dayofyear', (d) => Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1),
  fn('startofweek', 1, 2, ([v, o]) => (typeof v === 'bigint' ? startOf('week', v, Number(o ?? 0)) : null)),
  fn('startofmonth', 1, 2, ([v, o]) => (typeof v === 'bigint' ? startOf('month', v, Number(o ?? 0)) : null)),
  fn('startofyear', 1, 2, ([v, o]) => (typeof v === 'bigint' ? startOf('year', v, Number(o ?? 0)) : null)),
  fn('endofday', 1, 2, ([v, o]) => (typeof v === 'bigint' ? binTicks(v, TICKS_PER_DAY) + BigInt(Number(o ?? 0) + 1) * TICKS_PER_DAY - 1n : null)),
  fn('endofweek', 1, 2, ([v, o]) => (typeof v === 'bigint' ? startOf('week', v, Number(o ?? 0) + 1) - 1n : null)),
  fn('endofmonth', 1, 2, ([v, o]) => (typeof v === 'bigint' ? startOf('month', v, Number(o ?? 0) + 1) - 1n : null)),
  fn('endofyear', 1, 2, ([v, o]) => (typeof v === 'bigint' ? startOf('year', v, Number(o ?? 0) + 1) - 1n : null)),
  fn('bin_at', 3, 3, ([v, step, at], types) => {
    if (isLongType(types[0]!) && isLongType(types[1]!) && isLongType(types[2]!) && isLong(v) && isLong(step) && isLong(at)) {
      // ints and longs exactly (a long past 2^53 is a bigint, not ticks)
      const b = binLong(bigOf(v) - bigOf(at), step);
      return b === null ? null : longOf(bigOf(b) + bigOf(at));
    }
    if (typeof v === 'bigint' && typeof step === 'bigint' && typeof at === 'bigint') return binTicks(v - at, step) + at;
    if (typeof v === 'number' && typeof step === 'number' && typeof at === 'number') return Math.floor((v - at) / step) * step + at;
    return null;
  }),
  fn('datetime_add', 3, 3, ([part, amount, v]) => {
    if (typeof v !== 'bigint' || typeof amount !== 'number') return null;
    const p = String(part).toLowerCase();
    if (p === 'month') return addMonths(v, amount);
    if (p === 'quarter') return addMonths(v, amount * 3);
    if (p === 'year') return addMonths(v, amount * 12);
    const u = UNITS[p];
    return u === undefined ? null : v + BigInt(Math.trunc(amount)) * u;
  }),
  fn('datetime_diff', 3, 3, ([part, a, b]) => {
    if (typeof a !== 'bigint' || typeof b !== 'bigint') return null;
    const p = String(part).toLowerCase();
    const da = date(a);
    const db = date(b);
    if (p === 'year') return da.getUTCFullYear() - db.getUTCFullYear();
    if (p === 'quarter') return Math.floor(da.getUTCMonth() / 3) - Math.floor(db.getUTCMonth() / 3) + 4 * (da.getUTCFullYear() - db.getUTCFullYear());
    if (p === 'month') return da.getUTCMonth() - db.getUTCMonth() + 12 * (da.getUTCFullYear() - db.getUTCFullYear());
    const u = UNITS[p];
    if (u === undefined) return null;
    if (p === 'nanosecond') return Number(a - b) * 100;
    if (p === 'week') return Number((startOf('week', a, 0) - startOf('week', b, 0)) / u);
    return Number(binTicks(a, u) / u - binTicks(b, u) / u);
  }),
  fn('unixtime_seconds_todatetime', 1, 1, ([v]) => (typeof v === 'number' ? BigInt(Math.round(v * 1e7)) : null)),
  fn('unixtime_milliseconds_todatetime', 1, 1, ([v]) => (typeof v === 'number' ? BigInt(Math.round(v * 1e4)) : null)),
  fn('unixtime_microseconds_todatetime', 1, 1, ([v]) => (typeof v === 'number' ? BigInt(Math.round(v * 10)) : null)),
  fn('unixtime_nanoseconds_todatetime', 1, 1, ([v]) => (typeof v === 'number' ? BigInt(Math.round(v / 100)) : null)),
  fn('make_datetime', 1, 7, (args) => {
    const [y, mo = 1, d = 1, h = 0, mi = 0, s = 0] = args.map((a) => Number(a ?? 0));
    if (args.some((a) => a === null)) return null;
    const whole = Math.floor(s!);
    return BigInt(Date.UTC(y!, mo! - 1, d!, h!, mi!, whole)) * MS + BigInt(Math.round((s! - whole) * 1e7));
  }),
  fn('make_timespan', 2, 4, (args) => {
    const n = args.map((a) => Number(a ?? 0));
    const [d, h, m, s] = n.length === 2 ? [0, n[0]!, n[1]!, 0] : n.length === 3 ? [0, n[0]!, n[1]!, n[2]!] : n;
    return BigInt(Math.round((((d! * 24 + h!) * 60 + m!) * 60 + s!) * 1e7));
  }),
  fn('array_concat', 1, 64, (args) => (args.every(Array.isArray) ? (args as DynamicValue[][]).flat(1) : null)),
  fn('array_reverse', 1, 1, ([a]) => (arr(a) ? [...arr(a)!].reverse() : null)),
  fn('array_sum', 1, 1, ([a]) => (arr(a) ? arr(a)!.reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0) : null)),
  fn('array_slice', 3, 3, ([a, s, e]) => {
    const x = arr(a);
    if (!x) return null;
    const n = x.length;
    let from = Number(s);
    let to = Number(e);
    if (from < 0) from += n;
    if (to < 0) to += n;
    return x.slice(Math.max(0, from), Math.min(n, to + 1));
  }),
  fn('array_index_of', 2, 5, ([a, v, start, length, occurrence]) => {
    const x = arr(a);
    if (!x) return null;
    const k = valueKey(v);
    let from = Number(start ?? 0);
    if (from < 0) from = Math.max(0, x.length + from);
    const span = length === null || length === undefined || Number(length) < 0 ? Infinity : Number(length);
    // like indexof(): each further occurrence is looked for in a window of the same length after the previous
    let at = -1;
    for (let occ = Number(occurrence ?? 1); occ > 0; occ--) {
      const lim = Math.min(x.length, from + span);
      at = -1;
      for (let i = from; i < lim; i++) if (valueKey(x[i] as Value) === k) { at = i; break; }
      if (at < 0) return -1;
      from = at + 1;
    }
    return at;
  }),
  fn('array_sort_asc', 1, 64, (args) => sortArrays(args, 1)),
  fn('array_sort_desc', 1, 64, (args) => sortArrays(args, -1)),
  fn('set_union', 2, 64, (args) => dedupe((args as DynamicValue[][]).flat(1))),
  fn('set_intersect', 2, 64, (args) => { const [first, ...rest] = args as DynamicValue[][]; return dedupe((first ?? []).filter((x) => rest.every((r) => r?.some((y) => valueKey(y as Value) === valueKey(x as Value))))); }),
  fn('set_difference', 2, 64, (args) => { const [first, ...rest] = args as DynamicValue[][]; return dedupe((first ?? []).filter((x) => !rest.some((r) => r?.some((y) => valueKey(y as Value) === valueKey(x as Value))))); }),
  fn('set_has_element', 2, 2, ([a, v]) => (arr(a) ? arr(a)!.some((x) => valueKey(x as Value) === valueKey(v)) : null)),
  fn('zip', 2, 64, (args) => {
    const lists = args.map(arr);
    if (lists.some((l) => !l)) return null;
    const n = Math.max(...lists.map((l) => l!.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l!.length ? l![i]! : null)));
  }),
  fn('range', 2, 3, ([a, b, s], types) => {
    if (typeof a === 'number' && typeof b === 'number') {
      const step = typeof s === 'number' ? s : 1;
      const out: number[] = [];
      if (step === 0) return null;
      for (let x = a; step > 0 ? x <= b : x >= b; x += step) if (out.push(x) >= RANGE_LIMIT) break;
      return out;
    }
    if (typeof a === 'bigint' && typeof b === 'bigint') {
      // the default step is a day for datetimes and an hour for timespans
      const step = typeof s === 'bigint' ? s : types[0] === 'timespan' ? UNITS['hour']! : TICKS_PER_DAY;
      const out: DynamicValue[] = [];
      if (step === 0n) return null;
      for (let x = a; step > 0n ? x <= b : x >= b; x += step) if (out.push(valueToDynamic(x, types[0]!)) >= RANGE_LIMIT) break;
      return out;
    }
    return null;
  }),
];

/**
 * array_sort_asc/desc: sorts the first array (nulls last unless a final `false`), orders the other arrays the
 * same way (null for one of another length). With several arrays the result is the array of sorted arrays.
 */
function sortArrays(args: Value[], sign: 1 | -1): Value {
  const last = args[args.length - 1];
  const nullsLast = typeof last === 'boolean' ? last : true;
  const arrays = (typeof last === 'boolean' ? args.slice(0, -1) : args).map(arr);
  const first = arrays[0];
  if (!first) return null;
  const order = first.map((_, i) => i).sort((i, j) => {
    const x = first[i]!;
    const y = first[j]!;
    if (x === null || y === null) return x === y ? i - j : (x === null ? 1 : -1) * (nullsLast ? 1 : -1);
    return compareValues(x as Value, y as Value) * sign || i - j;
  });
  const sorted = arrays.map((a) => (a && a.length === first.length ? order.map((i) => a[i]!) : null));
  return arrays.length === 1 ? sorted[0]! : sorted;
}

function dedupe(xs: DynamicValue[]): DynamicValue[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = valueKey(x as Value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
