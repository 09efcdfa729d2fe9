// Hostile content through the CLI (docs/SECURITY.md, second round): a git source built to attack the
// machine that syncs it (symlinks out of the clone, a symlink loop, a submodule, a 3 MiB rule, an alias
// bomb, deep nesting, file names with control characters, a .gitattributes filter and an LFS pointer), a
// synced rule that tries to download with externaldata, spreadsheet formulas in CSV exports, terminal
// escapes in names and telemetry, and table names no folder can hold.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, initRepo } from '../helpers/git-repo.js';
import { serveFiles, type FileServer } from '../helpers/http-files.js';

let root: string;
let ws: string;
let repo: string;
let srv: FileServer;

const rule = (id: string, name: string, query: string, extra = '') => [
  `id: ${id}`, `name: ${JSON.stringify(name)}`, 'description: A rule.', 'severity: High', 'tactics: [CommandAndControl]', 'relevantTechniques: [T1219]', extra,
  'query: |', ...query.split('\n').map((l) => `  ${l}`), '',
].join('\n');

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-hostile-'));
  ws = join(root, 'ws');
  srv = await serveFiles({ '/iocs.txt': { body: 'evil.example\n' } });
  const demo = await runCli(['demo', '--workspace', ws, '--devices', '3', '--days', '1']);
  assert.equal(demo.code, 0, demo.stderr);
  repo = join(root, 'hostile');
  initRepo(repo);
  const laughs = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  commitFiles(repo, {
    'good.yaml': rule('11111111-2222-3333-4444-555555555555', 'Good rule', "DeviceNetworkEvents\n| where RemoteUrl has 'anydesk.com'"),
    // 3 MiB of description: over the 2 MiB cap, refused before it is read
    'huge.yaml': rule('22222222-2222-3333-4444-555555555555', 'Huge rule', 'DeviceNetworkEvents', `references: [${Array(100_000).fill('"https://a.example/0123456789"').join(', ')}]`),
    'bomb.yaml': `${laughs.join('\n')}\n${rule('33333333-2222-3333-4444-555555555555', 'Alias bomb', 'DeviceNetworkEvents', 'x: *a9')}`,
    'deep.yaml': `${rule('44444444-2222-3333-4444-555555555555', 'Deep', 'DeviceNetworkEvents')}x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    'ext.kql': `externaldata(Domain:string)["${srv.url}/iocs.txt"] with (format="txt")\n| join kind=inner (DeviceNetworkEvents) on $left.Domain == $right.RemoteUrl`,
    '-rf.kql': 'DeviceNetworkEvents | take 1',
    'ctl\x1b]0;pwned\x07\x1b[2J\nnext.kql': 'DeviceNetworkEvents | take 2',
    '.gitattributes': '*.kql filter=evil\n*.yaml filter=lfs diff=lfs merge=lfs -text\n',
    'lfs.yaml': 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n',
  }, 'hostile content');
  // links out of the clone (a file outside, the workspace's findings database, this repository's own
  // .git), a loop, and a submodule pointing at the workspace: none may be read
  symlinkSync('/etc/passwd', join(repo, 'passwd.yaml'));
  symlinkSync(join(ws, 'findings.sqlite'), join(repo, 'findings.kql'));
  symlinkSync('loop-b.yaml', join(repo, 'loop-a.yaml'));
  symlinkSync('loop-a.yaml', join(repo, 'loop-b.yaml'));
  symlinkSync(root, join(repo, 'up.md'));
  const head = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'update-index', '--add', '--cacheinfo', `160000,${head},vendor/rules`);
  writeFileSync(join(repo, '.gitmodules'), `[submodule "rules"]\n\tpath = vendor/rules\n\turl = ${ws}\n`);
  // the filter would run a program at checkout: kqlite never checks out, and git is told no filters
  git(repo, 'config', 'filter.evil.smudge', `touch ${join(root, 'filter-ran')}`);
  commitFiles(repo, {}, 'links and a submodule');
});
after(async () => {
  await srv.close();
  rmSync(root, { recursive: true, force: true });
});

interface Entry { id: string; name: string; query?: string; source: { kind: string; path?: string } }

test('a hostile git source: nothing outside the clone is read, a 3 MiB rule is refused unread, the rest loads', async () => {
  const r = await runCli(['sources', 'add', repo, '--name', 'hostile', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /hostile: huge\.yaml:1:1: the file is 3\.\d MiB: rule files are read up to 2\.0 MiB/);
  assert.match(r.stdout, /hostile: bomb\.yaml:\d+:\d+: invalid YAML: Excessive alias count/);
  assert.match(r.stdout, /hostile: deep\.yaml:\d+:\d+: invalid YAML: nested too deeply/);
  assert.match(r.stdout, /hostile: lfs\.yaml:1:1: a Git LFS pointer, not the file/);
  // good, ext, -rf, ctl; huge, bomb, deep and lfs failed; links and the submodule are not files; .gitattributes and .gitmodules are other files
  assert.match(r.stdout, /files 8 \(read 7\), rules 4, functions 0, skipped 0, failed 4, other files 2;/);
  assert.ok(!existsSync(join(root, 'filter-ran')), 'no filter ran');
  const list = await runCli(['rules', 'list', '--workspace', ws, '--format', 'json']);
  const rules = (JSON.parse(list.stdout) as Entry[]).filter((e) => e.source.kind === 'git');
  assert.deepEqual(rules.map((e) => e.source.path).sort(), ['-rf.kql', 'ctl\x1b]0;pwned\x07\x1b[2J\nnext.kql', 'ext.kql', 'good.yaml']);
  const text = JSON.stringify(rules);
  assert.doesNotMatch(text, /root:x:0|SQLite format/, 'no linked file was read');
  // the sources folder holds the bare repository and kqlite's own files, nothing checked out
  assert.deepEqual(readdirSync(join(ws, 'sources', 'hostile')).sort(), ['functions.json', 'repo.git', 'rules.json', 'state.json']);
});

test('names from a repository cannot drive the terminal: control characters are shown as escapes', async () => {
  const list = await runCli(['rules', 'list', '--workspace', ws]);
  assert.equal(list.code, 0, list.stderr);
  assert.doesNotMatch(list.stdout, /\x1b|\x07/);
  assert.match(list.stdout, /ctl\\x1b\]0;pwned\\x07\\x1b\[2J next/);
  const sync = await runCli(['sources', 'sync', 'hostile', '--force', '--workspace', ws]);
  assert.equal(sync.code, 0, sync.stderr);
  assert.doesNotMatch(sync.stdout, /\x1b/);
  // telemetry too: a value with an escape sequence in a query's table output
  const q = await runCli(['query', '--workspace', ws, 'print Name = strcat("a", make_string(27), "[31mred", make_string(8238), "evil")']);
  assert.equal(q.code, 0, q.stderr);
  assert.doesNotMatch(q.stdout, /\x1b|\u202e/);
  assert.match(q.stdout, /a\\x1b\[31mred\\u202eevil/);
});

test('a hunt never downloads for a rule synced from a git source, even where config.json allows the network', async () => {
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true, allowPrivateNetwork: true } }));
  try {
    const r = await runCli(['hunt', '--workspace', ws, '--rules', 'ext', '--allow-network', '--format', 'json']);
    const out = JSON.parse(r.stdout) as { summary: { rules: { outcome: string; reason?: string }[] } };
    assert.equal(out.summary.rules.length, 1, r.stdout + r.stderr);
    assert.equal(out.summary.rules[0]!.outcome, 'failed', r.stdout);
    assert.match(out.summary.rules[0]!.reason!, /cannot read .*iocs\.txt: a rule synced from a git source never downloads/);
    assert.equal(srv.hits.get('/iocs.txt') ?? 0, 0, 'nothing was fetched');
    // the same query typed by the user is the user's choice
    const typed = await runCli(['query', '--workspace', ws, '--format', 'csv', `externaldata(Domain:string)["${srv.url}/iocs.txt"] with (format="txt") | count`]);
    assert.equal(typed.stdout, 'Count\n1\n', typed.stderr);
    assert.equal(srv.hits.get('/iocs.txt'), 1);
    // once a copy is cached in the workspace, the synced rule reads it, still offline
    const again = await runCli(['hunt', '--workspace', ws, '--rules', 'ext', '--format', 'json']);
    const ran = (JSON.parse(again.stdout) as { summary: { rulesRun: number; rulesFailed: number } }).summary;
    assert.deepEqual([ran.rulesRun, ran.rulesFailed], [1, 0], again.stdout + again.stderr);
    assert.equal(srv.hits.get('/iocs.txt'), 1);
  } finally {
    rmSync(join(ws, 'config.json'), { force: true });
  }
});

test('CSV exports neutralise spreadsheet formulas in text (OWASP): query results and hunt findings', async () => {
  const q = await runCli(['query', '--format', 'csv', `datatable(S:string, N:long, D:dynamic)["=cmd|' /C calc'!A0", -5, dynamic(["@x"]), "+1", 1, dynamic(null), "-2+3", 2, dynamic(null), "@SUM(A1)", 3, dynamic(null), "\\tx", 4, dynamic(null), "\\rx", 5, dynamic(null), "plain", 6, dynamic(null)]`]);
  assert.equal(q.code, 0, q.stderr);
  assert.equal(q.stdout, [
    'S,N,D', `"'=cmd|' /C calc'!A0",-5,"[""@x""]"`, `"'+1",1,`, `"'-2+3",2,`, `"'@SUM(A1)",3,`, `"'\tx",4,`, `"'\rx",5,`, 'plain,6,', '',
  ].join('\n'));
  const rules = join(root, 'formula-rules');
  mkdirSync(rules, { recursive: true });
  writeFileSync(join(rules, 'f.yaml'), rule('55555555-2222-3333-4444-555555555555', "=HYPERLINK(\"http://evil.example\",\"x\")", 'DeviceNetworkEvents\n| summarize count() by DeviceName'));
  assert.equal((await runCli(['rules', 'import', rules, '--workspace', ws])).code, 0);
  const h = await runCli(['hunt', '--workspace', ws, '--rules', '55555555-2222-3333-4444-555555555555', '--format', 'csv']);
  assert.equal(h.code, 2, h.stderr); // new findings of a high-severity rule
  const lines = h.stdout.trim().split('\n');
  assert.ok(lines.length > 1, h.stdout);
  for (const l of lines.slice(1)) assert.match(l, /^[^,]+,55555555-2222-3333-4444-555555555555,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",/);
});

test('table names that no folder can hold are refused clearly, nothing is created', async () => {
  const csv = join(root, 't.csv');
  writeFileSync(csv, 'a,b\n1,2\n');
  for (const [name, why] of [['CON', /Windows reserves it/], ['nul', /Windows reserves it/], ['LPT1', /Windows reserves it/], ['A'.repeat(300), /at most 128 characters/], ['../x', /not a valid table name/]] as const) {
    const r = await runCli(['ingest', csv, '--table', name, '--workspace', ws]);
    assert.equal(r.code, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, why);
    assert.doesNotMatch(r.stderr, /ENAMETOOLONG|\/tmp\//);
  }
  const tables = readdirSync(join(ws, 'tables'));
  assert.ok(!tables.some((t) => /^(CON|nul|LPT1|A+)$/i.test(t)), tables.join(' '));
});

test('sources, watchlists and site pages: no Windows device names, no names that differ only in case', async () => {
  const con = await runCli(['sources', 'add', repo, '--name', 'CON', '--no-sync', '--workspace', ws]);
  assert.equal(con.code, 1);
  assert.match(con.stderr, /'CON' cannot be a source name: Windows reserves it/);
  const upper = await runCli(['sources', 'add', repo, '--name', 'HOSTILE', '--no-sync', '--workspace', ws]);
  assert.equal(upper.code, 1);
  assert.match(upper.stderr, /a source named 'hostile' exists already \(names differing only in case would share a folder\)/);
  const csv = join(root, 'w.csv');
  writeFileSync(csv, 'Device\nlaptop-1\n');
  const nul = await runCli(['watchlists', 'add', 'nul.x', csv, '--workspace', ws]);
  assert.equal(nul.code, 1);
  assert.match(nul.stderr, /'nul\.x' cannot be a watchlist name: Windows reserves it/);
  assert.equal((await runCli(['watchlists', 'add', 'Admins', csv, '--workspace', ws])).code, 0);
  const admins = await runCli(['watchlists', 'add', 'admins', csv, '--workspace', ws]);
  assert.equal(admins.code, 1);
  assert.match(admins.stderr, /a watchlist named 'Admins' exists already/);
  // a rule whose id Windows reads as a device gets a page name that is not one
  const rules = join(root, 'device-rules');
  mkdirSync(rules, { recursive: true });
  writeFileSync(join(rules, 'aux.yaml'), rule('AUX', 'Device-named rule', 'DeviceNetworkEvents | take 1'));
  assert.equal((await runCli(['rules', 'import', rules, '--workspace', ws])).code, 0);
  const out = join(root, 'site');
  const site = await runCli(['site', 'build', '--out', out, '--workspace', ws]);
  assert.equal(site.code, 0, site.stderr);
  const pages = readdirSync(join(out, 'rules'));
  assert.ok(pages.some((p) => /^AUX-[0-9a-f]{8}\.html$/.test(p)), pages.filter((p) => /aux/i.test(p)).join(' '));
  assert.ok(!pages.some((p) => /^(CON|PRN|AUX|NUL|COM\d|LPT\d)\./i.test(p)));
});

test('reports, layers and sites are never written into the workspace, even through a link', async () => {
  const manifest = join(ws, 'manifest.json');
  const before = readFileSync(manifest, 'utf8');
  const link = join(root, 'report.html');
  symlinkSync(manifest, link);
  for (const args of [
    ['hunt', '--html', manifest], ['hunt', '--html', link], ['coverage', '--navigator', join(ws, 'findings.sqlite')],
    ['site', 'build', '--out', join(ws, 'site')], ['site', 'build', '--out', ws],
  ]) {
    const r = await runCli([...args, '--workspace', ws]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, /inside the workspace .*write it elsewhere/, args.join(' '));
  }
  assert.equal(readFileSync(manifest, 'utf8'), before, 'the manifest is intact');
  assert.ok(!existsSync(join(ws, 'site')));
  const tables = await runCli(['tables', '--workspace', ws]);
  assert.equal(tables.code, 0, tables.stderr);
  // outside the workspace the report is written as before
  const ok = await runCli(['hunt', '--html', join(root, 'hunt.html'), '--workspace', ws, '--rules', 'Good rule']);
  assert.notEqual(ok.code, 1, ok.stderr);
  assert.match(readFileSync(join(root, 'hunt.html'), 'utf8'), /^<!doctype html>/);
});

test('hostile telemetry: a CSV header or a record past 10,000 columns is set aside with the reason, the rest loads', async () => {
  const names = Array.from({ length: 10_001 }, (_, i) => `c${i}`);
  const wide = join(root, 'wide.csv');
  writeFileSync(wide, `${names.join(',')}\n${names.map(() => '1').join(',')}\n`);
  const wideRecord = Object.fromEntries([['Timestamp', '2026-01-01T00:00:00Z'], ...names.map((n, i) => [n, i])]);
  const json = join(root, 'wide.ndjson');
  writeFileSync(json, `${JSON.stringify(wideRecord)}\n${JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', c1: 5 })}\n`);
  const csv = await runCli(['ingest', wide, '--table', 'WideCsv', '--workspace', ws]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout, /read 1, loaded 0, quarantined 1/);
  const nd = await runCli(['ingest', json, '--table', 'WideJson', '--workspace', ws]);
  assert.equal(nd.code, 0, nd.stderr);
  assert.match(nd.stdout, /read 2, loaded 1, quarantined 1/);
  const q = await runCli(['quarantine', '--workspace', ws, '--format', 'json']);
  const reasons = (JSON.parse(q.stdout) as { records: { reason: string }[] }).records.map((r) => r.reason).join('\n');
  assert.match(reasons, /the CSV header names 10,001 columns: more than 10,000 columns/);
  assert.match(reasons, /the record would give WideJson more than 10,000 columns/);
  // the rejected record left no columns behind: the table is the record that loaded
  const cols = await runCli(['query', '--workspace', ws, '--format', 'json', 'WideJson | getschema | count']);
  assert.equal((JSON.parse(cols.stdout) as { rows: number[][] }).rows[0]![0], 2, cols.stdout);
});

test('archives given to ingest are refused by name (zip, tar inside gzip, 7-Zip), the other files load; text that merely starts like one is read', async () => {
  const line = `${JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'a' })}\n`;
  const zip = join(root, 'export.zip');
  // a zip's local file header, then the member's bytes (stored): what a portal download is
  writeFileSync(zip, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x0a, 0, 0, 0, 0, 0]), Buffer.from(line)]));
  const tarHeader = Buffer.alloc(512);
  tarHeader.write('export.ndjson', 0);
  tarHeader.write('ustar', 257);
  const tgz = join(root, 'export.tar.gz');
  writeFileSync(tgz, gzipSync(Buffer.concat([tarHeader, Buffer.from(line)])));
  const sevenZip = join(root, 'export.7z');
  writeFileSync(sevenZip, Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(32)]));
  // bzip2's "BZh" is also text: a CSV whose first column is named so is read
  const plain = join(root, 'bzh.csv');
  writeFileSync(plain, 'BZhVersion,DeviceName\n1,a\n');
  const r = await runCli(['ingest', zip, tgz, sevenZip, plain, '--table', 'ArchiveTest', '--workspace', ws, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { files: { file: string; refused?: string; loaded: number }[]; loaded: number; refusedFiles: number };
  assert.equal(report.refusedFiles, 3);
  assert.equal(report.loaded, 1);
  const refused = new Map(report.files.map((f) => [f.file, f.refused ?? '']));
  assert.match(refused.get(zip)!, /^this is a zip archive: .*unpack it/);
  assert.match(refused.get(tgz)!, /^this is a tar archive: /);
  assert.match(refused.get(sevenZip)!, /^this is a 7-Zip archive: /);
  assert.equal(refused.get(plain), '');
});

test('kqlite test: a rule test reads input files of its repository only, never a file outside through a path or a link', async () => {
  const dir = join(root, 'pr-rules');
  mkdirSync(dir, { recursive: true });
  const secret = join(root, 'outside-secret.ndjson');
  writeFileSync(secret, `${JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'host', RemoteUrl: 'TOKEN-s3cr3t' })}\n`);
  symlinkSync(secret, join(dir, 'linked.ndjson'));
  const tests = (file: string) => `tests:\n  - name: reads ${file}\n    files: [${JSON.stringify(file)}]\n    expect:\n      rows: 0\n`;
  const query = 'DeviceNetworkEvents | project RemoteUrl';
  writeFileSync(join(dir, 'up.yaml'), rule('66666666-2222-3333-4444-555555555555', 'Up', query) + tests('../outside-secret.ndjson'));
  writeFileSync(join(dir, 'abs.yaml'), rule('77777777-2222-3333-4444-555555555555', 'Abs', query) + tests(secret));
  writeFileSync(join(dir, 'link.yaml'), rule('88888888-2222-3333-4444-555555555555', 'Link', query) + tests('linked.ndjson'));
  const r = await runCli(['test', dir]);
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.stdout.match(/is outside the test's folder and the working directory/g)?.length, 3, r.stdout);
  assert.doesNotMatch(r.stdout + r.stderr, /s3cr3t/);
});

test('kqlite check and kqlite test do not follow links inside the folders they search (a link to a secret or to /)', async () => {
  const dir = join(root, 'pr-check');
  const outside = join(root, 'outside-rules');
  mkdirSync(dir, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(root, 'secret.env'), 'MYSECRET=hunter2\n');
  symlinkSync(join(root, 'secret.env'), join(dir, 'leak.kql'));
  writeFileSync(join(outside, 'x.yaml'), rule('99999999-2222-3333-4444-555555555555', 'Outside', 'DeviceNetworkEvents') + 'tests:\n  - name: outside\n    rows: {}\n    expect:\n      rows: 0\n');
  symlinkSync(outside, join(dir, 'linked-folder'));
  symlinkSync(dir, join(dir, 'loop'));
  writeFileSync(join(dir, 'ok.kql'), 'DeviceNetworkEvents | take 1\n');
  const check = await runCli(['check', dir]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.doesNotMatch(check.stdout + check.stderr, /hunter2|MYSECRET/);
  assert.match(check.stdout + check.stderr, /checked 1 file/);
  const t = await runCli(['test', dir]);
  assert.doesNotMatch(t.stdout + t.stderr, /ELOOP|outside/i);
  // named on the command line, a link is the user's choice and is read
  const named = await runCli(['check', join(dir, 'leak.kql')]);
  assert.match(named.stdout, /MYSECRET/);
});

test('kqlite test --format tap: a test name or message with a lone CR cannot start a TAP line of its own', async () => {
  const dir = join(root, 'pr-tap');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'r.yaml'), rule('12121212-2222-3333-4444-555555555555', 'Tap', 'DeviceNetworkEvents | take 1') +
    'tests:\n  - name: "fails\\rok 99 - forged pass"\n    rows:\n      DeviceNetworkEvents:\n        - { DeviceName: a }\n    expect:\n      rows: 0\n');
  const r = await runCli(['test', dir, '--format', 'tap']);
  assert.equal(r.code, 1, r.stdout);
  assert.ok(!r.stdout.includes('\r'), JSON.stringify(r.stdout));
  assert.match(r.stdout, /^not ok 1 - .*fails ok 99 - forged pass/m);
});

test('hunt summary: a device name from telemetry with terminal escapes is shown escaped', async () => {
  const events = join(root, 'escape-events.ndjson');
  writeFileSync(events, `${JSON.stringify({ Timestamp: '2026-11-30T00:00:00Z', DeviceName: 'evil\u001b]0;owned\u0007host', RemoteUrl: 'x.example', ActionType: 'ConnectionSuccess' })}\n`);
  const ing = await runCli(['ingest', events, '--table', 'DeviceNetworkEvents', '--workspace', ws]);
  assert.equal(ing.code, 0, ing.stderr);
  const h = await runCli(['hunt', '--workspace', ws, '--rules', '55555555-2222-3333-4444-555555555555']);
  assert.doesNotMatch(h.stdout, /\x1b|\x07/);
  assert.match(h.stdout, /top devices: .*evil\\x1b\]0;owned\\x07host/);
  const list = await runCli(['findings', 'list', '--workspace', ws, '--format', 'json']);
  const evil = (JSON.parse(list.stdout) as { id: string; device?: string }[]).find((f) => f.device?.startsWith('evil'))!;
  const show = await runCli(['findings', 'show', String(evil.id), '--workspace', ws]);
  assert.equal(show.code, 0, show.stderr);
  assert.doesNotMatch(show.stdout, /\x1b|\x07/);
  assert.match(show.stdout, /on evil\\x1b\]0;owned\\x07host/);
});
