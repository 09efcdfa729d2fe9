/**
 * CPU time of hunting shapes in one process, for profiling and A/B runs of one change (the benchmark itself
 * runs each engine in a child process and takes medians of a few runs; this warms up and runs many):
 *   node [--cpu-prof] --import tsx bench/hunting/one-shape.ts <data dir of one size> <shape filter> [runs=10]
 * e.g. bench/hunting/one-shape.ts /tmp/kqlite-bench/hunt-rows-1000000 mv-expand 10. Prints each shape's CPU
 * milliseconds per run after two warm-up runs, their median, and the row count. `--load-all` (after the
 * arguments) first loads every column of the three tables, so the heap is the benchmark's worker's after all
 * its shapes (the major collections that land in a shape then mark all of it, as there).
 */
import { join } from 'node:path';
import { Workspace } from '../../src/store/workspace.js';
import { runQuery } from '../../src/engine/index.js';
import { HUNT_NOW, HUNT_TABLES } from './data.js';
import { runKqlite } from './engines.js';
import { selectShapes } from './shapes.js';

const args = process.argv.slice(2).filter((a) => a !== '--load-all');
const loadAll = args.length < process.argv.length - 2;
const [dir, filter, runsArg] = args;
if (!dir || !filter) throw new Error('usage: one-shape.ts <data dir of one size> <shape filter> [runs]');
const runs = Number(runsArg ?? 10);
const ws = Workspace.open(join(dir, 'kqlite-workspace'));
if (loadAll) for (const t of HUNT_TABLES) runQuery(`${t} | summarize take_any(*)`, { source: ws, now: HUNT_NOW });
for (const s of selectShapes(filter)) {
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs + 2; i++) {
    const c0 = process.cpuUsage();
    const r = runKqlite(s, ws);
    const u = process.cpuUsage(c0);
    rows = r.tables[0]?.table.length ?? 0;
    if (i >= 2) cpu.push((u.user + u.system) / 1000);
  }
  const median = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)]!;
  console.log(`${s.name}: median ${median.toFixed(0)} ms CPU (${cpu.map((x) => x.toFixed(0)).join(' ')}), ${rows} rows`);
}
