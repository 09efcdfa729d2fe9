// kqlite sources (add, list, sync, changes, remove) and watchlists through the CLI, on git repositories
// built in the test: readers of every kind, upstream links, incremental syncs, diffs, query identity across
// sources, parser functions and watchlists the rules call, and the errors for bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { commitFiles, initRepo } from '../helpers/git-repo.js';
import { ANALYTIC, BROKEN, HUNTING, KQL_FILE, MARKDOWN, README } from './fixtures/sources-rules.js';

let root: string;
let ws: string;
let repo: string;
let first: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-sources-cli-'));
  ws = join(root, 'ws');
  repo = join(root, 'community');
  initRepo(repo);
  first = commitFiles(repo, {
    'LICENSE': 'MIT License\n\nCopyright (c) the authors\n',
    'README.md': README,
    'docs/notes.txt': 'These are notes, not a query.\n',
    'Detections/beaconing.yaml': ANALYTIC(5),
    'Hunting/encoded-powershell.yaml': HUNTING,
    'queries/lsass.md': MARKDOWN,
    'queries/schtasks.kql': KQL_FILE,
    'broken/broken.yaml': BROKEN,
  }, 'first');
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Entry { id: string; name: string; status: string; techniques: string[]; tables: string[]; references: string[]; version: number; diagnostics: { code: string; message: string }[];
  source: { kind: string; name: string; path?: string; commit?: string; webUrl?: string; license?: string; author?: string; importedAt?: string }; alsoFrom?: { name: string; path?: string }[] }
const list = async () => {
  const r = await runCli(['rules', 'list', '--workspace', ws, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as Entry[]).filter((e) => e.source.kind === 'git');
};

test('sources add reads every kind of rule file, skips and counts what is not a rule, and names the file that cannot be read', async () => {
  const r = await runCli(['sources', 'add', repo, '--name', 'community', '--web-url', 'https://git.example.com/community/blob/{commit}/{path}', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /added source 'community'/);
  assert.match(r.stdout, /community: broken\/broken\.yaml:5:\d+: invalid YAML/);
  assert.match(r.stdout, /community: synced [0-9a-f]{12}: files 7 \(read 7\), rules 5, functions 0, skipped 2, failed 1, other files 1; new 5, updated 0, removed 0/);
  const rules = await list();
  assert.deepEqual(rules.map((x) => x.name).sort(), ['Encoded PowerShell', 'Remote tool beaconing to rare domains', 'Suspicious LSASS access (Defender XDR)', 'Suspicious LSASS access (Sentinel)', 'schtasks']);
  const beacon = rules.find((x) => x.name.startsWith('Remote tool'))!;
  assert.equal(beacon.source.webUrl, `https://git.example.com/community/blob/${first}/Detections/beaconing.yaml`);
  assert.equal(beacon.source.commit, first);
  assert.equal(beacon.source.author, 'Jane Analyst');
  assert.match(beacon.source.license!, /^LICENSE \(MIT License\)/);
  assert.deepEqual(beacon.references, ['https://attack.mitre.org/techniques/T1219/'], 'javascript: references are dropped');
  assert.equal(beacon.status, 'valid', JSON.stringify(beacon.diagnostics));
  const lsass = rules.filter((x) => x.name.startsWith('Suspicious LSASS'));
  assert.equal(lsass.length, 2);
  for (const l of lsass) {
    assert.deepEqual(l.techniques, ['T1003.001']);
    assert.deepEqual(l.tables, ['DeviceEvents']);
    assert.deepEqual(l.references, ['https://attack.mitre.org/techniques/T1003/001/']);
  }
  const kql = rules.find((x) => x.source.path === 'queries/schtasks.kql')!;
  assert.equal(kql.name, 'schtasks');
  assert.deepEqual(kql.techniques, ['T1053.005']);
  const shown = await runCli(['rules', 'show', beacon.id, '--workspace', ws]);
  assert.match(shown.stdout, new RegExp(`^View original rule at community: https://git\\.example\\.com/community/blob/${first}/Detections/beaconing\\.yaml$`, 'm'));
  assert.match(shown.stdout, /^community Detections\/beaconing\.yaml: licence LICENSE \(MIT License\), author Jane Analyst$/m);
  assert.match(shown.stdout, /^Original source: https:\/\/git\.example\.com\//m);
  assert.doesNotMatch(shown.stdout, /javascript:|file:\/\//);
  const listed = await runCli(['sources', 'list', '--workspace', ws, '--format', 'json']);
  const src = JSON.parse(listed.stdout) as { name: string; commit: string; rules: number }[];
  assert.deepEqual(src.map((s) => [s.name, s.commit, s.rules]), [['community', first, 5]]);
});

test('a sync of an unchanged source reads nothing; a change upstream is one new version with its diff, a deleted file is removed upstream', async () => {
  const same = await runCli(['sources', 'sync', '--workspace', ws]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /community: unchanged at [0-9a-f]{12}: files 7 \(read 0\), rules 5/);
  const before = (await list()).find((x) => x.name.startsWith('Remote tool'))!;
  const second = commitFiles(repo, { 'Detections/beaconing.yaml': ANALYTIC(10).replace('severity: High', 'severity: Medium'), 'Hunting/encoded-powershell.yaml': undefined }, 'second');
  const r = await runCli(['sources', 'sync', 'community', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`synced ${second.slice(0, 12)} \\(was ${first.slice(0, 12)}\\): files 6 \\(read 1\\), rules 4, .*new 0, updated 1, removed 1`));
  const after = (await list()).find((x) => x.name.startsWith('Remote tool'))!;
  assert.equal(after.id, before.id, 'the rule keeps its id (and so its findings)');
  assert.equal(after.version, 2);
  assert.equal(after.source.webUrl, `https://git.example.com/community/blob/${second}/Detections/beaconing.yaml`);
  const changes = await runCli(['sources', 'changes', '--workspace', ws]);
  assert.equal(changes.code, 0, changes.stderr);
  assert.match(changes.stdout, /~ updated {2}Remote tool beaconing to rare domains \(11111111-2222-3333-4444-555555555555\) version 2/);
  assert.match(changes.stdout, /severity: "high" -> "medium"/);
  assert.match(changes.stdout, /- \| where Count > 5\n\s+\+ \| where Count > 10/);
  assert.match(changes.stdout, /- removed {2}Encoded PowerShell/);
  const json = JSON.parse((await runCli(['sources', 'changes', '--workspace', ws, '--format', 'json'])).stdout) as { added: unknown[]; updated: unknown[]; removed: unknown[] }[];
  assert.deepEqual(json.map((c) => [c.added.length, c.updated.length, c.removed.length]), [[0, 1, 1], [5, 0, 0]]);
  const since = await runCli(['sources', 'changes', '--since', '2999-01-01', '--workspace', ws]);
  assert.match(since.stdout, /no changes recorded/);
  // the removed rule's page and history stay readable; it is no longer in the feed
  assert.ok(!(await list()).some((x) => x.name === 'Encoded PowerShell'));
});

test('the same query from a second source is one rule with both provenances', async () => {
  const other = join(root, 'other');
  initRepo(other);
  commitFiles(other, { 'hunts/tasks.kql': `// copied from the community repository\n${KQL_FILE.split('\n').slice(2).join('\n').replace(/\| project/, '|   project')}` });
  const r = await runCli(['sources', 'add', other, '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /other: synced .*rules 1/);
  const rules = await list();
  const tasks = rules.filter((x) => x.source.path === 'queries/schtasks.kql' || x.source.path === 'hunts/tasks.kql');
  assert.equal(tasks.length, 1, 'one card');
  assert.deepEqual(tasks[0]!.alsoFrom?.map((s) => [s.name, s.path]), [['other', 'hunts/tasks.kql']]);
  assert.equal(tasks[0]!.source.webUrl?.startsWith('https://'), true);
  const removed = await runCli(['sources', 'remove', 'other', '--workspace', ws]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal((await list()).find((x) => x.source.path === 'queries/schtasks.kql')?.alsoFrom, undefined);
});

test('parser functions from a source and watchlists from CSV: rules that call them validate and queries run them; an undefined parser is one diagnostic', async () => {
  const asim = join(root, 'asim');
  initRepo(asim);
  commitFiles(asim, {
    'Parsers/ASimDemo/Parsers/imDemo.yaml': `Parser:\n  Title: Demo\nParserName: imDemo\nEquivalentBuiltInParser: _Im_Demo\nParserParams:\n  - Name: prefix\n    Type: string\n    Default: ''\nParserQuery: |\n  datatable(Host:string, Hits:long)['alpha', 3, 'beta', 5, 'gamma', 7]\n  | where Host startswith prefix\n`,
    'Detections/uses-parser.yaml': `id: aaaaaaaa-0000-0000-0000-000000000001\nname: Uses the demo parser\nquery: |\n  _Im_Demo(prefix='b')\n  | where Hits > 1\n  | join kind=inner (_GetWatchlist('vip') | project Host=SearchKey, Owner) on Host\n`,
    'Detections/missing-parser.yaml': `id: aaaaaaaa-0000-0000-0000-000000000002\nname: Uses a parser nobody defined\nquery: |\n  _Im_NetworkSession(starttime=ago(1d))\n  | where DstPortNumber == 3389 and SrcIpAddr has '10.'\n  | summarize count() by SrcIpAddr\n`,
  });
  const csv = join(root, 'vip.csv');
  writeFileSync(csv, 'Host,Owner\nbeta,Ann\ndelta,Bob\n');
  const w = await runCli(['watchlists', 'add', 'vip', csv, '--workspace', ws]);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stdout, /watchlist 'vip': 2 rows, columns Host, Owner \(SearchKey Host\)/);
  const r = await runCli(['sources', 'add', asim, '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /asim: synced .*rules 2, functions 1/);
  const rules = await list();
  const uses = rules.find((x) => x.name === 'Uses the demo parser')!;
  assert.deepEqual(uses.diagnostics.filter((d) => d.code.startsWith('KQL')), [], 'no query diagnostics');
  assert.notEqual(uses.status, 'error');
  const missing = rules.find((x) => x.name === 'Uses a parser nobody defined')!;
  const kql = missing.diagnostics.filter((d) => d.code.startsWith('KQL'));
  assert.equal(kql.length, 1, JSON.stringify(missing.diagnostics));
  assert.equal(kql[0]!.code, 'KQL2003');
  assert.match(kql[0]!.message, /unknown function '_Im_NetworkSession': an ASIM parser that no synced source defines/);
  const q = await runCli(['query', "imDemo(prefix='') | join kind=inner (_GetWatchlist('vip') | project Host=SearchKey, Owner) on Host | project Host, Hits, Owner", '--workspace', ws, '--format', 'json']);
  assert.equal(q.code, 0, q.stderr + q.stdout);
  assert.match(q.stdout, /"beta"/);
  assert.match(q.stdout, /"Ann"/);
  // a parser named as a table (no arguments) runs with its parameters' defaults, as Sentinel's imDns does
  const bare = await runCli(['query', 'imDemo | where Hits > 4 | project Host', '--workspace', ws, '--format', 'csv']);
  assert.equal(bare.code, 0, bare.stderr + bare.stdout);
  assert.deepEqual(bare.stdout.trim().split(/\r?\n/), ['Host', 'beta', 'gamma']);
  const bad = join(root, 'bad.csv');
  writeFileSync(bad, 'A,B\n1,2,3\n');
  const b = await runCli(['watchlists', 'add', 'broken', bad, '--workspace', ws]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /bad\.csv: not a CSV file \(line 2\)/);
});

test('bad input is refused with one clear line and changes nothing', async () => {
  const cases: [string[], RegExp][] = [
    [['sources', 'add', join(root, 'nowhere')], /no repository at '.*nowhere'/],
    [['sources', 'add', 'ext::sh -c touch% /tmp/pwned', '--name', 'x'], /only https, http, ssh, git and file repositories are fetched/],
    [['sources', 'add', repo, '--name', '../escape'], /is not a source name/],
    [['sources', 'add', repo, '--name', 'web', '--web-url', 'javascript:alert(1)/{path}'], /--web-url must be an http or https address/],
    [['sources', 'add', repo, '--name', 'refx', '--ref=--upload-pack=evil'], /is not a branch, tag or commit/],
    [['sources', 'sync', 'nope'], /no source 'nope'/],
    [['sources', 'changes', '--since', 'yesterday-ish'], /--since 'yesterday-ish' is not a date/],
    [['sources', 'remove', 'nope'], /no source 'nope'/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli([...args, '--workspace', ws]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const again = await runCli(['sources', 'add', repo, '--name', 'community', '--workspace', ws]);
  assert.match(again.stderr, /a source named 'community' exists already/);
  const gone = await runCli(['sources', 'add', join(root, 'community-moved'), '--name', 'gone', '--workspace', ws]);
  assert.equal(gone.code, 1);
  const names = (JSON.parse((await runCli(['sources', 'list', '--workspace', ws, '--format', 'json'])).stdout) as { name: string }[]).map((s) => s.name);
  assert.deepEqual(names, ['community', 'asim']);
});

test('findings of a synced rule are kept when the rule changes upstream: same rule id, a new version', async () => {
  const hunts = join(root, 'hunts-ws');
  assert.equal((await runCli(['demo', '--devices', '4', '--days', '2', '--workspace', hunts])).code, 0);
  const up = join(root, 'hunting-repo');
  initRepo(up);
  const rule = (n: number) => `id: bbbbbbbb-0000-0000-0000-000000000001\nname: AnyDesk relay traffic\nseverity: High\nrequiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes:\n      - DeviceNetworkEvents\ntactics:\n  - CommandAndControl\nrelevantTechniques:\n  - T1219\nquery: |\n  DeviceNetworkEvents\n  | where RemoteUrl has 'anydesk'\n  | summarize Count=count() by DeviceName\n  | where Count >= ${n}\n`;
  commitFiles(up, { 'anydesk.yaml': rule(1) });
  assert.equal((await runCli(['sources', 'add', up, '--name', 'hunting', '--workspace', hunts])).code, 0);
  const h = await runCli(['hunt', '--rules', 'bbbbbbbb-0000-0000-0000-000000000001', '--workspace', hunts, '--format', 'json']);
  assert.ok(h.code === 0 || h.code === 2, h.stderr);
  const findings = () => runCli(['findings', 'list', '--rule', 'bbbbbbbb-0000-0000-0000-000000000001', '--workspace', hunts, '--format', 'json']).then((r) => JSON.parse(r.stdout) as { id: string; ruleId: string }[]);
  const before = await findings();
  assert.ok(before.length > 0, 'the hunt found the planted AnyDesk traffic');
  commitFiles(up, { 'anydesk.yaml': rule(2) });
  assert.equal((await runCli(['sources', 'sync', 'hunting', '--workspace', hunts])).code, 0);
  const after = await findings();
  assert.deepEqual(after.map((f) => f.id).sort(), before.map((f) => f.id).sort(), 'every finding is still there, on the same rule');
  const shown = JSON.parse((await runCli(['rules', 'show', 'bbbbbbbb-0000-0000-0000-000000000001', '--workspace', hunts, '--format', 'json'])).stdout) as { version: number; query: string };
  assert.equal(shown.version, 2);
  assert.match(shown.query, /Count >= 2/);
});

test('a git source of Sigma rules: converted by the same reader as rules import, unmapped ones kept as not runnable, an invalid one in error with its line', async () => {
  const sigmaWs = join(root, 'sigma-ws');
  const up = join(root, 'sigma-repo');
  initRepo(up);
  const sevenZip = readFileSync(join('..', 'shared', 'corpus', 'sigma', 'rules', 'windows', 'process_creation', 'proc_creation_win_7zip_password_compression.yml'), 'utf8');
  const unmapped = 'title: Mainframe job submitted\nid: 5d1f0c2e-0000-4000-8000-000000000001\nstatus: test\nlogsource:\n  product: zos\n  service: jes\ndetection:\n  selection:\n    JobName: EVIL\n  condition: selection\nlevel: low\n';
  const broken = 'title: Broken condition\nid: 5d1f0c2e-0000-4000-8000-000000000002\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  selection:\n    Image|endswith: \\x.exe\n  condition: selection and other\nlevel: low\n';
  commitFiles(up, { 'LICENSE': 'Detection Rule License (DRL) 1.1\n', 'rules/7zip.yml': sevenZip, 'rules/zos.yml': unmapped, 'rules/broken.yml': broken });
  const r = await runCli(['sources', 'add', up, '--name', 'sigma', '--workspace', sigmaWs]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /files 3 \(read 3\), rules 3, functions 0, skipped 0, failed 0/);
  const rules = JSON.parse((await runCli(['rules', 'list', '--workspace', sigmaWs, '--format', 'json'])).stdout) as { id: string; language: string; status: string; notRunnable?: string; techniques: string[]; diagnostics: { code: string; message: string }[]; source: { kind: string; author?: string } }[];
  const mine = rules.filter((x) => x.source.kind === 'git');
  assert.deepEqual(mine.map((x) => x.id).sort(), ['5d1f0c2e-0000-4000-8000-000000000001', '5d1f0c2e-0000-4000-8000-000000000002', '9fbf5927-5261-4284-a71d-f681029ea574']);
  const bad = mine.find((x) => x.id.endsWith('0002'))!;
  assert.equal(bad.status, 'error');
  assert.match(bad.diagnostics[0]!.message, /line 9: .*'other' is not a search identifier/);
  const seven = mine.find((x) => x.id.startsWith('9fbf'))!;
  assert.equal(seven.language, 'sigma');
  assert.equal(seven.notRunnable, undefined);
  assert.equal(seven.status, 'valid');
  assert.deepEqual(seven.techniques, ['T1560.001']);
  assert.equal(seven.source.author, 'frack113');
  assert.match(mine.find((x) => x.id.endsWith('0001'))!.notRunnable ?? '', /zos|logsource/i);
  const shown = await runCli(['rules', 'show', seven.id, '--workspace', sigmaWs]);
  assert.match(shown.stdout, /KQL Query \(converted from the Sigma rule\)\n {2}DeviceProcessEvents/);
  assert.match(shown.stdout, /Sigma Rule \(original YAML\)/);
});

test('coverage and the Navigator layer over synced content: SigmaHQ\'s Windows rules from a git source cover hundreds of techniques', { timeout: 300_000 }, async (t) => {
  const covWs = join(root, 'coverage-ws');
  const up = join(root, 'sigmahq');
  initRepo(up);
  const from = join('..', 'shared', 'corpus', 'sigma', 'rules', 'windows');
  const files: Record<string, string> = { 'LICENSE': 'Detection Rule License (DRL) 1.1\n' };
  for (const f of readdirSync(from, { recursive: true }) as string[]) if (f.endsWith('.yml')) files[`rules/windows/${f}`] = readFileSync(join(from, f), 'utf8');
  commitFiles(up, files, 'SigmaHQ Windows rules');
  const covered = async () => {
    const r = await runCli(['coverage', '--workspace', covWs, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { techniques: { techniqueId: string; name: string; validRules: number }[] }).techniques.filter((t) => t.validRules > 0 && t.name !== '(not in ATT&CK)');
  };
  const before = (await covered()).length;
  const r = await runCli(['sources', 'add', up, '--name', 'sigmahq', '--workspace', covWs]);
  assert.equal(r.code, 0, r.stderr);
  const after = await covered();
  assert.ok(before < 30, `the built-in pack alone covers ${before} techniques`);
  assert.ok(after.length >= 200, `synced SigmaHQ Windows rules cover ${after.length} ATT&CK techniques`);
  t.diagnostic(`ATT&CK techniques with a valid rule: ${before} built in, ${after.length} with SigmaHQ's Windows rules synced`);
  const layerFile = join(root, 'layer.json');
  assert.equal((await runCli(['coverage', '--workspace', covWs, '--navigator', layerFile])).code, 0);
  const layer = JSON.parse(readFileSync(layerFile, 'utf8')) as { techniques: { techniqueID: string; score: number }[] };
  const scored = new Set(layer.techniques.filter((t) => t.score > 0).map((t) => t.techniqueID));
  for (const t of after) assert.ok(scored.has(t.techniqueId), `${t.techniqueId} is scored in the Navigator layer`);
});
