// Engine benchmark: kqlite and DuckDB on the same generated Defender telemetry (CSV exports): ingest, reload,
// the three seed hunts, every RMM rule of the pack as one hunt, heavier queries (summarize by bin, join,
// mv-expand), and peak RSS, each engine in its own child processes. DuckDB's results are checked equal to
// kqlite's. Prints medians and ratios, and writes them into docs/PERFORMANCE.md.
//   npm run bench -- --quick               100k rows, for development
//   npm run bench -- --sizes=1M,10M --runs=3 [--ingest-runs=N] [--data=DIR] [--no-doc]
import { spawnSync } from 'node:child_process';
import { cpus, freemem, totalmem, tmpdir, type as osType, release } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureData, type DataSet } from './engine/data.js';
import { compareRows } from './engine/check.js';
import { benchLines } from './engine/queries.js';
import type { IngestOutput, QueryOutput } from './engine/worker.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick');
const parseSize = (s: string) => Math.round(Number(s.replace(/[kKmM]$/, '')) * (/[mM]$/.test(s) ? 1e6 : /[kK]$/.test(s) ? 1e3 : 1));
const sizes = (opt('sizes') ?? (quick ? '100k' : '1M,10M')).split(',').map(parseSize);
const runs = Number(opt('runs') ?? 3);
const dataRoot = opt('data') ?? join(tmpdir(), 'kqlite-bench');
const writeDoc = !args.includes('--no-doc');

interface Row { what: string; kqlite: string; duckdb: string; ratio?: number; goal?: string; met?: boolean; checked?: string }

function worker<T>(engine: string, phase: string, ds: DataSet, extra: string[] = []): T {
  const out = join(ds.dir, `out-${engine}-${phase}.json`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', 'bench/engine/worker.ts', engine, phase, join(ds.dir, 'dataset.json'), out, ...extra], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${engine} ${phase} worker failed (exit ${r.status})`);
  return JSON.parse(readFileSync(out, 'utf8')) as T;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
const num = (n: number) => n.toLocaleString('en-US');

function benchSize(rows: number): { ds: DataSet; table: Row[]; mismatches: string[] } {
  console.log(`\n### ${num(rows)} rows: generating data under ${dataRoot}`);
  const ds = ensureData(dataRoot, rows);
  console.log(`  ${num(ds.rows)} rows (${Object.entries(ds.perTable).map(([t, n]) => `${t} ${num(n)}`).join(', ')}), ${ds.devices} devices x ${ds.days} days, ${(ds.csvBytes / 1048576).toFixed(0)} MiB CSV`);
  const ingestRuns = Number(opt('ingest-runs') ?? (rows > 2_000_000 ? 1 : runs));
  const ing = { kqlite: [] as IngestOutput[], duckdb: [] as IngestOutput[] };
  for (let i = 0; i < ingestRuns; i++) {
    for (const engine of ['kqlite', 'duckdb'] as const) {
      console.log(`  ingest ${engine} (${i + 1}/${ingestRuns})`);
      ing[engine].push(worker<IngestOutput>(engine, 'ingest', ds));
    }
  }
  console.log('  queries kqlite');
  const kq = worker<QueryOutput>('kqlite', 'queries', ds, [String(runs)]);
  console.log('  queries duckdb');
  const dk = worker<QueryOutput>('duckdb', 'queries', ds, [String(runs)]);
  const lines = benchLines(ds.now);
  const table: Row[] = [];
  const mismatches: string[] = [];
  const kIngest = median(ing.kqlite.map((x) => x.ms));
  const dIngest = median(ing.duckdb.map((x) => x.ms));
  table.push({ what: `ingest (${(ds.csvBytes / 1048576).toFixed(0)} MiB CSV, ${ds.days} files per table)`, kqlite: ms(kIngest), duckdb: ms(dIngest), ratio: kIngest / dIngest, goal: '≤ 2.0', met: kIngest / dIngest <= 2 });
  table.push({ what: `reload: open, count each table (kqlite: ingest / reload = ${(kIngest / kq.reloadMs).toFixed(1)}×)`, kqlite: ms(kq.reloadMs), duckdb: ms(dk.reloadMs), ratio: kq.reloadMs / dk.reloadMs, goal: 'ingest/reload ≥ 10×', met: kIngest / kq.reloadMs >= 10 });
  for (const [i, line] of lines.entries()) {
    const k = kq.lines[i]!;
    const d = dk.lines[i]!;
    let bad = 0;
    let rowsOut = 0;
    for (const q of line.queries) {
      const problems = compareRows(k.results[q.id] ?? [], d.results[q.id] ?? [], q.sql.keys, q.sql.sets);
      rowsOut += (k.results[q.id] ?? []).length;
      if (problems.length) {
        bad++;
        mismatches.push(`${line.name} / ${q.id}: ${problems.slice(0, 3).join('; ')}`);
      }
    }
    const km = median(k.ms);
    const dm = median(d.ms);
    const isSeed = line.name.startsWith('seed');
    const isRmm = line.fused;
    table.push({
      what: line.name, kqlite: ms(km), duckdb: ms(dm), ratio: km / dm,
      ...(isSeed || isRmm ? { goal: '< 1.0', met: km / dm < 1 } : {}),
      checked: bad ? `✗ ${bad} of ${line.queries.length} differ` : `✓ equal (${num(rowsOut)} rows)`,
    });
  }
  const kMem = Math.max(...ing.kqlite.map((x) => x.peakRssMiB));
  const dMem = Math.max(...ing.duckdb.map((x) => x.peakRssMiB));
  table.push({ what: 'peak RSS, ingest', kqlite: `${kMem} MiB`, duckdb: `${dMem} MiB`, ratio: kMem / dMem, goal: '≤ 1.0', met: kMem <= dMem });
  table.push({ what: 'peak RSS, reload + all queries', kqlite: `${kq.peakRssMiB} MiB`, duckdb: `${dk.peakRssMiB} MiB`, ratio: kq.peakRssMiB / dk.peakRssMiB, goal: '≤ 1.0', met: kq.peakRssMiB <= dk.peakRssMiB });
  const disk = ing.kqlite[0]?.bytesOnDisk;
  if (disk) console.log(`  kqlite workspace on disk: ${(disk / 1048576).toFixed(0)} MiB`);
  return { ds, table, mismatches };
}

function markdown(rows: number, ds: DataSet, table: Row[]): string {
  const head = `#### ${num(ds.rows)} rows (${Object.entries(ds.perTable).map(([t, n]) => `${t} ${num(n)}`).join(', ')}; ${ds.devices} devices × ${ds.days} days; target ${num(rows)})\n\n`;
  const lines = ['| what | kqlite | DuckDB | kqlite/DuckDB | goal | results |', '|---|---:|---:|---:|---|---|'];
  for (const r of table) lines.push(`| ${r.what} | ${r.kqlite} | ${r.duckdb} | ${r.ratio !== undefined ? r.ratio.toFixed(2) : ''} | ${r.goal ? `${r.goal} ${r.met ? 'met' : '**missed**'}` : ''} | ${r.checked ?? ''} |`);
  return head + lines.join('\n') + '\n';
}

function machine(): string {
  const duck = JSON.parse(readFileSync('node_modules/@duckdb/node-api/package.json', 'utf8')) as { version: string };
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB (${(freemem() / 1024 ** 3).toFixed(0)} GiB free at the start), ${osType()} ${release()}, Node ${process.version}, DuckDB ${duck.version} (@duckdb/node-api, default settings: all cores)`;
}

/** Each size's table replaces the one of the same size in docs/PERFORMANCE.md (others are kept). */
function writeSection(rows: number, md: string): void {
  const doc = 'docs/PERFORMANCE.md';
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Performance\n';
  const start = `<!-- engine-bench:${rows} -->`;
  const end = `<!-- /engine-bench:${rows} -->`;
  const body = `${start}\n${md}\nMachine: ${machine()}. Run: \`npm run bench -- ${args.join(' ') || '(defaults)'}\`, ${new Date().toISOString().slice(0, 10)}; medians of ${runs} runs (ingest: ${opt('ingest-runs') ?? `${runs}, 1 at 10M rows`}); each engine in its own child process.\n${end}`;
  const next = text.includes(start) ? text.slice(0, text.indexOf(start)) + body + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${body}\n`;
  writeFileSync(doc, next);
  console.log(`wrote ${doc}`);
}

function main(): void {
  mkdirSync(dataRoot, { recursive: true });
  let failed = false;
  for (const rows of sizes) {
    const { ds, table, mismatches } = benchSize(rows);
    const md = markdown(rows, ds, table);
    console.log('\n' + md);
    if (mismatches.length) {
      failed = true;
      console.log('Result differences:\n' + mismatches.map((m) => `  ${m}`).join('\n'));
    }
    if (writeDoc) writeSection(rows, md);
  }
  process.exitCode = failed ? 1 : 0;
}

main();
