/**
 * One measured child process of the hunting benchmark (each engine alone, so peak RSS is its own):
 *   worker.ts <kqlite|duckdb> ingest  <dataset.json> <out.json>          load the CSV files into a fresh store
 *   worker.ts <kqlite|duckdb> queries <dataset.json> <out.json> <runs> [filter]   reopen the store, run every
 *       shape (or those selectShapes(filter) picks)
 *   worker.ts kqlite memory <dataset.json> <out.json> <budgetMiB> <hunt|workbench0|workbench1|workbench2>
 *       reopen with a column-cache budget and a query memory budget of budgetMiB, run a hunt (the built-in
 *       pack, fused, over the whole workspace) or one workbench query (workbench.ts), and report peak RSS
 *   worker.ts kqlite size <dataset.json> <out.json>                       bytes of every column loaded
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import { builtinRules } from '../../src/rules/index.js';
import { Workspace } from '../../src/store/workspace.js';
import type { CanonRow } from './compare.js';
import { HUNT_NOW, HUNT_TABLES, huntCsvFiles, type HuntDataSet } from './data.js';
import { duckCanon, duckLoad, kqliteCanon, runDuck, runKqlite } from './engines.js';
import { selectShapes } from './shapes.js';
import { WORKBENCH_QUERIES, type HuntIngestOutput, type HuntQueryOutput, type MemoryOutput, type ShapeTiming } from './workbench.js';

export type { ShapeTiming, HuntQueryOutput, HuntIngestOutput, MemoryOutput } from './workbench.js';

const [engine, phase, dsFile, outFile, arg1, arg2] = process.argv.slice(2) as [string, string, string, string, string?, string?];
// (the directory the manifest lies in: a copied data directory's manifest names the one it was made in)
const ds: HuntDataSet = { ...(JSON.parse(readFileSync(dsFile, 'utf8')) as HuntDataSet), dir: dirname(dsFile) };
const wsDir = join(ds.dir, 'kqlite-workspace');
const duckFile = join(ds.dir, 'duckdb.db');
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const MiB = 1024 * 1024;
const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function main(): Promise<void> {
  if (phase === 'ingest') {
    const started = performance.now();
    if (engine === 'kqlite') {
      rmSync(wsDir, { recursive: true, force: true });
      const ws = Workspace.open(wsDir, { create: true });
      const rep = await ingestPaths(ws, huntCsvFiles(ds));
      if (rep.quarantined || rep.refusedFiles) throw new Error(`ingest set ${rep.quarantined} records aside and refused ${rep.refusedFiles} files`);
    } else {
      rmSync(duckFile, { force: true });
      rmSync(`${duckFile}.wal`, { force: true });
      const inst = await DuckDBInstance.create(duckFile);
      const conn = await inst.connect();
      await duckLoad(conn, ds);
      await conn.run('CHECKPOINT');
      conn.closeSync();
    }
    const out: HuntIngestOutput = { ms: performance.now() - started, peakRssMiB: peakRssMiB() };
    writeFileSync(outFile, JSON.stringify(out));
    return;
  }
  if (phase === 'size') {
    const ws = Workspace.open(wsDir, { cacheBytes: Number.MAX_SAFE_INTEGER });
    for (const t of HUNT_TABLES) runQuery(`${t} | summarize take_any(*)`, { source: ws, now: HUNT_NOW });
    writeFileSync(outFile, JSON.stringify({ bytes: ws.columns.bytes }));
    return;
  }
  if (phase === 'memory') {
    const budget = Number(arg1) * MiB;
    const what = arg2 ?? 'hunt';
    const baseRssMiB = Math.round(process.memoryUsage().rss / MiB);
    const ws = Workspace.open(wsDir, { cacheBytes: budget });
    const started = performance.now();
    const outcomes: string[] = [];
    if (what === 'hunt') {
      const source = ws.snapshot();
      const sharedScans = new Map();
      let ok = 0;
      const absent = new Set<string>();
      let skipped = 0;
      const ended: string[] = [];
      for (const rule of builtinRules()) {
        const r = runQuery(rule.query, { source, now: HUNT_NOW, sharedScans, memoryBudgetBytes: budget });
        const missing = r.diagnostics.find((d) => d.code === 'KQL4006');
        if (r.ok) ok++;
        else if (missing) {
          skipped++;
          absent.add(/'([^']+)'/.exec(missing.message)?.[1] ?? '?');
        } else ended.push(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
      }
      outcomes.push(`${ok} rules ran${skipped ? ` (${skipped} read ${[...absent].join(', ')}, not in this data)` : ''}${ended.length ? `, ${ended.length} ended: ${ended[0]}` : ''}`);
    } else {
      // one workbench query per process (arg: its index), so each peak is that query's own
      const i = Number(what.replace('workbench', '')) || 0;
      const r = runQuery(WORKBENCH_QUERIES[i]!, { source: ws, now: HUNT_NOW, memoryBudgetBytes: budget });
      outcomes.push(r.ok ? `${r.tables[0]?.table.length} rows` : `ended: ${r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
    }
    const out: MemoryOutput = { budgetMiB: Number(arg1), what, peakRssMiB: peakRssMiB(), baseRssMiB, ms: performance.now() - started, outcome: outcomes.join(' / '), cacheMiB: Math.round(ws.columns.bytes / MiB) };
    writeFileSync(outFile, JSON.stringify(out));
    return;
  }
  const runs = Number(arg1 ?? 3);
  const measured = selectShapes(arg2);
  const out: HuntQueryOutput = { reloadMs: 0, shapes: [], peakRssMiB: 0 };
  if (engine === 'kqlite') {
    const started = performance.now();
    const ws = Workspace.open(wsDir);
    for (const t of HUNT_TABLES) runQuery(`${t} | count`, { source: ws, now: HUNT_NOW });
    out.reloadMs = performance.now() - started;
    for (const s of measured) out.shapes.push(await timeShape(s, runs, () => runKqlite(s, ws), (r) => kqliteCanon(r, s)));
  } else {
    const started = performance.now();
    const inst = await DuckDBInstance.create(duckFile);
    const conn = await inst.connect();
    for (const t of HUNT_TABLES) await conn.runAndReadAll(`SELECT count(*) FROM "${t}"`);
    out.reloadMs = performance.now() - started;
    for (const s of measured) out.shapes.push(await timeShape(s, runs, () => runDuck(conn, s), (r) => duckCanon(r, s)));
    conn.closeSync();
  }
  out.peakRssMiB = peakRssMiB();
  writeFileSync(outFile, JSON.stringify(out));
}

/** Runs one shape `runs` times: wall and CPU time of each run; the first run's rows, canonicalised untimed. */
async function timeShape<R>(s: { name: string }, runs: number, runOnce: () => R | Promise<R>, canon: (r: R) => CanonRow[]): Promise<ShapeTiming> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let rows: CanonRow[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await runOnce();
    ms.push(performance.now() - t0);
    cpuMs.push(cpuOf(process.cpuUsage(c0)));
    if (run === 0) rows = canon(r);
  }
  return { name: s.name, ms, cpuMs, rows };
}

await main();
