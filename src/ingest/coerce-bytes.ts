/**
 * Coercion straight from a cell's bytes for the forms exports use nearly always: ISO 8601 UTC datetimes
 * (`2024-05-01T10:20:30.1234567Z`, 0-9 fractional digits, `T` or a space, optional `Z`) and plain integers.
 * No string, Date or bigint is made. Each function only accepts text that coerce.ts reads the same way and
 * says "not mine" otherwise, so the caller falls back to coerce.ts on the decoded text (other datetime forms,
 * decimals, errors and their messages): both paths give the same value for every input.
 */

/** Where a successful parse leaves its result (no object per cell). */
export const parsed = { hi: 0, lo: 0, num: 0 };

const ZERO = 0x30;

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const d = b[k]! - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function digitsOf(t: string, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const d = t.charCodeAt(k) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (as JavaScript's Date counts them). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The day last checked and counted (an export's timestamps mostly share their day): its y/M/d key and days. */
let lastDay = -1;
let lastDays = 0;

/** Days since 1970-01-01 of a valid y-M-d, else NaN; the same day twice in a row is looked up, not reckoned. */
function dayOf(y: number, mo: number, d: number): number {
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return NaN;
  const key = (y * 100 + mo) * 100 + d;
  if (key === lastDay) return lastDays;
  if (d > (mo === 2 && leap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!)) return NaN;
  lastDay = key;
  return (lastDays = daysFromCivil(y, mo, d));
}

/** `yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}][Z]` → parsed.hi (whole ms) / parsed.lo (0..9999 ticks); false otherwise. */
export function datetimeFromBytes(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 19 || e - s > 30) return false;
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || (b[s + 10] !== 0x54 && b[s + 10] !== 0x20) || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return false;
  const h = digits(b, s + 11, 2), mi = digits(b, s + 14, 2), sec = digits(b, s + 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return false;
  const days = dayOf(digits(b, s, 4), digits(b, s + 5, 2), digits(b, s + 8, 2));
  if (days !== days) return false; // NaN: not a date
  let p = s + 19;
  let frac = 0;
  if (p < e && b[p] === 0x2e) {
    const first = ++p;
    for (; p < e; p++) {
      const dg = b[p]! - ZERO;
      if (dg < 0 || dg > 9) break;
      if (p - first < 7) frac = frac * 10 + dg;
    }
    const n = p - first;
    if (n === 0 || n > 9) return false;
    for (let k = n; k < 7; k++) frac *= 10;
  }
  if (p < e && b[p] === 0x5a) p++; // upper case only: coerce.ts refuses a lower-case z
  if (p !== e) return false;
  parsed.hi = days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + Math.floor(frac / 10_000);
  parsed.lo = frac % 10_000;
  return true;
}

/** `[-+]?\d{1,15}` → parsed.num; false otherwise (longer, decimal, exponent, blanks: coerce.ts decides). */
export function integerFromBytes(b: Uint8Array, s: number, e: number): boolean {
  let p = s;
  let sign = 1;
  if (b[p] === 0x2d) {
    sign = -1;
    p++;
  } else if (b[p] === 0x2b) p++;
  if (p >= e || e - p > 15) return false;
  let v = 0;
  for (; p < e; p++) {
    const dg = b[p]! - ZERO;
    if (dg < 0 || dg > 9) return false;
    v = v * 10 + dg;
  }
  parsed.num = sign * v;
  return true;
}

/** datetimeFromBytes for a string (JSON values arrive as strings): same forms, same result. */
export function datetimeFromText(t: string): boolean {
  const e = t.length;
  if (e < 19 || e > 30) return false;
  const sep = t.charCodeAt(10);
  if (t.charCodeAt(4) !== 0x2d || t.charCodeAt(7) !== 0x2d || (sep !== 0x54 && sep !== 0x20) || t.charCodeAt(13) !== 0x3a || t.charCodeAt(16) !== 0x3a) return false;
  const y = digitsOf(t, 0, 4), mo = digitsOf(t, 5, 2), d = digitsOf(t, 8, 2);
  const h = digitsOf(t, 11, 2), mi = digitsOf(t, 14, 2), sec = digitsOf(t, 17, 2);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return false;
  if (d > (mo === 2 && leap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!)) return false;
  let p = 19;
  let frac = 0;
  if (p < e && t.charCodeAt(p) === 0x2e) {
    const first = ++p;
    for (; p < e; p++) {
      const dg = t.charCodeAt(p) - ZERO;
      if (dg < 0 || dg > 9) break;
      if (p - first < 7) frac = frac * 10 + dg;
    }
    const n = p - first;
    if (n === 0 || n > 9) return false;
    for (let k = n; k < 7; k++) frac *= 10;
  }
  if (p < e && t.charCodeAt(p) === 0x5a) p++;
  if (p !== e) return false;
  parsed.hi = daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + Math.floor(frac / 10_000);
  parsed.lo = frac % 10_000;
  return true;
}
