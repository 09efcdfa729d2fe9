// Hunting benchmark: the query shapes real hunts use (bench/hunting/shapes.ts: binned summarize, arg_max,
// process↔network joins, IOC datatables, has_any lists, mv-expand + parse_json, extract/parse, make_set,
// top-nested, make-series, union), kqlite against DuckDB on the same generated telemetry, each engine in
// its own child process; every shape's rows are checked equal to DuckDB's. Then the memory check: a hunt
// and workbench queries over the workspace with a column-cache and query budget a third of its loaded size
// or less, peak RSS against budget + 300 MB. Writes the tables into docs/PERFORMANCE.md.
//   node --import tsx bench/hunting-bench.ts [--hunt-rows=1M] [--runs=3] [--budget-mib=512] [--data=DIR] [--no-doc]
//   npm run bench -- --quick            (100k rows, no doc); --reuse-stores keeps the stores an earlier run loaded
//   --shapes=WORD,WORD                  only the shapes whose name contains a word (no memory runs, no doc)
import { spawnSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCanonical } from './hunting/compare.js';
import { ensureHuntData, type HuntDataSet } from './hunting/data.js';
import { selectShapes } from './hunting/shapes.js';
import { WORKBENCH_QUERIES, type HuntIngestOutput, type HuntQueryOutput, type MemoryOutput } from './hunting/workbench.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick');
const parseSize = (s: string) => Math.round(Number(s.replace(/[kKmM]$/, '')) * (/[mM]$/.test(s) ? 1e6 : /[kK]$/.test(s) ? 1e3 : 1));
const rows = parseSize(opt('hunt-rows') ?? (quick ? '100k' : '1M'));
const runs = Number(opt('runs') ?? 3);
const budgetMiB = Number(opt('budget-mib') ?? 512);
const dataRoot = opt('data') ?? join(tmpdir(), 'kqlite-bench');
const shapeFilter = opt('shapes');
const writeDoc = !args.includes('--no-doc') && !quick && !shapeFilter;

function worker<T>(engine: string, phase: string, ds: HuntDataSet, extra: string[] = []): T {
  const out = join(ds.dir, `out-${engine}-${phase}.json`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', 'bench/hunting/worker.ts', engine, phase, join(ds.dir, 'dataset.json'), out, ...extra], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${engine} ${phase} worker failed (exit ${r.status})`);
  return JSON.parse(readFileSync(out, 'utf8')) as T;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 0)} ms`);
const num = (n: number) => n.toLocaleString('en-US');

function machine(): string {
  const duck = JSON.parse(readFileSync('node_modules/@duckdb/node-api/package.json', 'utf8')) as { version: string };
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB (${(freemem() / 1024 ** 3).toFixed(0)} GiB free at the start), ${osType()} ${release()}, Node ${process.version}, DuckDB ${duck.version} (@duckdb/node-api, default settings: all cores)`;
}

function commit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'bench'], { encoding: 'utf8' }).stdout.trim();
  return `${r.stdout.trim()}${dirty ? ' (with uncommitted changes)' : ''}`;
}

function main(): void {
  const loadAtStart = loadavg();
  mkdirSync(dataRoot, { recursive: true });
  console.log(`\n### hunting shapes, ${num(rows)} rows: data under ${dataRoot}`);
  let t = performance.now();
  const ds = ensureHuntData(dataRoot, rows);
  console.log(`  ${num(ds.rows)} rows (${Object.entries(ds.perTable).map(([k, n]) => `${k} ${num(n)}`).join(', ')}), ${ds.devices} devices x ${ds.days} days, ${(ds.csvBytes / 1048576).toFixed(0)} MiB CSV (${ms(performance.now() - t)})`);
  const ingest: Record<string, HuntIngestOutput> = {};
  for (const engine of ['kqlite', 'duckdb']) {
    // --reuse-stores: keep the stores a previous run of this size loaded (the shapes are what is measured)
    const saved = join(ds.dir, `out-${engine}-ingest.json`);
    if (args.includes('--reuse-stores') && existsSync(saved)) ingest[engine] = JSON.parse(readFileSync(saved, 'utf8')) as HuntIngestOutput;
    else ingest[engine] = worker<HuntIngestOutput>(engine, 'ingest', ds);
    console.log(`  ingest ${engine}: ${ms(ingest[engine]!.ms)}`);
  }
  const shapes = selectShapes(shapeFilter);
  const kq = worker<HuntQueryOutput>('kqlite', 'queries', ds, [String(runs), shapeFilter ?? '']);
  const dk = worker<HuntQueryOutput>('duckdb', 'queries', ds, [String(runs), shapeFilter ?? '']);
  const lines = ['| shape | kqlite | DuckDB | kqlite/DuckDB | CPU: kqlite / DuckDB | rows | equal to DuckDB |', '|---|---:|---:|---:|---:|---:|---|'];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const mismatches: string[] = [];
  for (const [i, s] of shapes.entries()) {
    const k = kq.shapes[i]!, d = dk.shapes[i]!;
    const problems = compareCanonical(k.rows, d.rows, s.reals);
    if (problems.length) mismatches.push(`${s.name}: ${problems.join('; ')}`);
    const km = median(k.ms), dm = median(d.ms);
    const kc = median(k.cpuMs), dc = median(d.cpuMs);
    ratios.push(km / dm);
    cpuRatios.push(kc / dc);
    lines.push(`| ${s.name} | ${ms(km)} | ${ms(dm)} | ${(km / dm).toFixed(2)}${km / dm > 1 ? ' **> 1**' : ''} | ${ms(kc)} / ${ms(dc)} = ${(kc / dc).toFixed(2)} | ${num(k.rows.length)} | ${problems.length ? `✗ ${problems[0]}` : '✓ row by row'} |`);
  }
  const geoOf = (xs: number[]) => Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / xs.length);
  const geo = geoOf(ratios);
  lines.push(`| **geometric mean of ${ratios.length} shapes** | | | **${geo.toFixed(2)}** | **${geoOf(cpuRatios).toFixed(2)}** | | ${mismatches.length ? `✗ ${mismatches.length} differ` : '✓ all equal'} |`);
  const over = ratios.filter((r) => r > 1).length;
  const summary = `Goals (issue #21, at 10M rows): every shape ≤ 1.0× DuckDB — ${over ? `**missed** by ${over} of ${ratios.length}` : 'met'} here; geometric mean ≤ 0.3× — ${geo <= 0.3 ? 'met' : '**missed**'} (${geo.toFixed(2)}). Times are medians of ${runs} runs (the first run of each shape reads its columns from disk, on both sides); CPU is the process's user + system time over the same runs (DuckDB's threads included), steadier than wall time on a shared machine. Load average at the start: ${loadAtStart.map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores. Ingest (not a goal here): kqlite ${ms(ingest['kqlite']!.ms)}, DuckDB ${ms(ingest['duckdb']!.ms)}; peak RSS over all shapes: kqlite ${kq.peakRssMiB} MiB, DuckDB ${dk.peakRssMiB} MiB.`;

  const head = `#### ${num(ds.rows)} rows (${Object.entries(ds.perTable).map(([k, n]) => `${k} ${num(n)}`).join(', ')}; ${ds.devices} devices × ${ds.days} days)\n\n`;
  if (shapeFilter) {
    console.log(`\n${head}${lines.join('\n')}\n`);
    if (mismatches.length) console.log(`Result differences:\n${mismatches.map((m) => `  ${m}`).join('\n')}`);
    process.exitCode = mismatches.length ? 1 : 0;
    return;
  }

  // memory: the workspace's loaded size against the budget, then a hunt and the workbench queries
  const size = worker<{ bytes: number }>('kqlite', 'size', ds);
  const sizeMiB = Math.round(size.bytes / 1048576);
  const memBudget = opt('budget-mib') ? budgetMiB : Math.min(budgetMiB, Math.floor(sizeMiB / 3));
  const runsOf = ['hunt', 'workbench0', 'workbench1', 'workbench2'];
  const mem = runsOf.map((w) => worker<MemoryOutput>('kqlite', 'memory', ds, [String(memBudget), w]));
  const memLines = ['| run (own process) | budget: column cache, and query | peak RSS | limit: budget + 300 MB | time | outcome |', '|---|---:|---:|---|---:|---|'];
  const what = (w: string) => (w === 'hunt' ? 'hunt: the built-in pack, fused, whole workspace' : `workbench: ${WORKBENCH_QUERIES[Number(w.slice(9))]!.replace(/\n/g, ' ').replace(/\|/g, '/')}`);
  for (const m of mem) {
    const limit = m.budgetMiB + 286; // 300 MB = 286 MiB
    memLines.push(`| ${what(m.what)} | ${m.budgetMiB} MiB | ${m.peakRssMiB} MiB | ${m.peakRssMiB <= limit ? 'within' : '**over**'} (${limit} MiB) | ${ms(m.ms)} | ${m.outcome.replace(/\|/g, '/')} |`);
  }
  const memHead = `Workspace: ${sizeMiB} MiB with every column loaded (${(sizeMiB / memBudget).toFixed(1)}× the budget), each run a fresh process (RSS before opening: ${mem[0]!.baseRssMiB} MiB).`;

  const md = `${head}${lines.join('\n')}\n\n${summary}\n\n${memHead}\n\n${memLines.join('\n')}\n`;
  console.log(`\n${md}`);
  if (mismatches.length) console.log(`Result differences:\n${mismatches.map((m) => `  ${m}`).join('\n')}`);
  if (writeDoc) {
    const doc = 'docs/PERFORMANCE.md';
    const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Performance\n';
    // one table per size: a 1M run does not replace the 10M table
    const start = `<!-- hunting-bench:${rows} -->`;
    const end = `<!-- /hunting-bench:${rows} -->`;
    const body = `${start}\n${md}\nMachine: ${machine()}. Commit ${commit()}. Run: \`node --import tsx bench/hunting-bench.ts ${args.join(' ')}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; medians of ${runs} runs; each engine in its own child process.\n${end}`;
    const next = text.includes(start) ? text.slice(0, text.indexOf(start)) + body + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${body}\n`;
    writeFileSync(doc, next);
    console.log(`wrote ${doc}`);
  }
  process.exitCode = mismatches.length ? 1 : 0;
}

main();
