// A query or hunt lists the workspace once (each folder stat-ed and read at most once), and still sees every
// extent and table a writer (this process or another) added before it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery, type TableSource } from '../../src/engine/index.js';
import { openMemoryDb, runHunt, type HuntRule } from '../../src/hunts/index.js';
import { createDemoWorkspace } from '../../src/ingest/demo/workspace.js';
import { Workspace } from '../../src/store/workspace.js';
import { builtinRules } from '../../src/rules/index.js';
import { SAMPLE_SCHEMA, sampleTable } from '../helpers/sample-tables.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const area = scratchArea('kqlite-snapshot-');
const LISTING_CALLS = ['statSync', 'lstatSync', 'existsSync', 'readdirSync'] as const;

/** Runs `work` counting, per path under `dir`/tables, the calls that ask for a file's state or a folder's names. */
function countListing(dir: string, work: () => void): { total: number; perPath: Map<string, number> } {
  const under = join(dir, 'tables');
  const perPath = new Map<string, number>();
  const saved = LISTING_CALLS.map((name) => [name, fs[name]] as const);
  for (const [name, real] of saved) {
    (fs as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const p = String(args[0]);
      if (p === under || p.startsWith(under + sep)) perPath.set(`${name} ${p.slice(under.length)}`, (perPath.get(`${name} ${p.slice(under.length)}`) ?? 0) + 1);
      return (real as (...a: unknown[]) => unknown)(...args);
    };
  }
  // the workspace imports these by name: make its bindings see the counting versions
  syncBuiltinESMExports();
  try {
    work();
  } finally {
    for (const [name, real] of saved) (fs as Record<string, unknown>)[name] = real;
    syncBuiltinESMExports();
  }
  let total = 0;
  for (const n of perPath.values()) total += n;
  return { total, perPath };
}

const count = (source: TableSource, q = 'Sample | count'): number => {
  const r = runQuery(q, { source, now: 17_674_000_000_000_000n });
  assert.ok(r.ok, r.diagnostics.map((d) => d.message).join('; '));
  return Number(toJsonResult(r.tables[0]!.table).rows[0]![0]);
};

function appendFromChild(dir: string, extents: number, rows: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/append-extents.ts'), dir, String(extents), String(rows)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`append-extents exited ${code}: ${stderr}`)))));
}

test('a hunt of the whole RMM pack stats and lists each workspace folder at most once', () => {
  const ws = area.fresh();
  createDemoWorkspace(ws.dir, { devices: 8, days: 3 });
  const rules = builtinRules();
  const tables = ws.tableNames().length;
  assert.ok(rules.length > 100 && tables >= 3, `${rules.length} rules over ${tables} tables`);
  let ran = 0;
  const { total, perPath } = countListing(ws.dir, () => {
    ran = runHunt({ rules, source: Workspace.open(ws.dir), db: openMemoryDb() }).rulesRun;
  });
  assert.ok(ran > 100, `${ran} rules ran`);
  for (const [call, n] of perPath) assert.equal(n, 1, `${call} asked ${n} times in one hunt`);
  // tables/ and each table's folder: one stat and one read of its names each
  assert.ok(total <= 2 * (tables + 1), `${total} listing calls for ${tables} tables`);
});

test('one query reading a table many times (union, join, sub-query, getschema) lists it once', () => {
  const ws = area.fresh();
  for (const d of [0, 1, 2]) ws.append('Sample', SAMPLE_SCHEMA, sampleTable(d, 50));
  ws.append('Other', { name: 'Other', columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'N', type: 'long' }] }, sampleTable(0, 1));
  const q = `union Sample, (Sample | where Port == 80), (Sample | getschema | project Port = long(1))
| join kind=leftouter (Sample | summarize n=count() by Port) on Port
| where Port in ((Sample | where RemoteUrl has 'anydesk' | project Port))
| count`;
  const reader = Workspace.open(ws.dir);
  const { total, perPath } = countListing(ws.dir, () => count(reader, q));
  for (const [call, n] of perPath) assert.equal(n, 1, `${call} asked ${n} times in one query`);
  assert.ok(total <= 2 * 3, `${total} listing calls`);
  // the server asks for the table names per rule it lists: once the tables are known, one look at tables/
  const names = countListing(ws.dir, () => assert.deepEqual(reader.tableNames(), ['Other', 'Sample']));
  assert.ok(names.total <= 2, `${names.total} listing calls for the table names`);
});

test('an extent appended between two queries, in this process or another, is seen by the second', async () => {
  const ws = area.fresh();
  ws.append('Sample', SAMPLE_SCHEMA, sampleTable(0, 40));
  const reader = Workspace.open(ws.dir);
  assert.equal(count(reader), 40);
  ws.append('Sample', SAMPLE_SCHEMA, sampleTable(1, 40));
  assert.equal(count(reader), 80, 'an append in this process, right after the query (the same file-time tick)');
  await appendFromChild(ws.dir, 3, 40);
  assert.equal(count(reader), 200, 'appends by another process');
  // and again once the folder has been quiet long enough for its listing to be kept between queries
  await new Promise((r) => setTimeout(r, 2100));
  assert.equal(count(reader), 200);
  assert.equal(count(reader), 200);
  await appendFromChild(ws.dir, 1, 40);
  assert.equal(count(reader), 240);
  ws.append('Added', { name: 'Added', columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'Port', type: 'long' }] }, sampleTable(2, 7));
  assert.equal(count(reader, 'Added | count'), 7, 'a table added between queries');
});

test('a snapshot keeps its listing while another process appends; a hunt sees what was appended before it started', async () => {
  const ws = area.fresh();
  ws.append('Sample', SAMPLE_SCHEMA, sampleTable(0, 30));
  const reader = Workspace.open(ws.dir);
  const snap = reader.snapshot();
  assert.equal(count(snap), 30);
  const scanned = snap.scan('Sample');
  await appendFromChild(ws.dir, 2, 30);
  assert.equal(count(snap), 30, 'the same view: the same extents (a hunt\'s rules all see one state)');
  assert.deepEqual(snap.scan('Sample'), scanned, 'the very same extent tables');
  assert.equal(count(reader), 90, 'a new query: the appended extents');

  const rule: HuntRule = {
    id: 'all-sample', name: 'every Sample row by device', severity: 'low', status: 'valid', tables: ['Sample'],
    query: 'Sample | summarize Count=count() by DeviceName',
  };
  const db = openMemoryDb();
  const rows = () => runHunt({ rules: [rule], source: reader, db, asOf: 17_674_000_000_000_000n }).rules[0]!.rowsScanned;
  assert.equal(rows(), 90);
  await appendFromChild(ws.dir, 1, 30);
  assert.equal(rows(), 120, 'the next hunt');
});
