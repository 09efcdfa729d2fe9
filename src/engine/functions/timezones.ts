/**
 * datetime_utc_to_local / datetime_local_to_utc over the IANA time zone database that Node's Intl carries.
 * Offsets are whole seconds, so the 100 ns ticks below a second pass through untouched.
 */
import type { Value } from '../values/value.js';
import { QueryError } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

const TICKS_PER_SECOND = 10_000_000n;
const UNIX_EPOCH_SECONDS_MIN = -62135596800; // 0001-01-01

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
      });
    } catch {
      throw new QueryError(`'${zone}' is not a time zone name`, 'KQL4005');
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Seconds to add to the UTC instant `utcSeconds` to read the wall clock in `zone`. */
function offsetSeconds(utcSeconds: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(utcSeconds * 1000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const year = parts.find((p) => p.type === 'era')?.value === 'BC' ? 1 - get('year') : get('year');
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as they are
  const wall = new Date(0);
  wall.setUTCFullYear(year, get('month') - 1, get('day'));
  wall.setUTCHours(get('hour'), get('minute'), get('second'), 0);
  return wall.getTime() / 1000 - utcSeconds;
}

function split(t: bigint): [number, bigint] {
  let s = t / TICKS_PER_SECOND;
  let rest = t % TICKS_PER_SECOND;
  if (rest < 0n) { s -= 1n; rest += TICKS_PER_SECOND; }
  return [Number(s), rest];
}

function utcToLocal(t: bigint, zone: string): bigint {
  const [s, rest] = split(t);
  if (s < UNIX_EPOCH_SECONDS_MIN) return t;
  return BigInt(s + offsetSeconds(s, zone)) * TICKS_PER_SECOND + rest;
}

/**
 * The UTC instant whose wall clock in `zone` reads `t`. A wall time repeated when clocks go back takes the
 * earlier offset found; one skipped when clocks go forward takes the offset in force after the change (as
 * Kusto's documented Europe/Brussels example shows: 02:00 on 2022-03-27 is 00:00 UTC).
 */
function localToUtc(t: bigint, zone: string): bigint {
  const [s, rest] = split(t);
  if (s < UNIX_EPOCH_SECONDS_MIN) return t;
  const first = s - offsetSeconds(s, zone);
  let utc = first;
  if (first + offsetSeconds(first, zone) !== s) {
    const second = s - offsetSeconds(first, zone);
    if (second + offsetSeconds(second, zone) === s) utc = second;
  }
  return BigInt(utc) * TICKS_PER_SECOND + rest;
}

export const TIMEZONE_FUNCTIONS: ScalarFunction[] = [
  fn('datetime_utc_to_local', 2, 2, ([t, zone]) => (typeof t === 'bigint' && typeof zone === 'string' ? utcToLocal(t, zone) : null)),
  fn('datetime_local_to_utc', 2, 2, ([t, zone]) => (typeof t === 'bigint' && typeof zone === 'string' ? localToUtc(t, zone) : null)),
];
