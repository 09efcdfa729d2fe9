// Ingest benchmark: a generated DeviceNetworkEvents export as NDJSON.gz streamed into a fresh workspace, and the
// same file loaded by DuckDB (read_json into a typed table), each in a child process so its peak RSS is its own.
// Prints rows/s, MB/s, peak RSS, bytes per row on disk and in memory, reload time, and the ratios to DuckDB
// (a benchmark, never a test).
//   npm run bench -- --quick                 100k rows
//   node --import tsx bench/ingest-bench.ts --ingest-rows=5000000 [--runs=3] [--rows-per-extent=N] [--data=DIR] [--no-duckdb]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const MB = 1e6;

async function generate(file: string, rows: number): Promise<number> {
  const gz = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gz.pipe(out);
  let raw = 0;
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < rows; i++) {
    const line = JSON.stringify({
      Timestamp: new Date(start + i * 37).toISOString(), DeviceId: `dev-${(i * 7919) % 5000}`, DeviceName: `host-${(i * 7919) % 5000}.corp.example`,
      ActionType: i % 10 ? 'ConnectionSuccess' : 'ConnectionFailed', RemoteIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, RemotePort: [443, 80, 8080, 3389][i % 4],
      RemoteUrl: `svc${i % 2000}.vendor${i % 37}.com`, LocalIP: `192.168.${i % 200}.${(i * 13) % 250}`, LocalPort: 49152 + (i % 16000), Protocol: 'Tcp',
      InitiatingProcessFileName: ['chrome.exe', 'svchost.exe', 'AnyDesk.exe', 'teams.exe'][i % 4], InitiatingProcessId: 1000 + (i % 9000),
      InitiatingProcessCommandLine: `"C:\\Program Files\\App${i % 50}\\app.exe" --session ${i % 100000}`, InitiatingProcessAccountName: `user${i % 800}`, ReportId: i,
    }) + '\n';
    raw += line.length;
    if (!gz.write(line)) await once(gz, 'drain');
  }
  gz.end();
  await once(out, 'close');
  return raw;
}

/**
 * The ingest runs the compiled JavaScript (dist/) in a plain `node` (no tsx), as `kqlite ingest` does: from
 * source, every ingest thread would first compile the TypeScript it loads, which is no part of an ingest;
 * and a child started with `--import tsx` passes that flag to its worker threads, whose every module is
 * then resolved through tsx's loader hooks (1-2 s of CPU per 1M-row ingest on this host, measured). So
 * the child is this module, written beside the data and run by node alone (not `-e`: worker threads inherit
 * `--input-type` and refuse to start). main() builds dist first.
 */
const DIST = new URL('../dist/', import.meta.url).href;
const KQLITE_CHILD = `
const [file, wsDir, rowsPerExtent] = process.argv.slice(2);
const { ingestPaths } = await import(${JSON.stringify(DIST + 'ingest/ingest.js')});
const { Workspace } = await import(${JSON.stringify(DIST + 'store/workspace.js')});
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await ingestPaths(Workspace.open(wsDir, { create: true }), [file], rowsPerExtent ? { rowsPerExtent: Number(rowsPerExtent) } : {});
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, loaded: r.loaded, quarantined: r.quarantined, extents: r.files[0].extents, maxRssKb: process.resourceUsage().maxRSS }));
`;

/** CPU time of the whole process (every thread: workers, zlib's, DuckDB's) since `c0`, in ms. */
const cpuMsSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

/** Reload: open the workspace and count the table (what a first query pays), then load every column to size the data in memory. */
async function reloadChild(wsDir: string): Promise<void> {
  const { Workspace } = await import('../src/store/workspace.js');
  const { runQuery } = await import('../src/engine/index.js');
  const t0 = performance.now();
  const ws = Workspace.open(wsDir);
  const r = runQuery('DeviceNetworkEvents | count', { source: ws });
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error('count failed');
  // every column read and widened (the extents' data.bin already in the page cache: the ingest wrote it)
  const c0 = process.cpuUsage();
  const l0 = performance.now();
  for (const t of ws.scan('DeviceNetworkEvents')) for (const c of t.columns) void c.column;
  const loadMs = performance.now() - l0;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ ms, memoryBytes: ws.columns.bytes, loadMs, loadCpuMs: (cpu.user + cpu.system) / 1000 }));
}

async function duckReloadChild(file: string, dbFile: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const t0 = performance.now();
  const conn = await (await DuckDBInstance.create(dbFile)).connect();
  await conn.runAndReadAll('SELECT count(*) FROM DeviceNetworkEvents');
  const ms = performance.now() - t0;
  conn.closeSync();
  // in memory: the same rows loaded into an in-memory database, as DuckDB accounts its own blocks
  const mem = await (await DuckDBInstance.create(':memory:')).connect();
  const cols = Object.entries(DUCK_COLUMNS).map(([k, v]) => `'${k}': '${v}'`).join(', ');
  await mem.run(`CREATE TABLE DeviceNetworkEvents AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${cols}})`);
  const used = Number((await mem.runAndReadAll('SELECT sum(memory_usage_bytes) FROM duckdb_memory()')).getRows()[0]![0]);
  mem.closeSync();
  process.stdout.write(JSON.stringify({ ms, memoryBytes: used }));
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0);
}

/** The generated columns with their Kusto types (DeviceNetworkEvents' schema), for DuckDB's read_json. */
const DUCK_COLUMNS: Record<string, string> = {
  Timestamp: 'TIMESTAMP_NS', DeviceId: 'VARCHAR', DeviceName: 'VARCHAR', ActionType: 'VARCHAR', RemoteIP: 'VARCHAR', RemotePort: 'INTEGER', RemoteUrl: 'VARCHAR',
  LocalIP: 'VARCHAR', LocalPort: 'INTEGER', Protocol: 'VARCHAR', InitiatingProcessFileName: 'VARCHAR', InitiatingProcessId: 'BIGINT',
  InitiatingProcessCommandLine: 'VARCHAR', InitiatingProcessAccountName: 'VARCHAR', ReportId: 'BIGINT',
};

async function duckChild(file: string, dbFile: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  rmSync(dbFile, { force: true });
  rmSync(dbFile + '.wal', { force: true });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const inst = await DuckDBInstance.create(dbFile);
  const conn = await inst.connect();
  const cols = Object.entries(DUCK_COLUMNS).map(([k, v]) => `'${k}': '${v}'`).join(', ');
  await conn.run(`CREATE TABLE DeviceNetworkEvents AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${cols}})`);
  await conn.run('CHECKPOINT');
  const ms = performance.now() - t0;
  const cpuMs = cpuMsSince(c0);
  const loaded = Number((await conn.runAndReadAll('SELECT count(*) FROM DeviceNetworkEvents')).getRows()[0]![0]);
  conn.closeSync();
  process.stdout.write(JSON.stringify({ ms, cpuMs, loaded, quarantined: 0, extents: 0, maxRssKb: process.resourceUsage().maxRSS }));
}

type ChildOut = { ms: number; cpuMs: number; loaded: number; quarantined: number; extents: number; maxRssKb: number };
type ReloadOut = { ms: number; memoryBytes: number; loadMs?: number; loadCpuMs?: number };
let kqliteChild = '';
function runChild<T = ChildOut>(childArgs: string[]): T {
  const argv = childArgs[0] === '--child' ? [kqliteChild, ...childArgs.slice(1)] : ['--import', 'tsx', 'bench/ingest-bench.ts', ...childArgs];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${childArgs[0]} failed (exit ${r.status})`);
  return JSON.parse(r.stdout) as T;
}

async function main(): Promise<void> {
  if (args[0] === '--duck-child') return duckChild(args[1]!, args[2]!);
  if (args[0] === '--reload-child') return reloadChild(args[1]!);
  if (args[0] === '--duck-reload-child') return duckReloadChild(args[1]!, args[2]!);
  const rows = Number(opt('ingest-rows') ?? (args.includes('--quick') ? 100_000 : 1_000_000));
  const dir = opt('data') ?? join(tmpdir(), 'kqlite-bench-ingest');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `DeviceNetworkEvents-${rows}.ndjson.gz`);
  let raw = 0;
  if (!existsSync(file)) {
    console.log(`generating ${rows.toLocaleString('en-US')} rows into ${file}`);
    raw = await generate(file + '.tmp', rows);
    spawnSync('mv', [file + '.tmp', file]);
  }
  kqliteChild = join(dir, 'kqlite-ingest-child.mjs');
  writeFileSync(kqliteChild, KQLITE_CHILD);
  const wsDir = join(dir, 'ws');
  rmSync(wsDir, { recursive: true, force: true });
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building dist/ (tsc) failed');
  // runs alternate between kqlite and DuckDB, so a machine that speeds up or slows down (shared hosts do)
  // weighs on both alike; each side reports its median run, and the ratio is the median of the pairs'
  const runs = Number(opt('runs') ?? (args.includes('--quick') ? 1 : 3));
  const ours: ChildOut[] = [];
  const theirs: ChildOut[] = [];
  for (let r = 0; r < runs; r++) {
    rmSync(wsDir, { recursive: true, force: true });
    const o = runChild(['--child', file, wsDir, ...(opt('rows-per-extent') ? [opt('rows-per-extent')!] : [])]);
    if (o.loaded !== rows || o.quarantined) throw new Error(`expected ${rows} rows loaded and none quarantined, got ${o.loaded} / ${o.quarantined}`);
    ours.push(o);
    if (args.includes('--no-duckdb')) continue;
    const d = runChild(['--duck-child', file, join(dir, 'duck.db')]);
    if (d.loaded !== rows) throw new Error(`DuckDB loaded ${d.loaded} rows, expected ${rows}`);
    theirs.push(d);
  }
  const median = <T>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[xs.length >> 1]!;
  const out = median(ours, (o) => o.ms);
  const duck = theirs.length ? median(theirs, (o) => o.ms) : undefined;
  const pairRatio = theirs.length ? median(ours.map((o, i) => o.ms / theirs[i]!.ms), (x) => x) : undefined;
  const cpuRatio = theirs.length ? median(ours.map((o, i) => o.cpuMs / theirs[i]!.cpuMs), (x) => x) : undefined;
  const list = (xs: ChildOut[], key: (o: ChildOut) => number) => xs.map((o) => key(o).toFixed(0)).join(', ');
  const runsLine = runs > 1 ? `  runs (ms): kqlite ${list(ours, (o) => o.ms)}${theirs.length ? `; DuckDB ${list(theirs, (o) => o.ms)}` : ''}\n  CPU (ms, every thread): kqlite ${list(ours, (o) => o.cpuMs)}${theirs.length ? `; DuckDB ${list(theirs, (o) => o.cpuMs)}` : ''}` : undefined;
  const gzBytes = statSync(file).size;
  const line = (who: string, o: ChildOut) => {
    const secs = o.ms / 1000;
    console.log(`  ${who}: ${secs.toFixed(2)} s${runs > 1 ? ' (median)' : ''} (${(o.cpuMs / 1000).toFixed(2)} s CPU), ${Math.round(rows / secs).toLocaleString('en-US')} rows/s, ${(gzBytes / MB / secs).toFixed(1)} MB/s gzipped, peak RSS ${(o.maxRssKb / 1024).toFixed(0)} MB`);
  };
  console.log(`ingest NDJSON.gz: ${rows.toLocaleString('en-US')} rows, ${(gzBytes / MB).toFixed(1)} MB gzipped${raw ? ` (${(raw / MB).toFixed(0)} MB of text)` : ''}, ${out.extents} extent(s)`);
  if (runsLine) console.log(runsLine);
  line('kqlite', out);
  const reload = runChild<ReloadOut>(['--reload-child', wsDir]);
  const disk = sizeOf(join(wsDir, 'tables'));
  const perRow = (b: number) => `${(b / rows).toFixed(1)} B/row`;
  console.log(`  kqlite: on disk ${perRow(disk)}, in memory ${perRow(reload.memoryBytes)} (every column loaded), reload (open + count) ${reload.ms.toFixed(0)} ms = ingest / ${(out.ms / reload.ms).toFixed(0)}, every column loaded in ${reload.loadMs!.toFixed(0)} ms (${reload.loadCpuMs!.toFixed(0)} ms CPU)`);
  if (duck) {
    line('DuckDB read_json', duck);
    const duckReload = runChild<ReloadOut>(['--duck-reload-child', file, join(dir, 'duck.db')]);
    const duckDisk = statSync(join(dir, 'duck.db')).size;
    console.log(`  DuckDB: on disk ${perRow(duckDisk)}, in memory ${perRow(duckReload.memoryBytes)} (in-memory database, duckdb_memory()), reload (open + count) ${duckReload.ms.toFixed(0)} ms`);
    console.log(`  kqlite/DuckDB: time ${pairRatio!.toFixed(2)} (median of the runs' ratios), CPU ${cpuRatio!.toFixed(2)}, peak RSS ${(out.maxRssKb / duck.maxRssKb).toFixed(2)}, bytes/row on disk ${(disk / duckDisk).toFixed(2)}, in memory ${(reload.memoryBytes / duckReload.memoryBytes).toFixed(2)}, reload ${(reload.ms / duckReload.ms).toFixed(2)}`);
  }
  rmSync(wsDir, { recursive: true, force: true });
  rmSync(join(dir, 'duck.db'), { force: true });
  rmSync(kqliteChild, { force: true });
}

await main();
