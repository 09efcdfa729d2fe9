// Ingest benchmark: a generated DeviceNetworkEvents export as NDJSON.gz streamed into a fresh workspace, in a
// child process so its peak RSS is the ingest's alone. Prints rows/s, MB/s and peak RSS (a benchmark, never a test).
//   npm run bench -- --quick                 100k rows
//   node --import tsx bench/ingest-bench.ts --ingest-rows=5000000 [--rows-per-extent=N] [--data=DIR]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
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

async function child(file: string, wsDir: string, rowsPerExtent?: number): Promise<void> {
  const { ingestPaths } = await import('../src/ingest/ingest.js');
  const { Workspace } = await import('../src/ingest/workspace.js');
  const t0 = performance.now();
  const r = await ingestPaths(Workspace.open(wsDir, { create: true }), [file], rowsPerExtent ? { rowsPerExtent } : {});
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, loaded: r.loaded, quarantined: r.quarantined, extents: r.files[0]!.extents, maxRssKb: process.resourceUsage().maxRSS }));
}

async function main(): Promise<void> {
  if (args[0] === '--child') return child(args[1]!, args[2]!, args[3] ? Number(args[3]) : undefined);
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
  const wsDir = join(dir, 'ws');
  rmSync(wsDir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/ingest-bench.ts', '--child', file, wsDir, ...(opt('rows-per-extent') ? [opt('rows-per-extent')!] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`ingest child failed (exit ${r.status})`);
  const out = JSON.parse(r.stdout) as { ms: number; loaded: number; quarantined: number; extents: number; maxRssKb: number };
  if (out.loaded !== rows || out.quarantined) throw new Error(`expected ${rows} rows loaded and none quarantined, got ${out.loaded} / ${out.quarantined}`);
  const gzBytes = statSync(file).size;
  const secs = out.ms / 1000;
  console.log(`ingest NDJSON.gz: ${rows.toLocaleString('en-US')} rows, ${(gzBytes / MB).toFixed(1)} MB gzipped${raw ? ` (${(raw / MB).toFixed(0)} MB of text)` : ''}, ${out.extents} extent(s)`);
  console.log(`  ${secs.toFixed(2)} s, ${Math.round(rows / secs).toLocaleString('en-US')} rows/s, ${(gzBytes / MB / secs).toFixed(1)} MB/s gzipped, peak RSS ${(out.maxRssKb / 1024).toFixed(0)} MB`);
  rmSync(wsDir, { recursive: true, force: true });
}

await main();
