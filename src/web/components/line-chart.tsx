/**
 * A small inline-SVG line chart: one or more series over a time (or numeric) x axis, no library. Used for
 * the findings timeline and for workbench results with a datetime and a numeric column.
 */
import { useMemo } from 'preact/hooks';
import { formatCount } from '../format.js';

export interface Series { name: string; points: { x: number; y: number }[] }

const COLORS = ['#4ea1ff', '#e3873a', '#3fb950', '#d2a8ff', '#f85149', '#d4b93c', '#56d4dd', '#ff9bce'];
const W = 760;
const H = 220;
const PAD = { left: 48, right: 12, top: 10, bottom: 26 };

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

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 3 * 86_400_000 ? iso.slice(5, 10) : spanMs > 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

export function LineChart({ series, xIsTime = true, label, testid = 'line-chart' }: { series: Series[]; xIsTime?: boolean; label: string; testid?: string }) {
  const geo = useMemo(() => {
    const all = series.flatMap((s) => s.points);
    if (all.length === 0) return undefined;
    let x0 = Math.min(...all.map((p) => p.x));
    let x1 = Math.max(...all.map((p) => p.x));
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    const y1 = Math.max(0, ...all.map((p) => p.y));
    const y0 = Math.min(0, ...all.map((p) => p.y));
    const yTicks = niceTicks(y0, y1 === y0 ? y0 + 1 : y1, 4, all.every((p) => Number.isInteger(p.y)) ? 1 : 0);
    const yTop = Math.max(yTicks[yTicks.length - 1]!, y1);
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    const sy = (y: number) => H - PAD.bottom - ((y - y0) / (yTop - y0 || 1)) * (H - PAD.top - PAD.bottom);
    const xTicks = Array.from({ length: 5 }, (_, i) => x0 + ((x1 - x0) * i) / 4);
    return { sx, sy, yTicks, xTicks, span: x1 - x0 };
  }, [series]);
  if (!geo) return <p class="muted">Nothing to chart.</p>;
  const { sx, sy, yTicks, xTicks, span } = geo;
  return (
    <figure class="chart" data-testid={testid}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} class="gridline" />
            <text x={PAD.left - 6} y={sy(t) + 4} text-anchor="end" class="tick">{formatCount(t)}</text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text key={`x${i}`} x={sx(t)} y={H - 8} text-anchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'} class="tick">
            {xIsTime ? timeLabel(t, span) : formatCount(+t.toPrecision(6))}
          </text>
        ))}
        {series.map((s, i) => {
          const pts = [...s.points].sort((a, b) => a.x - b.x);
          const color = COLORS[i % COLORS.length];
          return (
            <g key={s.name} data-series={s.name}>
              {splitAtGaps(pts).map((run, k) => (
                <polyline key={k} fill="none" stroke={color} stroke-width="1.6" points={run.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')} />
              ))}
              {pts.length <= 200 && pts.map((p, j) => (
                <circle key={j} cx={sx(p.x)} cy={sy(p.y)} r="2.4" fill={color}>
                  <title>{`${s.name}: ${formatCount(p.y)} at ${xIsTime ? new Date(p.x).toISOString() : p.x}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      {series.length > 1 || series[0]?.name ? (
        <figcaption class="chart-legend">
          {series.map((s, i) => <span key={s.name}><i style={{ background: COLORS[i % COLORS.length] }} />{s.name}</span>)}
        </figcaption>
      ) : null}
    </figure>
  );
}

type Point = Series['points'][number];

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
