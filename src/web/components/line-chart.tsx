/**
 * A small inline-SVG line chart: one or more series over a time (or numeric) x axis, no library. Used for
 * the findings timeline (hourly bins, zero-filled) and for workbench results with a datetime and a numeric
 * column. Series differ by colour, dash and marker shape, and a wider line is drawn under a narrower one, so
 * two series with the same counts both stay visible.
 */
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { formatCount } from '../format.js';
import { fillBins, niceTicks, splitAtGaps, timeTicks, type Series } from './chart-scale.js';

export { niceTicks, splitAtGaps, type Series } from './chart-scale.js';

const COLORS = ['#4ea1ff', '#e3873a', '#3fb950', '#d2a8ff', '#f85149', '#d4b93c', '#56d4dd', '#ff9bce'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3'];
const W = 760;
const H = 220;
const PAD = { left: 48, right: 14, top: 10, bottom: 26 };

interface Style { color: string; dash: string; width: number; marker: number }
/** Series i: a colour, a dash pattern and a marker shape of its own; earlier series are drawn wider, underneath. */
const styleOf = (i: number, n: number): Style => ({ color: COLORS[i % COLORS.length]!, dash: DASHES[i % DASHES.length]!, width: 1.5 + (n - 1 - i) * 1.2, marker: i % 4 });

function Marker({ x, y, s, children }: { x: number; y: number; s: Style; children?: ComponentChildren }) {
  const r = 3;
  const common = { fill: s.marker % 2 ? 'var(--bg-sunken)' : s.color, stroke: s.color, 'stroke-width': 1.4 };
  if (s.marker === 1) return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} {...common}>{children}</rect>;
  if (s.marker === 2) return <path d={`M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z`} {...common}>{children}</path>;
  if (s.marker === 3) return <path d={`M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${x - r - 1},${y}Z`} {...common}>{children}</path>;
  return <circle cx={x} cy={y} r={r} {...common}>{children}</circle>;
}

export interface LineChartProps {
  series: Series[];
  xIsTime?: boolean;
  /** Binned counts (ms per bin): empty bins are drawn at 0 and only bins with events get a marker. */
  bin?: number;
  label: string;
  testid?: string;
}

export function LineChart({ series: given, xIsTime = true, bin, label, testid = 'line-chart' }: LineChartProps) {
  const series = useMemo(() => (bin ? fillBins(given, bin) : given), [given, bin]);
  const geo = useMemo(() => {
    const all = series.flatMap((s) => s.points);
    if (all.length === 0) return undefined;
    let x0 = Math.min(...all.map((p) => p.x));
    let x1 = Math.max(...all.map((p) => p.x));
    // one point in time: a range of a bin (or an hour) either side, so the axis has real ticks around it
    if (x0 === x1) {
      const pad = bin ?? (xIsTime ? 3_600_000 : 1);
      x0 -= pad;
      x1 += pad;
    }
    const y1 = Math.max(0, ...all.map((p) => p.y));
    const y0 = Math.min(0, ...all.map((p) => p.y));
    const yTicks = niceTicks(y0, y1 === y0 ? y0 + 1 : y1, 4, all.every((p) => Number.isInteger(p.y)) ? 1 : 0);
    const yTop = Math.max(yTicks[yTicks.length - 1]!, y1);
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    const sy = (y: number) => H - PAD.bottom - ((y - y0) / (yTop - y0 || 1)) * (H - PAD.top - PAD.bottom);
    const xTicks = xIsTime ? timeTicks(x0, x1, 5) : niceTicks(x0, x1, 5).map((x) => ({ x, label: formatCount(+x.toPrecision(6)) }));
    return { sx, sy, yTicks, xTicks };
  }, [series, bin, xIsTime]);
  if (!geo) return <p class="muted">Nothing to chart.</p>;
  const { sx, sy, yTicks, xTicks } = geo;
  const styles = series.map((_, i) => styleOf(i, series.length));
  return (
    <figure class="chart" data-testid={testid}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} class="gridline" />
            <text x={PAD.left - 6} y={sy(t) + 4} text-anchor="end" class="tick">{formatCount(t)}</text>
          </g>
        ))}
        {xTicks.map((t) => (
          <g key={`x${t.x}`} class="x-tick">
            <line x1={sx(t.x)} x2={sx(t.x)} y1={H - PAD.bottom} y2={H - PAD.bottom + 4} class="gridline" />
            <text x={sx(t.x)} y={H - 8} text-anchor="middle" class="tick">{t.label}</text>
          </g>
        ))}
        {series.map((s, i) => {
          const pts = [...s.points].sort((a, b) => a.x - b.x);
          const st = styles[i]!;
          const marked = bin ? pts.filter((p) => p.y !== 0) : pts.length <= 200 ? pts : [];
          return (
            <g key={s.name} data-series={s.name}>
              {(bin ? [pts] : splitAtGaps(pts)).map((run, k) => (
                <polyline key={k} fill="none" stroke={st.color} stroke-width={st.width} stroke-dasharray={st.dash || undefined} stroke-linejoin="round"
                  points={run.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')} />
              ))}
              {marked.map((p, j) => (
                <Marker key={j} x={sx(p.x)} y={sy(p.y)} s={st}>
                  <title>{`${s.name}: ${formatCount(p.y)} at ${xIsTime ? new Date(p.x).toISOString() : p.x}`}</title>
                </Marker>
              ))}
            </g>
          );
        })}
      </svg>
      {series.length > 1 || series[0]?.name ? (
        <figcaption class="chart-legend">
          {series.map((s, i) => (
            <span key={s.name} data-testid="legend-item">
              <svg width="30" height="12" aria-hidden="true">
                <line x1="1" x2="29" y1="6" y2="6" stroke={styles[i]!.color} stroke-width="2" stroke-dasharray={styles[i]!.dash || undefined} />
                <Marker x={15} y={6} s={styles[i]!} />
              </svg>
              {s.name}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
