/**
 * `kqlite hunt --compare` through the CLI: a git repository of rules built in the test, a workspace ingested
 * from known rows, and a rule change whose effect is known exactly: the findings gained and lost per rule
 * (identified as the findings store identifies them), with example rows; added and removed rule files; the
 * rule-file form against the rules kqlite has; and nothing stored.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, initRepo } from '../helpers/git-repo.js';
import { ruleYaml } from '../helpers/rule-yaml.js';

const root = mkdtempSync(join(tmpdir(), 'kqlite-compare-'));
const ws = join(root, 'ws');
const repo = join(root, 'rules-repo');

const row = (t: string, device: string, url: string, file: string) => JSON.stringify({ Timestamp: t, DeviceId: `id-${device}`, DeviceName: device, ActionType: 'ConnectionSuccess', RemoteUrl: url, RemotePort: 443, InitiatingProcessFileName: file, ReportId: Math.floor(Math.random() * 1e9) });
const ROWS = [
  row('2026-11-20T10:00:00Z', 'pc-1', 'relay.anydesk.com', 'AnyDesk.exe'),
  row('2026-11-20T10:05:00Z', 'pc-1', 'relay.anydesk.com', 'AnyDesk.exe'),
  row('2026-11-20T11:00:00Z', 'pc-2', 'boot.net.anydesk.com', 'AnyDesk.exe'),
  row('2026-11-20T12:00:00Z', 'pc-3', 'api.screenconnect.com', 'ScreenConnect.ClientService.exe'),
  row('2026-11-20T12:30:00Z', 'pc-4', 'notanydesk.com.evil.example', 'x.exe'),
];

function rule(id: string, name: string, where: string): string {
  return ruleYaml({
    id, name, description: 'impact analysis test rule', severity: 'Medium', table: 'DeviceNetworkEvents', tactics: ['CommandAndControl'], techniques: ['T1219'],
    query: `DeviceNetworkEvents
| where Timestamp > ago(7d)
| where ${where}
| summarize FirstSeen = min(Timestamp), LastSeen = max(Timestamp), Count = count() by DeviceName, RemoteUrl`,
  });
}

const ANYDESK = '11111111-1111-4111-8111-111111111111';
const SCREEN = '22222222-2222-4222-8222-222222222222';
const OLDONE = '33333333-3333-4333-8333-333333333333';

before(async () => {
  const data = join(root, 'DeviceNetworkEvents.ndjson');
  writeFileSync(data, ROWS.join('\n') + '\n');
  const ing = await runCli(['ingest', data, '--workspace', ws, '--quiet']);
  assert.equal(ing.code, 0, ing.stderr);
  initRepo(repo);
  commitFiles(repo, {
    'rules/anydesk.yaml': rule(ANYDESK, 'AnyDesk relay', 'RemoteUrl contains "anydesk.com"'),
    'rules/old.yaml': rule(OLDONE, 'Old ScreenConnect', 'RemoteUrl has "screenconnect.com"'),
    'README.md': '# rules\n',
  }, 'base');
  // the change under review: AnyDesk narrowed to has (drops the look-alike, and pc-2's boot host stays), a
  // new rule added, one removed, the README edited; left uncommitted, as in a working copy
  commitFiles(repo, {}, 'nothing');
  writeFileSync(join(repo, 'rules/anydesk.yaml'), rule(ANYDESK, 'AnyDesk relay', 'RemoteUrl has "anydesk.com" and DeviceName != "pc-2"'));
  writeFileSync(join(repo, 'rules/screen.yaml'), rule(SCREEN, 'ScreenConnect', 'RemoteUrl has "screenconnect.com" or InitiatingProcessFileName =~ "x.exe"'));
  git(repo, 'rm', '-q', 'rules/old.yaml');
  writeFileSync(join(repo, 'README.md'), '# rules, edited\n');
});

test('--compare <git-ref>: exactly the findings gained and lost per changed rule, as JSON', async () => {
  const r = await runCli(['hunt', '--compare', 'HEAD', 'rules', '--workspace', ws, '--format', 'json', '--as-of', '2026-11-21T00:00:00Z'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout);
  assert.equal(out.base.ref, 'HEAD');
  assert.match(out.base.commit, /^[0-9a-f]{40}$/);
  assert.equal(out.asOf, '2026-11-21T00:00:00.0000000Z');
  const byFile = Object.fromEntries(out.rules.map((x: any) => [x.file, x]));
  assert.deepEqual(Object.keys(byFile).sort(), ['rules/anydesk.yaml', 'rules/old.yaml', 'rules/screen.yaml']);
  const keys = (l: any[]) => l.map((f) => `${f.key.DeviceName} ${f.key.RemoteUrl}`).sort();

  const any = byFile['rules/anydesk.yaml'];
  assert.equal(any.change, 'modified');
  assert.deepEqual([any.old.findings, any.new.findings], [3, 1]);
  assert.deepEqual(keys(any.gained), []);
  assert.deepEqual(keys(any.lost), ['pc-2 boot.net.anydesk.com', 'pc-4 notanydesk.com.evil.example']);
  assert.deepEqual([any.kept, any.changed], [1, 0]);
  const lost = any.lost.find((f: any) => f.key.DeviceName === 'pc-4');
  assert.equal(lost.count, 1);
  assert.equal(lost.rows.length, 1, 'one example row by default');
  assert.equal(lost.rows[0].RemoteUrl, 'notanydesk.com.evil.example');
  assert.match(lost.id, /^[0-9a-f]{16}$/);

  const screen = byFile['rules/screen.yaml'];
  assert.equal(screen.change, 'added');
  assert.equal(screen.old, undefined);
  assert.deepEqual(keys(screen.gained), ['pc-3 api.screenconnect.com', 'pc-4 notanydesk.com.evil.example']);
  assert.deepEqual(screen.lost, []);

  const old = byFile['rules/old.yaml'];
  assert.equal(old.change, 'removed');
  assert.deepEqual(keys(old.lost), ['pc-3 api.screenconnect.com']);
  assert.deepEqual(old.gained, []);
  assert.deepEqual(out.problems, []);
});

test('--compare <git-ref>: the text report names each rule, its before and after, and example rows', async () => {
  const r = await runCli(['hunt', '--compare', 'main', '--workspace', ws, '--as-of', '2026-11-21T00:00:00Z', '--examples', '2'], { cwd: join(repo, 'rules') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^impact of 3 changed rules against main \([0-9a-f]{12}\), as of 2026-11-21T00:00:00\.0000000Z/);
  assert.match(r.stdout, /modified rules\/anydesk\.yaml: AnyDesk relay \[11111111-1111-4111-8111-111111111111\]\n  before: 3 findings from 3 rows\n  after:  1 finding from 1 row\n  findings: \+0 gained, -2 lost, 1 kept\n/);
  assert.match(r.stdout, /  - pc-4 RemoteUrl=notanydesk\.com\.evil\.example \(1 event, 2026-11-20T12:30:00Z\.\.2026-11-20T12:30:00Z\)\n      \{"DeviceName":"pc-4","RemoteUrl":"notanydesk\.com\.evil\.example"/);
  assert.match(r.stdout, /removed rules\/old\.yaml: Old ScreenConnect/);
  assert.match(r.stdout, /total: 3 rules changed, 2 findings gained, 3 lost\n$/);
});

test('--compare <rule-file>: the file against the rule kqlite has with the same id; nothing is stored', async () => {
  const imp = await runCli(['rules', 'import', join(repo, 'rules'), '--workspace', ws]);
  assert.equal(imp.code, 0, imp.stderr);
  const changed = join(root, 'anydesk-v3.yaml');
  writeFileSync(changed, rule(ANYDESK, 'AnyDesk relay', 'RemoteUrl endswith "anydesk.com"'));
  const r = await runCli(['hunt', '--compare', changed, '--workspace', ws, '--format', 'json', '--as-of', '2026-11-21T00:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.base.ref, 'workspace');
  assert.equal(out.rules.length, 1);
  const x = out.rules[0];
  assert.equal(x.change, 'modified');
  assert.deepEqual(x.gained.map((f: any) => f.key.DeviceName).sort(), ['pc-2']);
  assert.deepEqual(x.lost, []);
  assert.equal(x.kept, 1);
  assert.equal(existsSync(join(ws, 'findings.sqlite')), false, 'no findings database was made');
});

test('--compare refuses what it cannot use', async () => {
  const bad = await runCli(['hunt', '--compare', 'no-such-branch', 'rules', '--workspace', ws], { cwd: repo });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /'no-such-branch' is neither a rule file nor a commit of the git repository at /);
  const fileAndPaths = await runCli(['hunt', '--compare', join(repo, 'rules/anydesk.yaml'), 'rules', '--workspace', ws]);
  assert.equal(fileAndPaths.code, 1);
  assert.match(fileAndPaths.stderr, /is a rule file: paths go with a git ref/);
  const noRepo = await runCli(['hunt', '--compare', 'HEAD', '--workspace', ws], { cwd: root });
  assert.equal(noRepo.code, 1);
  assert.match(noRepo.stderr, /not a git repository/i);
});
