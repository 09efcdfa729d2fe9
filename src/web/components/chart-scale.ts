/**
 * The arithmetic of the inline charts (line-chart.tsx), kept apart so it is unit-tested: round value ticks,
 * time ticks on calendar steps with distinct labels, runs of points split at gaps, and zero-filled bins.
 */

export interface Point { x: number; y: number }
export interface Series { name: string; points: Point[] }

/**
 * Round tick values covering [min, max]: steps of 1, 2 or 5 × 10^k, and at least `minStep` (1 for counts:
 * an axis of events per hour reading 0, 0.5, 1, 1.5 suggests half events).
 */
export function niceTicks(min: number, max: number, count = 4, minStep = 0): number[] {
  if (!(max > min)) return [min];
  const raw = Math.max((max - min) / count, minStep);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;
const TIME_STEPS = [S, 5 * S, 15 * S, 30 * S, M, 5 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D, 91 * D, 365 * D];

/**
 * Time ticks in [x0, x1] (ms) on whole calendar steps (hours, days, ...), at most `max` of them, each with a
 * label as precise as the step needs: labels never repeat, however short the range.
 */
export function timeTicks(x0: number, x1: number, max = 6): { x: number; label: string }[] {
  const span = Math.max(x1 - x0, 1);
  const step = TIME_STEPS.find((s) => span / s <= max) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const out: { x: number; label: string }[] = [];
  for (let t = Math.ceil(x0 / step) * step; t <= x1; t += step) {
    const iso = new Date(t).toISOString();
    const label = step >= D ? iso.slice(5, 10) : step >= M ? (span > D || new Date(x0).getUTCDate() !== new Date(x1).getUTCDate() ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16)) : iso.slice(11, 19);
    out.push({ x: t, label });
  }
  return out;
}

/**
 * Runs of points to join with lines. `summarize ... by bin(Timestamp, 1h)` has no row for an hour without
 * events, so a line straight across that hour would draw counts that were never there. When the points are
 * regular (most steps equal: binned data), a step longer than 1.5 of that step ends a run; irregular
 * points stay one line. Points must be sorted by x.
 */
export function splitAtGaps(points: readonly Point[]): Point[][] {
  if (points.length < 3) return [points.slice()];
  const counts = new Map<number, number>();
  for (let i = 1; i < points.length; i++) {
    const d = points[i]!.x - points[i - 1]!.x;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let step = 0;
  let most = 0;
  for (const [d, n] of counts) if (n > most || (n === most && d < step)) [step, most] = [d, n];
  if (most * 2 < points.length - 1) return [points.slice()];
  const runs: Point[][] = [[points[0]!]];
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.x - points[i - 1]!.x > step * 1.5) runs.push([]);
    runs[runs.length - 1]!.push(points[i]!);
  }
  return runs;
}

/**
 * Counts per bin with the empty bins as 0: every series gets every bin from the first to the last of any
 * series (x = bin start, a multiple of `bin`), so an hour without events is drawn at 0, not skipped by a line.
 */
export function fillBins(series: readonly Series[], bin: number): Series[] {
  const xs = series.flatMap((s) => s.points.map((p) => Math.floor(p.x / bin) * bin));
  if (!xs.length) return series.map((s) => ({ name: s.name, points: [] }));
  const first = Math.min(...xs);
  const last = Math.max(...xs);
  return series.map((s) => {
    const sums = new Map<number, number>();
    for (const p of s.points) {
      const b = Math.floor(p.x / bin) * bin;
      sums.set(b, (sums.get(b) ?? 0) + p.y);
    }
    const points: Point[] = [];
    for (let x = first; x <= last; x += bin) points.push({ x, y: sums.get(x) ?? 0 });
    return { name: s.name, points };
  });
}
