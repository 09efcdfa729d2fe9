/** Query-string helpers shared by the routes: repeated or comma-separated values, bounded numbers, datetimes. */
import { parseDatetimeText } from '../../kql/syntax/index.js';
import { badRequest } from '../errors.js';

export type Query = Record<string, string | string[] | undefined>;

/** `?tool=a&tool=b` and `?tool=a,b` both give ['a', 'b']. */
export function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

export function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw badRequest(`'${name}' may be given once`);
  return v === undefined || v === '' ? undefined : v;
}

/** An ISO 8601 / KQL datetime parameter as ticks, or a 400 naming the parameter. */
export function datetimeParam(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const t = parseDatetimeText(text);
  if (t === undefined) throw badRequest(`'${name}' is not a datetime: '${text}' (use ISO 8601, e.g. 2026-11-20T00:00:00Z)`);
  return t;
}

/** A whole-number parameter from 0 to `max` (`limit`, `offset`), or a 400 naming it. */
export function wholeNumber(q: Query, name: string, max: number): number | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > max) throw badRequest(`'${name}' must be a whole number from 0 to ${max}`);
  return Number(v);
}
