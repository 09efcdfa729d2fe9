/**
 * CPU time of hunting shapes under two checkouts of kqlite, side by side in one process, alternately (each
 * round runs A then B, or B then A), so both see the same machine load: the A/B figures in
 * docs/PERFORMANCE.md on a shared machine.
 *   node --import tsx bench/hunting/ab-shapes.ts <checkout A> <checkout B> <data dir of one size> <shape filter> [rounds=6]
 * e.g. bench/hunting/ab-shapes.ts /tmp/main-copy . /tmp/kqlite-bench/hunt-rows-1000000 parse_json,extract 10.
 * A checkout is a directory with src/ and bench/ (a `git archive` of a commit with node_modules linked). Each
 * loads its own copy of the columns, so the process holds both (mind the heap at 10M). Prints each shape's
 * median CPU milliseconds per run for A and B after two warm-up runs each, every run, and the row counts.
 */
import { join, resolve } from 'node:path';
import type { QueryResult } from '../../src/engine/index.js';

const [dirA, dirB, data, filter, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB || !data || !filter) throw new Error('usage: ab-shapes.ts <checkout A> <checkout B> <data dir of one size> <shape filter> [rounds]');
const rounds = Number(roundsArg ?? 6);

interface Side { name: string; run: (i: number) => QueryResult; shapes: { name: string }[]; cpu: number[] }

async function side(name: string, root: string): Promise<Side> {
  const { Workspace } = await import(join(resolve(root), 'src/store/workspace.ts'));
  const { runKqlite } = await import(join(resolve(root), 'bench/hunting/engines.ts'));
  const { selectShapes } = await import(join(resolve(root), 'bench/hunting/shapes.ts'));
  const ws = Workspace.open(join(data!, 'kqlite-workspace'));
  const shapes = selectShapes(filter);
  return { name, shapes, cpu: [], run: (i) => runKqlite(shapes[i], ws) };
}

const a = await side('A', dirA);
const b = await side('B', dirB);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
for (let s = 0; s < a.shapes.length; s++) {
  a.cpu = [];
  b.cpu = [];
  const rows = { A: 0, B: 0 };
  for (let w = 0; w < 2; w++) for (const x of [a, b]) x.run(s);
  for (let r = 0; r < rounds; r++) {
    for (const x of r % 2 ? [b, a] : [a, b]) {
      const c0 = process.cpuUsage();
      const res = x.run(s);
      const u = process.cpuUsage(c0);
      x.cpu.push((u.user + u.system) / 1000);
      rows[x.name as 'A' | 'B'] = res.tables[0]?.table.length ?? 0;
    }
  }
  const show = (x: Side) => `${median(x.cpu).toFixed(0)} ms (${x.cpu.map((c) => c.toFixed(0)).join(' ')})`;
  console.log(`${a.shapes[s]!.name}: A ${show(a)} | B ${show(b)}; rows ${rows.A} / ${rows.B}`);
}
