/** Display formatting shared by the pages: times, counts, durations, and cell values as the API encodes them. */
import type { KqlType } from '../server/api.js';

const nf = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => nf.format(n);

/**
 * `2024-05-01T10:02:03.1234567Z` → `2024-05-01 10:02:03Z` (UTC: hunting data is compared across devices).
 * Fractions of a second are dropped unless `precise` (evidence cells keep every digit the API sent).
 */
export function formatTime(iso: string | undefined, precise = false): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z?$/.exec(iso);
  if (!m) return iso;
  const frac = precise && m[3] && !/^\.0*$/.test(m[3]) ? m[3] : '';
  return `${m[1]} ${m[2]}${frac}Z`;
}

export function formatDuration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A result cell as text. Values arrive as Kusto's REST v2 encodes them: datetimes and timespans as strings,
 * longs as numbers (or strings beyond 2^53), dynamic as JSON values, null for empty.
 */
export function formatCell(value: unknown, type: KqlType): string {
  if (value === null || value === undefined) return '';
  if (type === 'datetime' && typeof value === 'string') return formatTime(value, true);
  if (type === 'dynamic' || typeof value === 'object') return JSON.stringify(value);
  if (type === 'real' && typeof value === 'number') return Number.isInteger(value) ? String(value) : String(+value.toPrecision(12));
  return String(value);
}

export const isNumericType = (t: KqlType): boolean => t === 'int' || t === 'long' || t === 'real' || t === 'decimal';

/** A datetime-local input value (`YYYY-MM-DDTHH:MM:SS`, read as UTC) ⇄ ISO 8601. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?)/.exec(iso);
  return m ? m[1]!.length === 16 ? `${m[1]}:00` : m[1]! : '';
}

export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  const d = new Date(`${withSeconds}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
