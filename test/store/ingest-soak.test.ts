// Soak test of ingest faults (bounded, deterministic seeds): ingests killed (SIGKILL) or failing with a full or
// broken disk at random fault points, on one thread or several, with files split across threads, and killed
// at random moments from outside. After every fault the workspace must be consistent — every committed row
// is accounted for by a ledger entry, every quarantined record by its count, no row twice — and a clean run
// afterwards must give exactly what one clean ingest gives, with nothing left over on disk.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths, Workspace } from '../../src/ingest/index.js';
import { contents, ledgerOf, leftovers, quarantineOf, scratchArea } from '../helpers/workspace-contents.js';

const { root, file } = scratchArea('kqlite-soak-');

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POINTS = ['lock-taken', 'extent-data', 'extent-meta', 'extent-written', 'commit-start', 'commit-quarantine', 'commit-ledger-write', 'commit-ledger', 'commit-manifest-temp', 'commit-done'];

function lines(table: string, n: number, from: number, extra?: string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 37 === 36) out.push('{"Timestamp": "2026-01-01T00:00:00Z", "ReportId": oops}');
    else out.push(JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000).toISOString(), DeviceName: `h${i % 11}`, ReportId: from + i, ...(table === 'DeviceProcessEvents' ? { FileName: `f${i % 5}.exe` } : { RemotePort: 443 }), ...(extra ? { [extra]: `v${i}` } : {}) }));
  }
  return out.join('\n') + '\n';
}

const FILES = [
  file('DeviceNetworkEvents-s1.ndjson', lines('DeviceNetworkEvents', 900, 0)),
  file('DeviceNetworkEvents-s2.ndjson', lines('DeviceNetworkEvents', 40, 5000)),
  file('DeviceProcessEvents-s3.ndjson', lines('DeviceProcessEvents', 1500, 10_000)),
  file('DeviceNetworkEvents-s4.ndjson', lines('DeviceNetworkEvents', 600, 20_000, 'Brand')),
  file('DeviceProcessEvents-s5.csv', 'Timestamp,DeviceName,ReportId,FileName\n' + Array.from({ length: 300 }, (_, i) => (i % 41 === 40 ? 'broken' : `2026-01-02T00:00:00Z,c${i % 3},${30_000 + i},x.exe`)).join('\n') + '\n'),
];

const OPTS = [
  { rowsPerExtent: 250, workers: 1 },
  { rowsPerExtent: 250, workers: 2 },
  { rowsPerExtent: 400, workers: 2, splitMinBytes: 0, splitBlockBytes: 8 << 10 },
];

function child(dir: string, opts: object, env: Record<string, string>, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/ingest-child.ts'), dir, JSON.stringify(opts), ...FILES], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => c.kill('SIGKILL'), killAfterMs);
    c.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

/** The workspace as committed must account for itself: rows = ledger's loaded, records = counts = ledger's quarantined, no row twice. */
function consistent(dir: string, why: string): void {
  if (!existsSync(dir)) return; // killed before it made the folder
  const ws = Workspace.open(dir);
  const ledger = ledgerOf(ws);
  const rows = ws.tables().reduce((a, t) => a + t.rows, 0);
  assert.equal(rows, ledger.reduce((a, e) => a + e.loaded, 0), `${why}: rows against the ledger`);
  const counted = [...ws.quarantined().values()].reduce((a, n) => a + n, 0);
  assert.equal(quarantineOf(ws).length, counted, `${why}: quarantine records against counts`);
  assert.equal(counted, ledger.reduce((a, e) => a + e.quarantined, 0), `${why}: quarantine against the ledger`);
  const c = contents(ws, true);
  for (const [name, t] of Object.entries(c)) {
    const at = (t.schema as { columns: { name: string }[] }).columns.findIndex((x) => x.name === 'ReportId');
    const ids = t.rows.map((r) => (r as unknown[])[at]);
    assert.equal(new Set(ids).size, ids.length, `${why}: a row of ${name} twice`);
  }
}

test('ingest faults at random points and moments never leave the workspace inconsistent; a clean run then equals one clean ingest', async () => {
  const reference = Workspace.open(join(root, 'reference'), { create: true });
  await ingestPaths(reference, FILES, { rowsPerExtent: 250, workers: 1 });
  const want = { tables: contents(reference, true), quarantine: quarantineOf(reference, true) };
  const runs = Number(process.env['KQLITE_SOAK_RUNS'] ?? 5);
  const seed = Number(process.env['KQLITE_SOAK_SEED'] ?? 20260501);
  const random = prng(seed);
  for (let run = 0; run < runs; run++) {
    const dir = join(root, `soak-${run}`);
    // some runs start from a workspace that already holds a file
    if (random() < 0.4) cpSync(join(root, 'reference'), dir, { recursive: true });
    const opts = OPTS[Math.floor(random() * OPTS.length)]!;
    const faults = 1 + Math.floor(random() * 3);
    for (let f = 0; f < faults; f++) {
      const outside = random() < 0.25;
      const point = POINTS[Math.floor(random() * POINTS.length)]!;
      const action = random() < 0.6 ? 'kill' : random() < 0.5 ? 'enospc' : 'eio';
      const spec = `${point}:${action}@${1 + Math.floor(random() * 4)}`;
      const why = `seed ${seed} run ${run} fault ${f}: ${outside ? 'killed from outside' : spec} ${JSON.stringify(opts)}`;
      const r = await child(dir, opts, outside ? {} : { KQLITE_FAULT: spec }, outside ? 200 + Math.floor(random() * 2500) : undefined);
      assert.ok(r.signal === 'SIGKILL' || r.code === 0 || (r.code === 1 && !/\n\s+at .+:\d+:\d+/.test(r.out)), `${why}: ${r.code} ${r.signal} ${r.out}`);
      consistent(dir, why);
    }
    const clean = await child(dir, opts, {});
    assert.equal(clean.code, 0, clean.out);
    consistent(dir, `seed ${seed} run ${run}: after the clean run`);
    const ws = Workspace.open(dir);
    assert.deepEqual({ tables: contents(ws, true), quarantine: quarantineOf(ws, true) }, want, `seed ${seed} run ${run}: the clean run completes the workspace`);
    assert.deepEqual(leftovers(ws), [], `seed ${seed} run ${run}: leftovers`);
  }
});
