// The workspace under odd names, odd paths, read-only folders, damaged files and many small files, as a
// user meets it through the CLI: right counts, every readable file loaded with a summary, reads without
// writes, a clear error naming the damaged file (never a stack trace or a wrong answer), and thousands of
// small files loaded in a few extents.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, serveCli } from '../helpers/cli.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { root, file } = scratchArea('kqlite-robust-');
let n = 0;
const newWs = () => join(root, `ws${++n}`);
const ingest = (dir: string, ...args: string[]) => runCli(['ingest', ...args, '--workspace', dir, '--threads', '1']);
const query = async (dir: string, q: string) => {
  const r = await runCli(['query', q, '--workspace', dir, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).rows as unknown[][];
};
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+|internal error/, `no stack trace: ${s}`);
const net = (i: number) => JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), DeviceName: `h${i % 5}`, RemotePort: 443, ReportId: i });

test('tables and columns named __proto__, constructor or toString are counted and queried like any other', async () => {
  const dir = newWs();
  const rec = (t: string, i: number) => JSON.stringify({ category: `AdvancedHunting-${t}`, properties: { Timestamp: '2026-01-01T00:00:00Z', constructor: `c${i}`, toString: i, ['__proto__']: { x: i } } });
  const p = file('odd-names.json', ['constructor', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor'].map(rec).join('\n') + '\n');
  const r = await runCli(['ingest', p, '--workspace', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { files: { tables: Record<string, number> }[]; loaded: number };
  assert.deepEqual(Object.entries(report.files[0]!.tables).sort(), [['__proto__', 1], ['constructor', 3], ['hasOwnProperty', 1], ['toString', 1]]);
  const tables = JSON.parse((await runCli(['tables', '--workspace', dir, '--format', 'json'])).stdout) as { tables: { name: string; rows: number }[] };
  assert.deepEqual(tables.tables.map((t) => [t.name, t.rows]), [['__proto__', 1], ['constructor', 3], ['hasOwnProperty', 1], ['toString', 1]]);
  assert.deepEqual(await query(dir, 'constructor | summarize n = count(), c = make_set(constructor), s = sum(toString)'), [[3, ['c0', 'c1', 'c5'], 6]]);
  assert.deepEqual(await query(dir, '__proto__ | project p = tostring(__proto__)'), [['{"x":2}']]);
  // a CSV whose header names them
  const csv = file('toString_export.csv', 'Timestamp,constructor,__proto__\n2026-01-01T00:00:00Z,a,b\n');
  assert.equal((await runCli(['ingest', csv, '--workspace', dir, '--table', 'Odd'])).code, 0);
  assert.deepEqual(await query(dir, 'Odd | project constructor, __proto__'), [['a', 'b']]);
});

test('paths that cannot be read are reported and skipped; every other file is loaded and summed up', async () => {
  const dir = newWs();
  const folder = join(root, 'mixed');
  mkdirSync(folder);
  writeFileSync(join(folder, 'DeviceNetworkEvents-a.ndjson'), [net(1), net(2)].join('\n') + '\n');
  writeFileSync(join(folder, 'DeviceNetworkEvents-c.ndjson'), [net(3)].join('\n') + '\n');
  symlinkSync(join(folder, 'gone.ndjson'), join(folder, 'DeviceNetworkEvents-b.ndjson')); // a broken link
  const unreadable = join(folder, 'DeviceNetworkEvents-d.ndjson');
  writeFileSync(unreadable, net(4) + '\n');
  chmodSync(unreadable, 0);
  const asRoot = process.getuid?.() === 0; // root reads it anyway
  const r = await ingest(dir, folder, join(root, 'no-such-file.ndjson'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /DeviceNetworkEvents-b\.ndjson: no such file or folder; skipped/);
  assert.match(r.stderr, /no-such-file\.ndjson: no such file or folder; skipped/);
  if (!asRoot) assert.match(r.stderr, /DeviceNetworkEvents-d\.ndjson: cannot read it \(EACCES\); skipped/);
  assert.match(r.stdout, new RegExp(`read ${asRoot ? 4 : 3}, loaded ${asRoot ? 4 : 3}, quarantined 0, files refused ${asRoot ? 2 : 3}`));
  assert.deepEqual(await query(dir, 'DeviceNetworkEvents | count'), [[asRoot ? 4 : 3]]);
  noStack(r.stderr);
});

test('--threads beyond the cores is capped, and the run says so', async () => {
  const dir = newWs();
  const r = await runCli(['ingest', file('DeviceNetworkEvents-threads.ndjson', net(1) + '\n'), '--workspace', dir, '--threads', '256']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /note: --threads 256: this machine has \d+ cores?, so \d+ threads? read/);
});

test('3,000 one-row files load as a few extents with one ledger entry each, and load again as nothing', async () => {
  const dir = newWs();
  const folder = join(root, 'many');
  mkdirSync(folder);
  for (let i = 0; i < 3000; i++) writeFileSync(join(folder, `DeviceNetworkEvents-${String(i).padStart(4, '0')}.ndjson`), net(i) + '\n');
  const started = Date.now();
  const r = await runCli(['ingest', folder, '--workspace', dir, '--quiet'], { timeoutMs: 300_000 });
  const took = Date.now() - started;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /read 3000, loaded 3000, quarantined 0/);
  const t = (JSON.parse((await runCli(['tables', '--workspace', dir, '--format', 'json'])).stdout) as { tables: { rows: number; extents: number }[] }).tables[0]!;
  assert.equal(t.rows, 3000);
  assert.ok(t.extents <= 8, `${t.extents} extents for 3,000 small files (small files share extents; many small extents are compacted)`);
  assert.ok(took < 120_000, `took ${took} ms`);
  assert.deepEqual(await query(dir, 'DeviceNetworkEvents | summarize dcount(ReportId, 4)'), [[3000]]);
  const again = await runCli(['ingest', folder, '--workspace', dir, '--quiet'], { timeoutMs: 300_000 });
  assert.match(again.stdout, /read 0, loaded 0, quarantined 0, files skipped 3000/);
});

test('kqlite compact merges runs of small extents into one; queries give the same answers', async () => {
  const dir = newWs();
  for (let k = 0; k < 5; k++) assert.equal((await ingest(dir, file(`DeviceNetworkEvents-run${k}.ndjson`, [net(k * 10), net(k * 10 + 1)].join('\n') + '\n'))).code, 0);
  const q = 'DeviceNetworkEvents | summarize n = count(), ids = make_set(ReportId) by DeviceName | order by DeviceName asc';
  const before = await query(dir, q);
  const tables = async () => (JSON.parse((await runCli(['tables', '--workspace', dir, '--format', 'json'])).stdout) as { tables: { extents: number }[] }).tables[0]!.extents;
  assert.equal(await tables(), 5);
  const c = await runCli(['compact', '--workspace', dir]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /DeviceNetworkEvents: 5 extents → 1 \(10 rows merged\)/);
  assert.equal(await tables(), 1);
  assert.deepEqual(await query(dir, q), before);
  assert.match((await runCli(['compact', '--workspace', dir])).stdout, /nothing to compact/);
});

test('a flipped bit in an extent\'s data ends the query with an error naming the table, extent and column, never a wrong answer', async () => {
  const dir = newWs();
  // values that leave every column some bytes on disk (no constant steps, which pack to nothing)
  const rows = Array.from({ length: 200 }, (_, i) => JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + ((i * i) % 977) * 60_000).toISOString(), DeviceName: `host-${i % 17}`, RemotePort: [443, 80, 8080][i % 3], RemoteUrl: `u${i}.example`, ReportId: (i * i * 7) % 1009 }));
  assert.equal((await ingest(dir, file('DeviceNetworkEvents-flip.ndjson', rows.join('\n') + '\n'))).code, 0);
  const extentDir = join(dir, 'tables', 'DeviceNetworkEvents', readdirSync(join(dir, 'tables', 'DeviceNetworkEvents')).find((e) => e.startsWith('e-'))!);
  const meta = JSON.parse(readFileSync(join(extentDir, 'meta.json'), 'utf8')) as { columns: { name: string; checks: [number, number][] }[] };
  const good = readFileSync(join(extentDir, 'data.bin'));
  // one buffer of each column flipped in turn (every buffer of every kind: test/store/checksums.test.ts)
  for (const column of ['DeviceName', 'RemotePort', 'RemoteUrl', 'ReportId', 'Timestamp']) {
    const [at] = meta.columns.find((x) => x.name === column)!.checks[0]!;
    const bad = Buffer.from(good);
    bad[at]! ^= 0x10;
    writeFileSync(join(extentDir, 'data.bin'), bad);
    const r = await runCli(['query', `DeviceNetworkEvents | summarize count(), x = dcount(${column})`, '--workspace', dir, '--format', 'json']);
    assert.equal(r.code, 1, `${column} @${at}: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`extent .*DeviceNetworkEvents/e-[\\w-]+: column ${column}: data\\.bin bytes ${at}-\\d+ do not match their checksum \\(the file is damaged\\)`), r.stderr);
    noStack(r.stderr);
  }
  writeFileSync(join(extentDir, 'data.bin'), good);
  const sum = Array.from({ length: 200 }, (_, i) => (i * i * 7) % 1009).reduce((a, b) => a + b, 0);
  assert.deepEqual(await query(dir, 'DeviceNetworkEvents | summarize count(), sum(ReportId)'), [[200, sum]]);
});

test('a damaged workspace file stops a command with an error naming the file and the way out, never a stack trace', async () => {
  const clean = newWs();
  assert.equal((await ingest(clean, file('DeviceNetworkEvents-dmg.ndjson', [net(1), '{bad', net(2)].join('\n') + '\n'))).code, 0);
  const cases: [what: string, damage: (dir: string) => string, commands: string[][], message: RegExp][] = [
    ['manifest', (d) => join(d, 'manifest.json'), [['tables'], ['query', 'DeviceNetworkEvents | count'], ['quarantine'], ['hunt'], ['ingest', file('DeviceNetworkEvents-x.ndjson', net(3) + '\n')], ['compact']], /the workspace manifest .*manifest\.json is damaged .*Restore it from a backup, or move it aside/],
    ['ledger', (d) => join(d, 'ledger', readdirSync(join(d, 'ledger'))[0]!), [['ingest', file('DeviceNetworkEvents-y.ndjson', net(4) + '\n')]], /the ledger segment .*ledger\/\d+\.ndjson is damaged at line 1 .*Restore it from a backup/],
    ['quarantine', (d) => join(d, 'quarantine', readdirSync(join(d, 'quarantine'))[0]!), [['quarantine']], /the quarantine file .*quarantine\/\d+\.ndjson is damaged at line 1 .*Restore it from a backup, or delete that line/],
    ['extent meta', (d) => join(d, 'tables', 'DeviceNetworkEvents', readdirSync(join(d, 'tables', 'DeviceNetworkEvents')).find((e) => e.startsWith('e-'))!, 'meta.json'), [['query', 'DeviceNetworkEvents | project DeviceName']], /the extent description .*meta\.json is damaged .*restore the workspace from a backup, or ingest its files again/],
  ];
  for (const [what, path, commands, message] of cases) {
    const dir = newWs();
    cpSync(clean, dir, { recursive: true });
    writeFileSync(path(dir), '{"damaged": tru');
    for (const args of commands) {
      const r = await runCli([...args, '--workspace', dir]);
      assert.equal(r.code, 1, `${what}: kqlite ${args[0]}: ${r.stdout}`);
      assert.match(r.stderr, message, `${what}: kqlite ${args[0]}`);
      noStack(r.stderr);
    }
  }
});

/** A read-only view of `dir`: a read-only bind mount when root (root ignores file modes), else the modes. */
function readOnly(dir: string): { dir: string; undo: () => void } | undefined {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['-R', 'a-w', dir]);
    return { dir, undo: () => execFileSync('chmod', ['-R', 'u+w', dir]) };
  }
  const view = `${dir}-ro`;
  mkdirSync(view);
  try {
    execFileSync('mount', ['--bind', dir, view], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'remount,bind,ro', view], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('umount', [view], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    rmSync(view, { recursive: true, force: true });
    return undefined;
  }
  return { dir: view, undo: () => (execFileSync('umount', [view]), rmSync(view, { recursive: true, force: true })) };
}

test('a read-only workspace can be read (tables, query, quarantine, hunt, serve); writing commands say it is read-only', async (t) => {
  const dir = newWs();
  assert.equal((await ingest(dir, file('DeviceNetworkEvents-ro.ndjson', [net(1), '{bad', net(2)].join('\n') + '\n'))).code, 0);
  assert.equal((await runCli(['hunt', '--workspace', dir, '--format', 'json'])).code === 1, false);
  const ro = readOnly(dir);
  if (!ro) return t.skip('no way to make a read-only folder here (root without mount)');
  try {
    const w = ro.dir;
    assert.deepEqual(JSON.parse((await runCli(['tables', '--workspace', w, '--format', 'json'])).stdout).tables.map((x: { rows: number; quarantined: number }) => [x.rows, x.quarantined]), [[2, 1]]);
    assert.deepEqual(await query(w, 'DeviceNetworkEvents | count'), [[2]]);
    assert.equal(JSON.parse((await runCli(['quarantine', '--workspace', w, '--format', 'json'])).stdout).total, 1);
    const h = await runCli(['hunt', '--workspace', w, '--format', 'json']);
    assert.notEqual(h.code, 1, h.stderr);
    assert.match(h.stderr, /is read-only: the rules run and their findings are reported, but nothing is stored/);
    noStack(h.stderr);
    for (const args of [['ingest', file('DeviceNetworkEvents-ro2.ndjson', net(3) + '\n')], ['compact'], ['demo']]) {
      const r = await runCli([...args, '--workspace', w]);
      assert.equal(r.code, 1, args[0]);
      assert.match(r.stderr, /the workspace .* is read-only/, `${args[0]}: ${r.stderr}`);
      noStack(r.stderr);
    }
    const served = await serveCli(['serve', '--workspace', w, '--port', '0']);
    try {
      const status = (await (await fetch(`${served.url}/api/status`)).json()) as { tables: { rows: number }[] };
      assert.deepEqual(status.tables.map((x) => x.rows), [2]);
      const q = await fetch(`${served.url}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'DeviceNetworkEvents | count' }) });
      assert.equal(q.status, 200);
    } finally {
      await served.stop();
    }
  } finally {
    ro.undo();
  }
});
