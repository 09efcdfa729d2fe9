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

/** The example every UTC time field shows and its error message repeats. */
export const UTC_EXAMPLE = '2026-11-19T17:58:56Z';

/** ISO 8601 as a UTC time field shows it: `2026-11-19T17:58:56Z`, milliseconds only when not zero. */
export function toUtcText(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

export type UtcParse = { ok: true; iso: string | undefined } | { ok: false; error: string };

const UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * What an analyst typed in a UTC time field, as ISO 8601 (`…Z`, milliseconds). Takes a date alone (midnight),
 * minutes or seconds, `T` or a space between, and `Z`, nothing (read as UTC) or an offset (converted to UTC).
 * Empty text is valid and means "no time". Anything else, or a date that does not exist, is an error saying why.
 */
export function parseUtcText(text: string): UtcParse {
  const t = text.trim();
  if (!t) return { ok: true, iso: undefined };
  const m = UTC_TEXT.exec(t);
  if (!m) return { ok: false, error: `Not an ISO 8601 time: write it like ${UTC_EXAMPLE}` };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const daysInMonth = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (month < 1 || month > 12) return { ok: false, error: `There is no month ${m[2]}` };
  if (day < 1 || day > daysInMonth) return { ok: false, error: `${m[1]}-${m[2]} has no day ${m[3]}` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, error: `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day` };
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0-99 as 1900-1999
  d.setUTCHours(hour, minute, second, fraction);
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8] ?? '');
  if (offset) d.setTime(d.getTime() - (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000);
  return { ok: true, iso: d.toISOString() };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A size in binary units as a disk listing shows it (1.5 MiB), whole bytes below 1 KiB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const u = n < 1024 ? 0 : Math.min(units.length - 1, Math.floor(Math.log2(n) / 10));
  const v = n / 2 ** (10 * u);
  return u === 0 ? `${n} B` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/**
 * A rule diagnostic's rendering (`file:line:col: message`, then the line with a caret) when its excerpt shows
 * something: a problem of the whole rule (a Sigma rule that cannot run here, placed at 1:1 of an empty query)
 * renders an empty line and a caret under nothing, which is left out.
 */
export function renderedWithText(rendered: string): string | undefined {
  const excerpt = rendered.split('\n').flatMap((l) => /^\s*\d+ \|(.*)$/.exec(l)?.[1] ?? []);
  return excerpt.length === 0 || excerpt.some((t) => t.trim() !== '') ? rendered : undefined;
}
