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

/** `2015-12-31T23:59:59.1234567Z`: ISO 8601 with exactly 7 fractional digits (Kusto's REST v2 form). */
export function formatDatetime(t: bigint): string {
  const { hi, lo } = splitTicks(t);
  const d = new Date(hi);
  const msPart = ((hi % 1000) + 1000) % 1000;
  const frac = pad(msPart, 3) + pad(lo, 4);
  const y = d.getUTCFullYear();
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}Z`;
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
