/**
 * When a query result can be drawn as lines: it has a datetime column and a numeric one. Series are the
 * numeric columns, or, when a string column is there too (`summarize count() by bin(Timestamp, 1h), Device`),
 * one series per value of that column for the first numeric column.
 */
import type { QueryColumn } from '../../server/api.js';
import type { Series } from '../components/line-chart.js';

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);
const MAX_SERIES = 8;

export function chartSeries(columns: readonly QueryColumn[], rows: readonly unknown[][]): Series[] | undefined {
  const x = columns.findIndex((c) => c.type === 'datetime');
  const ys = columns.map((c, i) => (NUMERIC.has(c.type) ? i : -1)).filter((i) => i >= 0);
  if (x < 0 || ys.length === 0) return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
  const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : NaN);
  const split = columns.findIndex((c) => c.type === 'string');
  if (split >= 0) {
    const y = ys[0]!;
    const by = new Map<string, Series>();
    for (const r of rows) {
      const px = time(r[x]);
      const py = num(r[y]);
      if (Number.isNaN(px) || Number.isNaN(py)) continue;
      const name = String(r[split] ?? '');
      let s = by.get(name);
      if (!s) {
        if (by.size >= MAX_SERIES) continue;
        by.set(name, (s = { name, points: [] }));
      }
      s.points.push({ x: px, y: py });
    }
    return by.size ? [...by.values()] : undefined;
  }
  const series = ys.slice(0, MAX_SERIES).map((y) => ({
    name: columns[y]!.name,
    points: rows.map((r) => ({ x: time(r[x]), y: num(r[y]) })).filter((p) => !Number.isNaN(p.x) && !Number.isNaN(p.y)),
  }));
  return series.some((s) => s.points.length) ? series : undefined;
}
