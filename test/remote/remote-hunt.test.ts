// Rules on a remote Kusto engine (a second kqlite serve standing in for Azure Data Explorer), through the
// CLI as a user runs them: `kqlite hunt --cluster` gives the findings a local hunt gives, `kqlite export`
// moves a workspace into an empty server and queries there give the same rows, saved remotes work by name.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { runCli, serveCli, type ServedCli } from '../helpers/cli.js';

let root: string;
let data: string;
let served: ServedCli;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-remote-'));
  data = join(root, 'data');
  createDemoWorkspace(data, { devices: 14, days: 3 });
  served = await serveCli(['serve', '--workspace', data, '--port', '0']);
});
after(async () => {
  await served.stop();
  rmSync(root, { recursive: true, force: true });
});

interface HuntJson { asOf: string; summary: { remote?: string; findingsNew: number }; findings: { id: string; ruleId: string; device: string | null; count: number; firstSeen: string; lastSeen: string }[] }

test('kqlite hunt --cluster gives the findings a local hunt gives, and names the remote on the run', async () => {
  const local = await runCli(['hunt', '--workspace', data, '--format', 'json']);
  assert.ok(local.code === 0 || local.code === 2, local.stderr);
  const here = join(root, 'analyst');
  const remote = await runCli(['hunt', '--workspace', here, '--cluster', served.url, '--database', 'kqlite', '--format', 'json'], { timeoutMs: 240_000 });
  assert.ok(remote.code === 0 || remote.code === 2, remote.stderr);
  const a = JSON.parse(local.stdout) as HuntJson;
  const b = JSON.parse(remote.stdout) as HuntJson;
  assert.ok(a.findings.length > 5, `the demo should give findings, got ${a.findings.length}`);
  assert.equal(b.asOf, a.asOf, 'now() is the latest event in both');
  const key = (f: HuntJson['findings'][number]) => `${f.id} ${f.ruleId} ${f.device} ${f.count} ${f.firstSeen} ${f.lastSeen}`;
  assert.deepEqual(b.findings.map(key).sort(), a.findings.map(key).sort());
  assert.equal(b.summary.remote, `kusto ${served.url}/kqlite`);
  const runs = await runCli(['runs', '--workspace', here, '--format', 'json']);
  assert.match(runs.stdout, new RegExp(`kusto ${served.url.replace(/[.]/g, '\\.')}/kqlite`));
  // triage works on remote findings as on local ones
  const id = b.findings[0]!.id;
  const set = await runCli(['findings', 'set', id, '--status', 'benign', '--workspace', here]);
  assert.equal(set.code, 0, set.stderr);
});

test('kqlite export moves the workspace into an empty server; the same query gives the same rows there', async () => {
  const empty = join(root, 'empty');
  // --allow-ingest: a server takes .create-merge table / .ingest inline only when told to
  const second = await serveCli(['serve', '--workspace', empty, '--port', '0', '--allow-ingest'], {}).catch(async () => {
    // serve needs an existing workspace: make one with no tables
    const { mkdirSync } = await import('node:fs');
    mkdirSync(empty, { recursive: true });
    return serveCli(['serve', '--workspace', empty, '--port', '0', '--allow-ingest']);
  });
  try {
    const exp = await runCli(['export', '--workspace', data, '--cluster', second.url, '--database', 'kqlite', '--tables', 'DeviceNetworkEvents,DeviceInfo'], { timeoutMs: 240_000 });
    assert.equal(exp.code, 0, exp.stderr);
    assert.match(exp.stdout, /DeviceNetworkEvents: [\d,]+ rows/);
    const q = 'DeviceNetworkEvents | order by Timestamp asc, DeviceName asc, RemoteUrl asc, RemotePort asc, InitiatingProcessCommandLine asc | project-away ReportId';
    const there = await runCli(['query', q, '--cluster', second.url, '--database', 'kqlite', '--format', 'json']);
    const here = await runCli(['query', q, '--workspace', data, '--format', 'json']);
    assert.equal(there.code, 0, there.stderr);
    assert.equal(here.code, 0, here.stderr);
    const a = JSON.parse(here.stdout) as { columns: unknown[]; rows: unknown[][] };
    const b = JSON.parse(there.stdout) as { columns: unknown[]; rows: unknown[][] };
    assert.ok(a.rows.length > 100);
    assert.deepEqual(b.columns, a.columns);
    assert.deepEqual(b.rows, a.rows);
    const info = await runCli(['query', 'DeviceInfo | summarize count(), dcount(DeviceName)', '--cluster', second.url, '--database', 'kqlite', '--format', 'json']);
    const infoHere = await runCli(['query', 'DeviceInfo | summarize count(), dcount(DeviceName)', '--workspace', data, '--format', 'json']);
    assert.equal(info.stdout, infoHere.stdout);
  } finally {
    await second.stop();
  }
});

test('saved remotes: add, list, test, use by name, remove; no secret is ever written', async () => {
  const ws = join(root, 'saved');
  const add = await runCli(['remotes', 'add', 'lab', '--workspace', ws, '--cluster', served.url, '--database', 'kqlite']);
  assert.equal(add.code, 0, add.stderr);
  const list = await runCli(['remotes', 'list', '--workspace', ws]);
  assert.match(list.stdout, /lab\s+kusto\s+http:\/\/127\.0\.0\.1:\d+\/kqlite\s+none/);
  const t = await runCli(['remotes', 'test', 'lab', '--workspace', ws]);
  assert.equal(t.code, 0, t.stderr);
  const q = await runCli(['query', 'DeviceInfo | count', '--workspace', ws, '--remote', 'lab', '--format', 'csv']);
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, /^Count\n\d+\n$/);
  const secret = await runCli(['remotes', 'add', 'adx', '--workspace', ws, '--cluster', 'https://help.kusto.windows.net', '--database', 'Samples', '--auth', 'client-secret', '--tenant', 't', '--client-id', 'c', '--client-secret-env', 'MY_SECRET']);
  assert.equal(secret.code, 0, secret.stderr);
  const json = await runCli(['remotes', 'list', '--workspace', ws, '--format', 'json']);
  assert.match(json.stdout, /"secretEnv": "MY_SECRET"/);
  const dup = await runCli(['remotes', 'add', 'lab', '--workspace', ws, '--cluster', served.url, '--database', 'kqlite']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /exists/);
  assert.equal((await runCli(['remotes', 'remove', 'lab', '--workspace', ws])).code, 0);
  const gone = await runCli(['query', 'print 1', '--workspace', ws, '--remote', 'lab']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /no remote named 'lab'/);
});

test('remote failures are one clear line: nothing listening, a semantic error there, bad flags', async () => {
  const down = await runCli(['query', 'print 1', '--cluster', 'http://127.0.0.1:9', '--database', 'kqlite']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^kqlite query: kusto http:\/\/127\.0\.0\.1:9\/kqlite: /);
  assert.doesNotMatch(down.stderr, /\n\s+at /);
  const sem = await runCli(['query', 'DeviceInfo | where Nope == 1', '--cluster', served.url, '--database', 'kqlite']);
  assert.equal(sem.code, 1);
  assert.match(sem.stderr, /Nope/);
  for (const args of [['--cluster', served.url], ['--database', 'x'], ['--cluster', 'ftp://x', '--database', 'y'], ['--defender', '--cluster', served.url, '--database', 'k'], ['--auth', 'token']]) {
    const r = await runCli(['query', 'print 1', ...args]);
    assert.equal(r.code, 1, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
