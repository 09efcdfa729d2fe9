// Crash safety of `kqlite ingest`, as a user meets it: a process killed (SIGKILL, injected at chosen points
// with KQLITE_FAULT) or a disk that fills up at any step leaves the workspace exactly as committed before —
// no half-loaded rows visible to tables, query, hunt or serve, no quarantine records without their rows, no
// ledger entry without them — and running the same ingest again loads everything exactly once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { existsSync, writeFileSync } from 'node:fs';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { readQuarantine, Workspace } from '../../src/ingest/index.js';
import { runCli, serveCli } from '../helpers/cli.js';
import { leftovers, scratchArea } from '../helpers/workspace-contents.js';

const { root, file } = scratchArea('kqlite-faults-');
let wsCount = 0;
const newWs = () => join(root, `ws${++wsCount}`);

/** `n` DeviceNetworkEvents lines with ReportIds from `from`; every 50th line is not JSON (quarantined). */
function net(name: string, n: number, from: number): { path: string; rows: number; bad: number } {
  const lines: string[] = [];
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if (i % 50 === 49) {
      lines.push('{"Timestamp": "2026-01-01T00:00:00Z", "ReportId":');
      bad++;
    } else lines.push(JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000).toISOString(), DeviceId: `d${i % 7}`, DeviceName: `host-${i % 7}`, RemoteUrl: `u${i % 13}.example`, RemotePort: 443, ReportId: from + i }));
  }
  return { path: file(name, lines.join('\n') + '\n'), rows: n - bad, bad };
}

interface State { rows: number; distinct: number; quarantinedCount: number; quarantineRecords: number }

/** What the workspace shows (read in this process: the readers the CLI commands use): rows, distinct ReportIds, quarantine counts and records. */
async function state(dir: string): Promise<State> {
  if (!existsSync(dir)) return { rows: 0, distinct: 0, quarantinedCount: 0, quarantineRecords: 0 };
  const ws = Workspace.open(dir);
  const r = runQuery('DeviceNetworkEvents | summarize n = count(), d = dcount(ReportId, 4)', { source: ws });
  const [n, d] = r.ok ? (toJsonResult(r.tables[0]!.table).rows[0] as [number, number]) : [0, 0];
  const t = ws.tables();
  assert.equal(t.reduce((a, x) => a + x.rows, 0), n, 'tables and query agree');
  return { rows: n, distinct: d, quarantinedCount: t.reduce((a, x) => a + x.quarantined, 0), quarantineRecords: readQuarantine(ws).length };
}

/** The same, through the CLI: query, tables and quarantine as a user runs them. */
async function stateByCli(dir: string): Promise<State> {
  const tables = await runCli(['tables', '--workspace', dir, '--format', 'json']);
  assert.equal(tables.code, 0, tables.stderr);
  const t = (JSON.parse(tables.stdout) as { tables: { name: string; rows: number; quarantined: number }[] }).tables;
  const q = await runCli(['query', 'DeviceNetworkEvents | summarize n = count(), d = dcount(ReportId, 4)', '--workspace', dir, '--format', 'json']);
  const [n, d] = q.code === 0 ? (JSON.parse(q.stdout) as { rows: [number, number][] }).rows[0]! : [0, 0];
  const quarantine = await runCli(['quarantine', '--workspace', dir, '--format', 'json']);
  assert.equal(quarantine.code, 0, quarantine.stderr);
  assert.equal(t.reduce((a, x) => a + x.rows, 0), n, 'tables and query agree');
  return { rows: n, distinct: d, quarantinedCount: t.reduce((a, x) => a + x.quarantined, 0), quarantineRecords: (JSON.parse(quarantine.stdout) as { total: number }).total };
}

const ingest = (dir: string, paths: string[], fault?: string, ...extra: string[]) => runCli(['ingest', ...paths, '--workspace', dir, '--threads', '1', ...extra], fault ? { env: { KQLITE_FAULT: fault } } : {});

const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/, `no stack trace: ${s}`);

for (const point of ['commit-start', 'commit-quarantine', 'commit-ledger', 'commit-manifest-temp']) {
  test(`an ingest killed at ${point} leaves the workspace as committed before; the retry loads the file once`, async () => {
    const dir = newWs();
    const f1 = net(`DeviceNetworkEvents-a-${point}.ndjson`, 400, 0);
    const f2 = net(`DeviceNetworkEvents-b-${point}.ndjson`, 600, 10_000);
    assert.equal((await ingest(dir, [f1.path])).code, 0);
    const before = await state(dir);
    assert.deepEqual(before, { rows: f1.rows, distinct: f1.rows, quarantinedCount: f1.bad, quarantineRecords: f1.bad });
    const killed = await ingest(dir, [f2.path], point);
    assert.equal(killed.signal, 'SIGKILL', `killed at ${point}: ${killed.stdout}${killed.stderr}`);
    assert.deepEqual(await state(dir), before, 'nothing of the killed ingest is visible, its quarantine neither');
    const retry = await ingest(dir, [f2.path]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, new RegExp(`read ${f2.rows + f2.bad}, loaded ${f2.rows}, quarantined ${f2.bad}`));
    const total = f1.rows + f2.rows;
    assert.deepEqual(await state(dir), { rows: total, distinct: total, quarantinedCount: f1.bad + f2.bad, quarantineRecords: f1.bad + f2.bad });
    const again = await ingest(dir, [f1.path, f2.path]);
    assert.match(again.stdout, /files skipped 2/);
    assert.deepEqual(leftovers(Workspace.open(dir)), []);
  });
}

test('a disk that fills up at the last step of an ingest: a clear message, nothing half-loaded, the retry loads once', async () => {
  const dir = newWs();
  const f1 = net('DeviceNetworkEvents-full-a.ndjson', 300, 0);
  const f2 = net('DeviceNetworkEvents-full-b.ndjson', 500, 10_000);
  assert.equal((await ingest(dir, [f1.path])).code, 0);
  const before = await state(dir);
  for (const point of ['commit-manifest-temp', 'commit-ledger-write', 'extent-data', 'extent-meta']) {
    const full = await ingest(dir, [f2.path], `${point}:enospc`);
    assert.equal(full.code, 1, `${point}: ${full.stdout}${full.stderr}`);
    assert.match(full.stderr, /stopped: the disk is full \(ENOSPC\)/, point);
    assert.match(full.stdout, /nothing of this file was kept/, point);
    noStack(full.stderr);
    assert.deepEqual(await state(dir), before, `${point}: the workspace is as before`);
  }
  assert.equal((await ingest(dir, [f2.path])).code, 0);
  const total = f1.rows + f2.rows;
  assert.deepEqual(await state(dir), { rows: total, distinct: total, quarantinedCount: f1.bad + f2.bad, quarantineRecords: f1.bad + f2.bad });
  assert.deepEqual(leftovers(Workspace.open(dir)), []);
});

test('extents of an ingest killed part way are seen by no reader: tables, query, hunt and serve show the committed state', async () => {
  const dir = newWs();
  const f1 = net('DeviceNetworkEvents-seen-a.ndjson', 500, 0);
  const more = [net('DeviceNetworkEvents-seen-b.ndjson', 700, 10_000), net('DeviceNetworkEvents-seen-c.ndjson', 700, 20_000)];
  assert.equal((await ingest(dir, [f1.path])).code, 0);
  const before = await state(dir);
  const hunt = async () => {
    const h = await runCli(['hunt', '--workspace', dir, '--format', 'json', '--as-of', '2026-01-02T00:00:00Z']);
    assert.notEqual(h.code, 1, h.stderr);
    return (JSON.parse(h.stdout) as { summary: { rowsScanned: number } }).summary.rowsScanned;
  };
  const scanned = await hunt();
  // killed once the second file's rows are written as an extent, before the commit that would list it
  const killed = await ingest(dir, more.map((f) => f.path), 'extent-written');
  assert.equal(killed.signal, 'SIGKILL');
  assert.deepEqual(await stateByCli(dir), before);
  assert.equal(await hunt(), scanned, 'a hunt scans the committed rows only');
  const served = await serveCli(['serve', '--workspace', dir, '--port', '0']);
  try {
    const status = (await (await fetch(`${served.url}/api/status`)).json()) as { tables: { name: string; rows: number }[] };
    assert.deepEqual(status.tables.map((t) => [t.name, t.rows]), [['DeviceNetworkEvents', f1.rows]]);
  } finally {
    await served.stop();
  }
  assert.equal((await ingest(dir, more.map((f) => f.path))).code, 0);
  const total = f1.rows + more[0]!.rows + more[1]!.rows;
  assert.deepEqual((await state(dir)).rows, total);
  assert.ok((await hunt()) > scanned);
  assert.deepEqual(leftovers(Workspace.open(dir)), []);
});

test('the same file ingested twice at the same time loads once; the later run waits for the first and skips it', async () => {
  const dir = newWs();
  // large enough that both runs would be reading it at once without the lock
  const f = net('DeviceNetworkEvents-twice.ndjson', 100_000, 0);
  const runs = await Promise.all([ingest(dir, [f.path], undefined, '--wait', '300'), ingest(dir, [f.path], undefined, '--wait', '300')]);
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(runs.filter((r) => /already ingested/.test(r.stdout)).length, 1, runs.map((r) => r.stdout).join('\n'));
  assert.deepEqual(await state(dir), { rows: f.rows, distinct: f.rows, quarantinedCount: f.bad, quarantineRecords: f.bad });
});

test('different files ingested at the same time: every row, every ledger entry and every new column is kept', async () => {
  const dir = newWs();
  const files = Array.from({ length: 4 }, (_, k) => {
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: `h${i}`, ReportId: k * 1000 + i, [`Extra${k}`]: `x${i}` }));
    return file(`DeviceNetworkEvents-conc-${k}.ndjson`, lines.join('\n') + '\n');
  });
  const runs = await Promise.all(files.map((f) => ingest(dir, [f])));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const s = await state(dir);
  assert.deepEqual([s.rows, s.distinct], [1600, 1600]);
  const schema = await runCli(['query', 'DeviceNetworkEvents | getschema | where ColumnName startswith "Extra" | project ColumnName | order by ColumnName asc', '--workspace', dir, '--format', 'json']);
  assert.deepEqual(JSON.parse(schema.stdout).rows, [['Extra0'], ['Extra1'], ['Extra2'], ['Extra3']]);
  const again = await ingest(dir, files);
  assert.match(again.stdout, /read 0, loaded 0, quarantined 0, files skipped 4/);
});

test('a second writer waits for the lock, then names its holder; readers are never blocked; a dead holder\'s lock is taken over', async () => {
  const dir = newWs();
  const f1 = net('DeviceNetworkEvents-lock-a.ndjson', 200, 0);
  const f2 = net('DeviceNetworkEvents-lock-b.ndjson', 200, 1000);
  assert.equal((await ingest(dir, [f1.path])).code, 0);
  const { hostname } = await import('node:os');
  // this test's process holds the lock, as an ingest in progress would
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-05-01T10:00:00.000Z', command: 'ingest' }));
  const started = Date.now();
  const busy = await ingest(dir, [f2.path], undefined, '--wait', '1');
  assert.equal(busy.code, 1);
  assert.ok(Date.now() - started >= 1000, 'it waited');
  assert.match(busy.stderr, new RegExp(`being written by another kqlite \\(pid ${process.pid}, \`kqlite ingest\`, since 2026-05-01T10:00:00.000Z\\); waited 1 s`));
  noStack(busy.stderr);
  assert.deepEqual((await state(dir)).rows, f1.rows, 'reads go on while the lock is held');
  // a lock left by a process that is gone (killed) is stale: the next writer takes it over
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: dead, host: hostname(), since: '2026-05-01T10:00:00.000Z', command: 'ingest' }));
  const r = await ingest(dir, [f2.path], undefined, '--wait', '0');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await state(dir)).rows, f1.rows + f2.rows);
  assert.equal(existsSync(join(dir, 'lock')), false, 'the lock is released');
});

test('the first ingest into a new workspace, failing at its commit, leaves nothing the next ingest could mistake for data', async () => {
  const dir = newWs();
  const f = net('DeviceNetworkEvents-first.ndjson', 300, 0);
  for (const fault of ['commit-manifest-temp:enospc', 'commit-manifest-temp']) {
    const r = await ingest(dir, [f.path], fault);
    assert.ok(r.code === 1 || r.signal === 'SIGKILL', fault);
    assert.deepEqual(await state(dir), { rows: 0, distinct: 0, quarantinedCount: 0, quarantineRecords: 0 }, fault);
  }
  assert.equal((await ingest(dir, [f.path])).code, 0);
  assert.deepEqual(await state(dir), { rows: f.rows, distinct: f.rows, quarantinedCount: f.bad, quarantineRecords: f.bad });
  assert.deepEqual(leftovers(Workspace.open(dir)), []);
});
