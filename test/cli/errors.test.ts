// Bad input as a user meets it on the command line: every damaged workspace file is named, with what is
// wrong and what to do, and the rest keeps working; deep records are quarantined, deep rule files are that
// file's problem; bad flags say what they want. Never a JavaScript stack trace (only with KQLITE_DEBUG=1).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { runCli, type CliResult } from '../helpers/cli.js';

let root: string;
let demo: string;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-errors-'));
  demo = join(root, 'demo');
  const r = await runCli(['demo', '--workspace', demo, '--devices', '4', '--days', '1']);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(root, { recursive: true, force: true }));

const STACK = /^\s+at .+(\(|:\d+:\d+)/m;
let copies = 0;
/** A copy of the demo workspace to damage. */
function copy(): string {
  const dir = join(root, `ws${++copies}`);
  cpSync(demo, dir, { recursive: true });
  return dir;
}
const extentOf = (ws: string, table: string) => join(ws, 'tables', table, readdirSync(join(ws, 'tables', table)).find((n) => n.startsWith('e-'))!);

function fails(r: CliResult, message: RegExp): void {
  const out = r.stderr + r.stdout;
  assert.equal(r.code, 1, out);
  assert.match(out, message);
  assert.doesNotMatch(out, STACK);
}

// (the manifest, the ledger and the quarantine files damaged: test/cli/workspace-robustness.test.ts)
test('a damaged extent is named with the way out by the queries that read it; queries of the other tables go on', async () => {
  const ws = copy();
  const meta = extentOf(ws, 'DeviceInfo');
  writeFileSync(join(meta, 'meta.json'), 'nope');
  const damage = /error KQL4007: table DeviceInfo: the extent description .*DeviceInfo\/e-[^/]+\/meta\.json is damaged .*restore the workspace from a backup, or ingest its files again/;
  fails(await runCli(['query', 'DeviceInfo | project DeviceName', '--workspace', ws]), damage);
  const other = await runCli(['query', 'DeviceNetworkEvents | count', '--workspace', ws]);
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stdout, /^\d+$/m);
  const data = extentOf(ws, 'DeviceProcessEvents');
  truncateSync(join(data, 'data.bin'), 10);
  fails(await runCli(['query', 'DeviceProcessEvents | take 3', '--workspace', ws]), /error KQL4007: .*DeviceProcessEvents\/e-[^/]+\/data\.bin is damaged: shorter than its meta\.json says .*ingest its files again/);
});

test('a findings database that is not one, or is damaged, is named by every command that reads it', async () => {
  const ws = copy();
  writeFileSync(join(ws, 'findings.sqlite'), 'this is not a database, whatever its name says. '.repeat(40));
  const damage = /findings\.sqlite is damaged: file is not a database; move it aside \(the findings, triage and allowances in it go with it\) or restore a backup/;
  for (const args of [['findings', 'list'], ['runs'], ['hunt'], ['allow', '--list'], ['inventory']]) fails(await runCli([...args, '--workspace', ws]), damage);
});

test('allow --revoke wants a number and --expires a future date', async () => {
  const ws = copy();
  fails(await runCli(['allow', '--revoke', 'abc', '--reason', 'x', '--workspace', ws]), /--revoke needs a suppression's number \(kqlite allow --list shows them\), not 'abc'/);
  const nan = await runCli(['allow', '--revoke', 'abc', '--reason', 'x', '--workspace', ws]);
  assert.doesNotMatch(nan.stdout + nan.stderr, /NaN/);
  fails(await runCli(['allow', '--revoke', '#42', '--reason', 'x', '--workspace', ws]), /no active suppression #42 \(kqlite allow --list shows them\)/);
  fails(await runCli(['allow', 'AnyDesk', '--reason', 'x', '--expires', '2001-01-01', '--workspace', ws]), /--expires '2001-01-01' is in the past: give a future date/);
  const ok = await runCli(['allow', 'AnyDesk', '--reason', 'pilot', '--expires', '2999-01-01', '--workspace', ws]);
  assert.equal(ok.code, 0, ok.stderr);
});

test('a record nested 100,000 deep is quarantined with the reason; the file\'s other records load', async () => {
  const ws = copy();
  const good = (i: number) => JSON.stringify({ Timestamp: `2026-11-20T00:00:0${i}Z`, DeviceName: `host-${i}`, AdditionalFields: { a: i } });
  const file = join(root, 'DeviceEvents.ndjson');
  writeFileSync(file, [good(1), good(2), `{"Timestamp":"2026-11-20T00:00:05Z","DeviceName":"deep","AdditionalFields":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, good(3)].join('\n') + '\n');
  const r = await runCli(['ingest', file, '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /read 4, loaded 3, quarantined 1/);
  const q = (JSON.parse((await runCli(['quarantine', '--workspace', ws, '--format', 'json'])).stdout) as { records: { line: number; reason: string }[] }).records;
  assert.deepEqual(q.map((e) => [e.line, e.reason]), [[3, 'JSON nested deeper than 1000 levels']]);
  // a JSON string that nests too deep in a dynamic column: the record is set aside, not the file
  const csv = join(root, 'CloudAppEvents_deep.csv');
  writeFileSync(csv, `Timestamp,ActionType,RawEventData\n2026-11-20T00:00:07Z,ok,"{""a"":1}"\n2026-11-20T00:00:08Z,deep,"${'['.repeat(5000)}${']'.repeat(5000)}"\n`);
  const c = await runCli(['ingest', csv, '--workspace', ws]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout + c.stderr, /read 2, loaded 1, quarantined 1/);
  const why = (JSON.parse((await runCli(['quarantine', '--workspace', ws, '--table', 'CloudAppEvents', '--format', 'json'])).stdout) as { records: { reason: string }[] }).records;
  assert.deepEqual(why.map((e) => e.reason), ['column RawEventData: JSON nested deeper than 1000 levels']);
});

test('rules import reads every file: a pathological one is that file\'s problem, named, and the others load', async () => {
  const ws = copy();
  const dir = join(root, 'rules-deep');
  mkdirSync(dir);
  const rule = (id: string, query: string) => `id: ${id}\nname: Rule ${id}\nseverity: Medium\ntactics: [CommandAndControl]\nquery: |\n  ${query}\n`;
  writeFileSync(join(dir, 'a-long.yaml'), rule('7d1c6f3e-0000-4000-8000-000000000001', 'DeviceProcessEvents | where ' + Array(3000).fill('FileName != "x"').join(' and ')));
  writeFileSync(join(dir, 'b-deep-dynamic.yaml'), rule('7d1c6f3e-0000-4000-8000-000000000002', 'DeviceProcessEvents | extend d = dynamic(' + '['.repeat(5000) + ']'.repeat(5000) + ')'));
  writeFileSync(join(dir, 'c-deep-yaml.yaml'), `id: 7d1c6f3e-0000-4000-8000-000000000003\nname: deep\nquery: DeviceProcessEvents\ntags: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
  writeFileSync(join(dir, 'd-fine.yaml'), rule('7d1c6f3e-0000-4000-8000-000000000004', 'DeviceProcessEvents | take 1'));
  const r = await runCli(['rules', 'import', dir, '--workspace', ws]);
  const out = r.stdout + r.stderr;
  assert.doesNotMatch(out, STACK);
  assert.match(out, /c-deep-yaml\.yaml:\d+:\d+: invalid YAML: nested too deeply to read/);
  assert.match(out, /b-deep-dynamic\.yaml.*\n.*error KQL1009: dynamic value nested deeper than 1000 levels/);
  assert.match(out, /files 4, rules loaded 3, repaired 0, failed 1/);
  const list = JSON.parse((await runCli(['rules', 'list', '--workspace', ws, '--format', 'json'])).stdout) as { id: string; status: string }[];
  const mine = list.filter((x) => x.id.startsWith('7d1c6f3e-')).map((x) => [x.id.slice(-1), x.status]);
  assert.deepEqual(mine.sort(), [['1', 'valid'], ['2', 'error'], ['4', 'valid']]);
});
