/**
 * Decoding of KQL literal texts into exact values: datetimes and timespans become bigint ticks (100 ns;
 * datetimes count from 1970-01-01T00:00:00Z). Shared with the engine's todatetime()/totimespan().
 */

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;

/** Timespan unit suffixes Kusto accepts after a number (`2d`, `1.5h`, `10ms`, `3tick`). */
const UNIT_TICKS: Record<string, bigint> = {
  d: TICKS_PER_DAY, day: TICKS_PER_DAY, days: TICKS_PER_DAY,
  h: TICKS_PER_HOUR, hr: TICKS_PER_HOUR, hrs: TICKS_PER_HOUR, hour: TICKS_PER_HOUR, hours: TICKS_PER_HOUR,
  m: TICKS_PER_MINUTE, min: TICKS_PER_MINUTE, minute: TICKS_PER_MINUTE, minutes: TICKS_PER_MINUTE,
  s: TICKS_PER_SECOND, sec: TICKS_PER_SECOND, second: TICKS_PER_SECOND, seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MS, milli: TICKS_PER_MS, millis: TICKS_PER_MS, millisecond: TICKS_PER_MS, milliseconds: TICKS_PER_MS,
  microsecond: 10n, microseconds: 10n, micro: 10n, micros: 10n,
  tick: 1n, ticks: 1n,
};

/** Multiplies a decimal text by an integer number of ticks exactly (no float rounding). */
function decimalTimes(numText: string, unit: bigint): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(numText);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = BigInt(m[2] || '0');
  const frac = m[3] ?? '';
  const scale = 10n ** BigInt(frac.length);
  const fracVal = frac ? BigInt(frac) : 0n;
  const total = whole * unit + (fracVal * unit) / scale;
  return sign * total;
}

/** `2d`, `1.5h`, `10ms`, `100microseconds` → ticks; undefined when the unit is unknown. */
export function parseTimespanUnitLiteral(text: string): bigint | undefined {
  const m = /^([+-]?\d*(?:\.\d*)?)([a-zA-Z]+)$/.exec(text);
  if (!m) return undefined;
  const unit = UNIT_TICKS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  return decimalTimes(m[1]!, unit);
}

/**
 * The text inside `timespan(...)` / `time(...)` or a value for totimespan():
 * `2d`, `1.5h`, `[-][d.]hh:mm[:ss[.fffffff]]`, or a bare number (days).
 */
export function parseTimespanText(raw: string): bigint | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  const unit = parseTimespanUnitLiteral(s);
  if (unit !== undefined) return unit;
  const m = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (m) {
    const sign = m[1] === '-' ? -1n : 1n;
    const days = BigInt(m[2] ?? '0');
    const h = BigInt(m[3]!);
    const mi = BigInt(m[4]!);
    const sec = BigInt(m[5] ?? '0');
    if (h > 23n || mi > 59n || sec > 59n) return undefined;
    const frac = (m[6] ?? '').padEnd(7, '0');
    return sign * (days * TICKS_PER_DAY + h * TICKS_PER_HOUR + mi * TICKS_PER_MINUTE + sec * TICKS_PER_SECOND + BigInt(frac || '0'));
  }
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return decimalTimes(s, TICKS_PER_DAY);
  return undefined;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

function ticksOf(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string, offsetMinutes: number): bigint | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1 || y > 9999) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  if (date.getUTCDate() !== d) return undefined; // e.g. Feb 30
  const ms = BigInt(date.getTime()) - BigInt(offsetMinutes) * 60_000n;
  return ms * TICKS_PER_MS + BigInt((frac || '').slice(0, 7).padEnd(7, '0') || '0');
}

function twoDigitYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
}

function zoneOffset(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z' || /^(GMT|UT|UTC)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const named: Record<string, number> = { EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
  return named[zone.toUpperCase()];
}

const digitAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

const READ_MEMO_SIZE = 64;
const readText: string[] = new Array<string>(READ_MEMO_SIZE).fill('');
const readTicks: (bigint | undefined)[] = new Array<bigint | undefined>(READ_MEMO_SIZE).fill(undefined);

/** The decimal number s[from..to) spells, NaN when a character is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + digitAt(s, i);
  return n;
}

/**
 * `yyyy-MM-ddTHH:mm:ss.fffffffZ`, the form kqlite writes datetimes in (inside dynamic values, tostring())
 * and reads back most often (mv-expand to typeof(datetime), todatetime over such text): read by character
 * codes, without the regular expressions of the general reader. Anything else is undefined.
 */
function canonicalDatetime(s: string): bigint | undefined {
  if (s.length !== 28 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(27) !== 90) return undefined;
  const y = digitsAt(s, 0, 4), mo = digitsAt(s, 5, 7), d = digitsAt(s, 8, 10), h = digitsAt(s, 11, 13), mi = digitsAt(s, 14, 16), sec = digitsAt(s, 17, 19), frac = digitsAt(s, 20, 27);
  if (Number.isNaN(y + mo + d + h + mi + sec + frac)) return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || y < 1) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  // Date.UTC reads years 0..99 as 1900..1999, and rolls Feb 30 over into March: both are refused here
  if (y < 100 || new Date(ms).getUTCDate() !== d) return undefined;
  return BigInt(ms) * TICKS_PER_MS + BigInt(frac);
}

/**
 * Datetime text in the formats Kusto documents: ISO 8601 (`2015-12-31`, `2015-12-31T23:59:59.1234567Z`,
 * space instead of T, offsets), RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`), RFC 850
 * (`Saturday, 08-Nov-14 15:05:02 GMT`), and `yyyy-MM-dd HH:mm[:ss[.f...]]`. Returns ticks since the epoch.
 */
export function parseDatetimeText(raw: string): bigint | undefined {
  // the same text recurs (a range() of bins read back by mv-expand, a log's repeated timestamps): the
  // last few readings are kept, and the same string object is recognised without reading it again
  const n = raw.length;
  // (in the canonical text: the last fraction digit, the seconds, the minutes' units)
  const slot = n >= 14 ? (raw.charCodeAt(n - 2) * 1 + raw.charCodeAt(n - 10) * 3 + raw.charCodeAt(n - 11) * 11 + raw.charCodeAt(n - 13) * 23) & (READ_MEMO_SIZE - 1) : 0;
  if (readText[slot] === raw) return readTicks[slot];
  const canonical = canonicalDatetime(raw);
  if (canonical !== undefined) {
    readText[slot] = raw;
    readTicks[slot] = canonical;
    return canonical;
  }
  let s = raw.trim();
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1).trim();
  // MM-dd-yyyy / MM/dd/yyyy (US order, as .NET's invariant culture reads it)
  const us = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(s);
  if (us) return ticksOf(Number(us[3]), Number(us[1]), Number(us[2]), Number(us[4] ?? 0), Number(us[5] ?? 0), Number(us[6] ?? 0), us[7] ?? '', 0);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|GMT|UTC)?$/i.exec(s);
  if (m) {
    const off = zoneOffset(m[8]);
    if (off === undefined) return undefined;
    return ticksOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7] ?? '', off);
  }
  // yyyy, M, d[, H, m[, s]]: the parts as numbers, as the reference writes datetime(2025, 6, 14)
  m = /^(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2}))?)?$/.exec(s);
  if (m) return ticksOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), '', 0);
  // yyyy - MM - dd with blanks around the dashes (datetime(2017 - 08 - 01) in the reference)
  m = /^(\d{4})\s+-\s+(\d{1,2})\s+-\s+(\d{1,2})$/.exec(s);
  if (m) return ticksOf(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, '', 0);
  // yyyy/MM/dd and MM/dd/yyyy forms
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(s);
  if (m) return ticksOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7] ?? '', 0);
  // RFC 822 / 1123: [Www, ]d Mon yy[yy] hh:mm[:ss] zone
  m = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]+|[+-]\d{4})?$/.exec(s);
  if (m) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    const off = zoneOffset(m[7]);
    if (mo === undefined || off === undefined) return undefined;
    return ticksOf(twoDigitYear(m[3]!), mo, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), '', off);
  }
  // RFC 850: Weekday, dd-Mon-yy hh:mm:ss zone
  m = /^(?:[A-Za-z]+,\s*)?(\d{1,2})-([A-Za-z]{3})-(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]+|[+-]\d{4})?$/.exec(s);
  if (m) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    const off = zoneOffset(m[7]);
    if (mo === undefined || off === undefined) return undefined;
    return ticksOf(twoDigitYear(m[3]!), mo, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), '', off);
  }
  return undefined;
}

/**
 * A time of day without a date (`8:00:00 AM`, `17:30`, `08:15:02.5`), as ticks since midnight, or undefined.
 * Kusto's datetime reference: "Omitting the date gives a time today" (UTC), so the caller adds the day of the
 * query's now() (startOfDayTicks). AM/PM follow the 12-hour clock: 12 AM is midnight, 12 PM noon.
 */
export function parseTimeOfDayText(raw: string): bigint | undefined {
  let s = raw.trim();
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1).trim();
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(?:\s*([AaPp])[Mm])?$/.exec(s);
  if (!m) return undefined;
  let h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = Number(m[3] ?? 0);
  if (m[5] !== undefined) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[5].toLowerCase() === 'p' ? 12 : 0);
  }
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  const frac = BigInt((m[4] ?? '').padEnd(7, '0'));
  return BigInt(h) * TICKS_PER_HOUR + BigInt(mi) * TICKS_PER_MINUTE + BigInt(sec) * TICKS_PER_SECOND + frac;
}

/** Midnight (UTC) of the day that holds the given ticks. */
export function startOfDayTicks(t: bigint): bigint {
  const r = t % TICKS_PER_DAY;
  return t - (r < 0n ? r + TICKS_PER_DAY : r);
}

/** Canonical guid text (lower-case, 8-4-4-4-12) or undefined. */
export function parseGuidText(raw: string): string | undefined {
  const s = raw.trim().replace(/^\{|\}$/g, '');
  if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) return s.toLowerCase();
  if (/^[0-9a-fA-F]{32}$/.test(s)) return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`.toLowerCase();
  return undefined;
}

const pad = (n: number | bigint, w: number) => String(n).padStart(w, '0');

/**
 * Ticks as the text a datetime has inside a dynamic value (`2015-12-31T23:59:59.1234567Z`), so a
 * `datetime(...)` written in a `dynamic(...)` literal holds what Kusto stores there.
 */
export function datetimeTicksToIso(t: bigint): string {
  const ms = t >= 0n ? t / TICKS_PER_MS : -((-t + TICKS_PER_MS - 1n) / TICKS_PER_MS);
  const sub = t - ms * TICKS_PER_MS;
  const d = new Date(Number(ms));
  const frac = pad(d.getUTCMilliseconds(), 3) + pad(sub, 4);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}Z`;
}

/** Ticks as Kusto's timespan text (`[-][d.]hh:mm:ss[.fffffff]`), for a `timespan(...)` inside a dynamic literal. */
export function timespanTicksToText(t: bigint): string {
  const neg = t < 0n;
  let v = neg ? -t : t;
  const days = v / TICKS_PER_DAY;
  v -= days * TICKS_PER_DAY;
  const secs = v / TICKS_PER_SECOND;
  const frac = v - secs * TICKS_PER_SECOND;
  const hms = `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}`;
  return `${neg ? '-' : ''}${days > 0n ? `${days}.` : ''}${hms}${frac > 0n ? '.' + pad(frac, 7) : ''}`;
}
