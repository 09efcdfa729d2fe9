// Workspaces written before the manifest keep opening: readers list their folders as before, and the first
// writer turns their state into a manifest — their tables and extents, their ledger (a file ingested then is
// still known), their quarantine with its counts — leaving out what an ingest killed part way had journalled.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { Workspace } from '../../src/store/workspace.js';
import { runCli } from '../helpers/cli.js';
import { leftovers, ledgerOf, quarantineOf, scratchArea } from '../helpers/workspace-contents.js';

const { root, file } = scratchArea('kqlite-migrate-');
const FORMAT_2 = join(import.meta.dirname, 'fixtures/workspace-format-2');
const count = (ws: Workspace, table = 'Sample') => toJsonResult(runQuery(`${table} | count`, { source: ws }).tables[0]!.table).rows[0]![0];

test('a workspace from before the manifest is read as it is, then migrated by the first ingest', async () => {
  const dir = join(root, 'legacy');
  cpSync(FORMAT_2, dir, { recursive: true });
  const extents = readdirSync(join(dir, 'tables/Sample')).filter((e) => e.startsWith('e-')).sort();
  // what the old ingest left: a ledger, a quarantine with its counts, and the journal of a killed ingest
  // naming its last extent (which it wrote but never recorded), plus that ingest's partial quarantine
  const loadedBefore = file('DeviceNetworkEvents-old.ndjson', JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'old', ReportId: 1 }) + '\n');
  const hash = createHash('sha256').update(readFileSync(loadedBefore)).digest('hex');
  const fp = createHash('sha256').update(readFileSync(loadedBefore)).digest('hex');
  writeFileSync(join(dir, 'ingest-log.json'), JSON.stringify({ [hash]: { file: loadedBefore, at: '2026-04-01T00:00:00.000Z', loaded: 1, quarantined: 0, size: readFileSync(loadedBefore).length, fingerprint: fp } }));
  mkdirSync(join(dir, 'quarantine'));
  writeFileSync(join(dir, 'quarantine', 'aaaaaaaaaaaaaaaa.ndjson'), JSON.stringify({ file: 'x.ndjson', line: 3, table: 'Sample', reason: 'column Port: abc is not a number (long)' }) + '\n');
  writeFileSync(join(dir, 'quarantine', 'index.json'), JSON.stringify({ Sample: 1 }));
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, 'quarantine', `.partial-${deadPid}-0-1.ndjson`), '{}\n');
  mkdirSync(join(dir, 'pending'));
  writeFileSync(join(dir, 'pending', `${deadPid}-0-1.ndjson`), JSON.stringify(['Sample', extents[2]]) + '\n');

  // readers read it as it is (the journalled extent too: only a writer can tell)
  const before = Workspace.open(dir);
  assert.equal(count(before), 120);
  assert.equal(before.tables()[0]!.quarantined, 1);
  const tables = await runCli(['tables', '--workspace', dir, '--format', 'json']);
  assert.deepEqual(JSON.parse(tables.stdout).tables.map((t: { name: string; rows: number }) => [t.name, t.rows]), [['Sample', 120]]);
  assert.equal(existsSync(join(dir, 'manifest.json')), false, 'reading migrates nothing');

  // the first ingest migrates: the old ledger still knows its file, the killed ingest's extent is gone
  const again = await runCli(['ingest', loadedBefore, '--workspace', dir]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /skipped .*already ingested on 2026-04-01T00:00:00.000Z/);
  const ws = Workspace.open(dir);
  assert.equal(count(ws), 80, 'the journalled extent of the killed ingest is not part of the workspace');
  assert.deepEqual(quarantineOf(ws).map((q) => q['reason']), ['column Port: abc is not a number (long)']);
  assert.equal(ws.tables()[0]!.quarantined, 1);
  assert.equal(ledgerOf(ws).length, 1);
  assert.deepEqual(leftovers(ws), []);
  for (const gone of ['ingest-log.json', 'pending', 'quarantine/index.json', `quarantine/.partial-${deadPid}-0-1.ndjson`, `tables/Sample/${extents[2]}`]) assert.equal(existsSync(join(dir, gone)), false, gone);
  // and it goes on as any workspace
  const fresh = file('DeviceNetworkEvents-new.ndjson', JSON.stringify({ Timestamp: '2026-01-02T00:00:00Z', DeviceName: 'new', ReportId: 2 }) + '\n');
  assert.match((await runCli(['ingest', fresh, '--workspace', dir])).stdout, /loaded 1/);
  assert.equal(count(Workspace.open(dir), 'DeviceNetworkEvents'), 1);
  assert.equal(count(Workspace.open(dir)), 80);
});

test('a damaged file of a workspace from before the manifest is named with the way out', async () => {
  for (const [name, damage, args, message] of [
    ['schema', 'tables/Sample/schema.json', ['tables'], /the schema of table Sample .*schema\.json is damaged/],
    ['ingest log', 'ingest-log.json', ['ingest', file('DeviceNetworkEvents-z.ndjson', '{}\n')], /the ingest log .*ingest-log\.json is damaged .*Restore it from a backup, or delete it/],
    ['quarantine index', 'quarantine/index.json', ['tables'], /the quarantine index .*index\.json is damaged .*delete it and the counts start again from zero/],
    ['journal', 'pending/1-0-1.ndjson', ['ingest', file('DeviceNetworkEvents-j.ndjson', '{}\n')], /the ingest journal .*pending\/1-0-1\.ndjson is damaged at line 1/],
  ] as const) {
    const dir = join(root, `damaged-${name.replace(' ', '-')}`);
    cpSync(FORMAT_2, dir, { recursive: true });
    mkdirSync(join(dir, 'quarantine'), { recursive: true });
    mkdirSync(join(dir, 'pending'), { recursive: true });
    writeFileSync(join(dir, damage), '{"damaged": tr\n{}\n');
    const r = await runCli([...args, '--workspace', dir]);
    assert.equal(r.code, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, message, name);
    assert.doesNotMatch(r.stderr, /\n\s+at /, name);
  }
});
