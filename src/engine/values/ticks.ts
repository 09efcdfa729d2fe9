/**
 * Exact 100 ns tick arithmetic and Kusto's display of datetime and timespan. Columns split ticks into
 * `hi` (whole milliseconds, exact in a float64) and `lo` (0..9999 ticks) — see storage/column.ts.
 */
export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_DAY = 864_000_000_000n;

export function splitTicks(t: bigint): { hi: number; lo: number } {
  let hi = t / TICKS_PER_MS;
  let lo = t - hi * TICKS_PER_MS;
  if (lo < 0n) {
    lo += TICKS_PER_MS;
    hi -= 1n;
  }
  return { hi: Number(hi), lo: Number(lo) };
}

export function joinTicks(hi: number, lo: number): bigint {
  return BigInt(hi) * TICKS_PER_MS + BigInt(lo);
}

const pad = (n: number | bigint, w: number) => String(n).padStart(w, '0');

const MS_PER_DAY = 86_400_000;
const digit = (n: number) => 48 + (n % 10);
const tens = (n: number) => 48 + ((n / 10) | 0);

/**
 * `2015-12-31T23:59:59.1234567Z`: ISO 8601 with exactly 7 fractional digits (Kusto's REST v2 form).
 * The calendar date comes from the day count by integer arithmetic (the proleptic Gregorian civil-from-days
 * conversion) and the text is built from character codes in one step: a template literal of a dozen
 * pieces leaves V8 a tree of concatenations (about 450 bytes instead of 48 for the flat text), and arrays
 * of datetimes (range(), make_list) hold them by the million.
 */
export function formatDatetime(t: bigint): string {
  const { hi, lo } = splitTicks(t);
  // the same instants recur (bins, range() steps, a log's timestamps): a small direct-mapped memo gives
  // back the text already built, one string shared instead of many equal ones
  const slot = (Math.imul((hi | 0) ^ Math.imul((hi / 4294967296) | 0, 0x85ebca6b) ^ lo, 0x9e3779b1) >>> 24) & (MEMO_SIZE - 1);
  if (memoHi[slot] === hi && memoLo[slot] === lo) return memoText[slot]!;
  const text = datetimeText(hi, lo);
  memoHi[slot] = hi;
  memoLo[slot] = lo;
  memoText[slot] = text;
  return text;
}

const MEMO_SIZE = 256;
const memoHi = new Float64Array(MEMO_SIZE).fill(NaN);
const memoLo = new Int32Array(MEMO_SIZE);
const memoText: string[] = new Array<string>(MEMO_SIZE).fill('');

function datetimeText(hi: number, lo: number): string {
  const days = Math.floor(hi / MS_PER_DAY);
  let ms = hi - days * MS_PER_DAY;
  // civil from days: March-based years of 146,097-day eras
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const mi = Math.floor(ms / 60_000);
  ms -= mi * 60_000;
  const sec = Math.floor(ms / 1000);
  ms -= sec * 1000;
  if (y < 0 || y > 9999) return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}.${pad(ms, 3)}${pad(lo, 4)}Z`;
  return String.fromCharCode(
    digit(y / 1000 | 0), digit(y / 100 | 0), digit(y / 10 | 0), digit(y), 45, tens(m), digit(m), 45, tens(d), digit(d),
    84, tens(h), digit(h), 58, tens(mi), digit(mi), 58, tens(sec), digit(sec), 46,
    digit(ms / 100 | 0), digit(ms / 10 | 0), digit(ms), digit(lo / 1000 | 0), digit(lo / 100 | 0), digit(lo / 10 | 0), digit(lo), 90,
  );
}

/** `[-][d.]hh:mm:ss[.fffffff]` */
export function formatTimespan(t: bigint): string {
  const neg = t < 0n;
  let v = neg ? -t : t;
  const days = v / TICKS_PER_DAY;
  v -= days * TICKS_PER_DAY;
  const totalSeconds = v / 10_000_000n;
  const frac = v - totalSeconds * 10_000_000n;
  const h = totalSeconds / 3600n;
  const m = (totalSeconds / 60n) % 60n;
  const s = totalSeconds % 60n;
  return `${neg ? '-' : ''}${days > 0n ? `${days}.` : ''}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${frac > 0n ? '.' + pad(frac, 7) : ''}`;
}

/** floor(t / step) * step on ticks (bin() for datetime and timespan). */
export function binTicks(t: bigint, step: bigint): bigint {
  if (step <= 0n) return t;
  let q = t / step;
  if (t < 0n && q * step !== t) q -= 1n;
  return q * step;
}
