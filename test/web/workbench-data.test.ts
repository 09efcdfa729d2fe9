// Workbench helpers: which results become a chart, and how the query history keeps itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartSeries } from '../../src/web/workbench/chart-data.js';
import { addToHistory } from '../../src/web/workbench/history.js';
import { fillBins, niceTicks, splitAtGaps, timeTicks } from '../../src/web/components/chart-scale.js';

test('a datetime and a numeric column make one series per numeric column', () => {
  const s = chartSeries([{ name: 'Timestamp', type: 'datetime' }, { name: 'n', type: 'long' }, { name: 'avg', type: 'real' }],
    [['2026-01-01T00:00:00Z', 3, 1.5], ['2026-01-01T01:00:00Z', '9007199254740993', null]]);
  assert.deepEqual(s?.map((x) => [x.name, x.points.length]), [['n', 2], ['avg', 1]]);
  assert.equal(s?.[0]?.points[0]?.x, Date.parse('2026-01-01T00:00:00Z'));
});

test('a string column splits the first numeric column into series', () => {
  const s = chartSeries([{ name: 'Timestamp', type: 'datetime' }, { name: 'Device', type: 'string' }, { name: 'n', type: 'long' }],
    [['2026-01-01T00:00:00Z', 'a', 1], ['2026-01-01T00:00:00Z', 'b', 2], ['2026-01-01T01:00:00Z', 'a', 4]]);
  assert.deepEqual(s?.map((x) => [x.name, x.points.map((p) => p.y)]), [['a', [1, 4]], ['b', [2]]]);
});

test('no chart without both a datetime and a number', () => {
  assert.equal(chartSeries([{ name: 'n', type: 'long' }], [[1]]), undefined);
  assert.equal(chartSeries([{ name: 'Timestamp', type: 'datetime' }, { name: 's', type: 'string' }], [['2026-01-01T00:00:00Z', 'x']]), undefined);
});

test('history: newest first, a re-run moves up, bounded', () => {
  let h = addToHistory([], { query: 'A', at: '1', ok: true });
  h = addToHistory(h, { query: 'B', at: '2', ok: false });
  h = addToHistory(h, { query: ' A ', at: '3', ok: true, rows: 4 });
  assert.deepEqual(h.map((e) => [e.query, e.at]), [['A', '3'], ['B', '2']]);
  for (let i = 0; i < 10; i++) h = addToHistory(h, { query: `q${i}`, at: `${i}`, ok: true }, 5);
  assert.equal(h.length, 5);
  assert.equal(h[0]?.query, 'q9');
});

test('chart ticks are round numbers covering the range', () => {
  assert.deepEqual(niceTicks(0, 68), [0, 20, 40, 60]);
  assert.deepEqual(niceTicks(0, 1), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(0, 7), [0, 2, 4, 6]);
  assert.deepEqual(niceTicks(5, 5), [5]);
  assert.deepEqual(niceTicks(0, 2, 4, 1), [0, 1, 2], 'whole numbers only for counts');
  assert.deepEqual(niceTicks(0, 68, 4, 1), [0, 20, 40, 60]);
});

test('binned points break the line where a bin has no row; irregular points stay one line', () => {
  const hour = 3_600_000;
  const at = (...hours: number[]) => hours.map((h, i) => ({ x: h * hour, y: i }));
  assert.deepEqual(splitAtGaps(at(0, 1, 2, 5, 6, 8)).map((r) => r.map((p) => p.x / hour)), [[0, 1, 2], [5, 6], [8]]);
  assert.deepEqual(splitAtGaps(at(0, 1, 2, 3)).length, 1, 'no gap');
  assert.deepEqual(splitAtGaps(at(0, 1.2, 4, 4.5, 9)).length, 1, 'irregular: no step to judge gaps by');
  assert.deepEqual(splitAtGaps(at(0, 7)).length, 1, 'two points');
});

test('timeline bins: every hour from the first to the last of any series, empty ones at 0', () => {
  const hour = 3_600_000;
  const t0 = Date.parse('2026-11-16T00:00:00Z');
  const filled = fillBins([
    { name: 'Action1', points: [{ x: t0 + 10 * 60_000, y: 2 }, { x: t0 + 20 * 60_000, y: 1 }, { x: t0 + 3 * hour, y: 4 }] },
    { name: 'Atera', points: [{ x: t0 + 5 * hour, y: 1 }] },
  ], hour);
  assert.deepEqual(filled.map((s) => s.points.map((p) => p.y)), [[3, 0, 0, 4, 0, 0], [0, 0, 0, 0, 0, 1]]);
  assert.deepEqual(filled[0]!.points.map((p) => (p.x - t0) / hour), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(fillBins([{ name: 'x', points: [] }], hour), [{ name: 'x', points: [] }]);
});

test('time ticks sit on calendar steps and never repeat a label, however short or long the range', () => {
  const t = (iso: string) => Date.parse(iso);
  const labels = (a: string, b: string, max?: number) => timeTicks(t(a), t(b), max).map((x) => x.label);
  // one hour-bin either side of a single point (what the chart does for a one-point range)
  assert.deepEqual(labels('2026-11-17T18:00:00Z', '2026-11-17T20:00:00Z'), ['18:00', '18:30', '19:00', '19:30', '20:00']);
  assert.deepEqual(labels('2026-11-16T00:00:00Z', '2026-11-18T00:00:00Z', 5), ['11-16 00:00', '11-16 12:00', '11-17 00:00', '11-17 12:00', '11-18 00:00']);
  assert.deepEqual(labels('2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z'), ['11-05', '11-12', '11-19']);
  assert.deepEqual(labels('2026-11-17T18:00:00Z', '2026-11-17T18:00:20Z'), ['18:00:00', '18:00:05', '18:00:10', '18:00:15', '18:00:20']);
  for (const [a, b] of [['2026-11-17T18:00:00Z', '2026-11-17T18:00:00.002Z'], ['2026-01-01T00:00:00Z', '2027-06-01T00:00:00Z'], ['2026-11-16T23:00:00Z', '2026-11-17T03:00:00Z']]) {
    const l = labels(a!, b!);
    assert.equal(new Set(l).size, l.length, `${a}..${b}: ${l}`);
  }
});
