// `kqlite test` through the CLI: the shipped tests of the seed rules and a sample of the built-in pack pass
// (fused and not), a broken rule fails with a diff, bad test files error at file:line:column, inputs from
// NDJSON/CSV/EVTX files, missing columns as typed nulls, every CI format read back by an independent reader.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseJunit } from 'junit2json';
import { loadSuite, runTestSuites, testFilesIn } from '../../src/hunts/rule-tests/index.js';
import { exampleRules } from '../../src/rules/index.js';
import { runCli } from '../helpers/cli.js';
import { filetimeOf, str, u32, writeEvtx } from '../helpers/evtx-writer.js';
import { sarifValidator } from '../helpers/sarif-schema.js';

const SHIPPED = 'test/rule-tests';
const tmp = mkdtempSync(join(tmpdir(), 'kqlite-rule-tests-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the seed rules and their tests in a folder of its own. */
function seedCopy(name: string): string {
  const dir = join(tmp, name);
  cpSync(join(SHIPPED, 'seed'), dir, { recursive: true });
  return dir;
}

test('the shipped seed rule files are the built-in seed rules, byte for byte', () => {
  for (const r of exampleRules()) {
    const file = r.source.path!.split('/').pop()!;
    assert.equal(readFileSync(join(SHIPPED, 'seed', file), 'utf8'), r.yaml, file);
  }
});

test('the shipped tests (seed rules, a sample of the built-in pack, a Sigma rule) pass, fused and unfused alike', async () => {
  const fused = await runCli(['test', SHIPPED, '--format', 'json']);
  assert.equal(fused.code, 0, fused.stdout + fused.stderr);
  const doc = JSON.parse(fused.stdout);
  assert.equal(doc.summary.failed + doc.summary.errors, 0);
  assert.ok(doc.summary.passed >= 19, `passed ${doc.summary.passed}`);
  const rules = new Set(doc.tests.map((t: { ruleId: string }) => t.ruleId));
  for (const r of exampleRules()) assert.ok(rules.has(r.id), `no test of seed rule ${r.id}`);
  assert.ok([...rules].filter((id) => String(id).startsWith('kqlite-rmm-')).length >= 5);
  // the same outcomes, row for row, without shared scans (in-process: the CLI's --no-fuse is this option)
  const suites = () => testFilesIn([SHIPPED]).files.map(loadSuite);
  const rows = (os: Awaited<ReturnType<typeof runTestSuites>>) => os.map((o) => [o.name, o.status, o.actual?.rows, o.actual?.findings]);
  assert.deepEqual(rows(await runTestSuites(suites(), { fused: false })), rows(await runTestSuites(suites(), { fused: true })));
  const unfused = await runCli(['test', join(SHIPPED, 'seed'), '--no-fuse']);
  assert.equal(unfused.code, 0, unfused.stdout);
});

test("breaking a rule (has → ==) fails its test with the expectation's place and an expected/actual diff", async () => {
  const dir = seedCopy('broken-has');
  const rule = join(dir, 'rmm_Action1_netconn.yaml');
  writeFileSync(rule, readFileSync(rule, 'utf8').replace("InitiatingProcessVersionInfoCompanyName has 'Action1'", "InitiatingProcessVersionInfoCompanyName == 'Action1'"));
  const r = await runCli(['test', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FAIL {2}\S*rmm_Action1_netconn\.yaml > fires on the Action1 agent reaching its server/);
  assert.match(r.stdout, /rmm_Action1_netconn\.tests\.yaml:25:14: expected the rule to fire, but it returned no rows/);
  assert.match(r.stdout, /rmm_Action1_netconn\.tests\.yaml:30:11: expected row not found among 0 result rows/);
  assert.match(r.stdout, / {8}- DeviceName: "fin-laptop-07\.corp\.example"/);
  // the other tests of the rule, and the other rules, still pass
  assert.match(r.stdout, /rule tests: 7 passed, 1 failed, 0 errors \(3 rules/);
});

test('a rule that returns other values: the diff shows the differing column as -expected / +actual', async () => {
  const dir = seedCopy('broken-count');
  const rule = join(dir, 'rmm_Action1_netconn.yaml');
  writeFileSync(rule, readFileSync(rule, 'utf8').replace('Count=count()', 'Count=dcount(DeviceId)'));
  const r = await runCli(['test', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /closest actual row \(1 of 1\):\n {10}DeviceName: "fin-laptop-07\.corp\.example"\n(.*\n)* {8}- Count: 2\n {8}\+ Count: 1\n/);
});

test('bad tests are errors at file:line:column, never silent passes; the other tests still run', async () => {
  const dir = join(tmp, 'bad');
  cpSync(join(SHIPPED, 'seed', 'rmm_mRemoteNG_netconn.yaml'), join(dir, 'rmm_mRemoteNG_netconn.yaml'));
  writeFileSync(join(dir, 'rmm_mRemoteNG_netconn.tests.yaml'), `tests:
  - name: unknown column
    asOf: 2026-11-20T12:00:00Z
    rows:
      DeviceNetworkEvents:
        - { Timestamp: 2026-11-20T10:00:00Z, RemoteUrll: mremoteng.org }
    expect: { fires: false }
  - name: unknown table
    asOf: 2026-11-20T12:00:00Z
    rows:
      devicenetworkevents: []
    expect: { fires: false }
  - name: a value the column cannot hold
    rows:
      DeviceNetworkEvents:
        - { Timestamp: yesterday, RemotePort: 443 }
    expect: { fires: false }
  - name: misspelt expectation
    asOf: 2026-11-20T12:00:00Z
    expect: { fire: true }
  - name: missing file
    rows:
      DeviceNetworkEvents: events.ndjson
    expect: { fires: false }
  - name: still runs
    asOf: 2026-11-20T12:00:00Z
    expect: { fires: false }
`);
  const r = await runCli(['test', dir]);
  assert.equal(r.code, 1);
  const out = r.stdout;
  assert.match(out, /rmm_mRemoteNG_netconn\.tests\.yaml:6:46: unknown column 'RemoteUrll' in DeviceNetworkEvents/);
  assert.match(out, /rmm_mRemoteNG_netconn\.tests\.yaml:11:7: unknown table 'devicenetworkevents' \(did you mean 'DeviceNetworkEvents'\?/);
  assert.match(out, /rmm_mRemoteNG_netconn\.tests\.yaml:16:13: DeviceNetworkEvents: column Timestamp: yesterday is not a datetime/);
  assert.match(out, /rmm_mRemoteNG_netconn\.tests\.yaml:20:15: unknown expectation 'fire' \(expected fires, rows, findings, columns, contains, excludes\)/);
  assert.match(out, /rmm_mRemoteNG_netconn\.tests\.yaml:23:28: no such input file: events\.ndjson/);
  assert.match(out, /PASS {2}\S+ > still runs/);
  assert.match(out, /rule tests: 1 passed, 0 failed, 5 errors/);
});

test('inputs: NDJSON and CSV files beside the test, missing columns as typed nulls, an unknown column in a file at its line', async () => {
  const dir = join(tmp, 'files');
  cpSync(join(SHIPPED, 'seed', 'rmm_Action1_netconn.yaml'), join(dir, 'action1.yaml'));
  writeFileSync(join(dir, 'net.ndjson'), [
    { Timestamp: '2026-11-20T09:00:00Z', DeviceId: 'd1', DeviceName: 'pc-1', RemoteUrl: 'server.action1.com', InitiatingProcessVersionInfoCompanyName: 'Action1 Corp', InitiatingProcessVersionInfoProductName: 'Action1 Agent', ReportId: 1 },
  ].map((x) => JSON.stringify(x)).join('\n') + '\n');
  writeFileSync(join(dir, 'net.csv'), 'Timestamp,DeviceId,DeviceName,RemoteUrl,InitiatingProcessVersionInfoCompanyName,InitiatingProcessVersionInfoProductName,ReportId\n2026-11-20T09:00:00Z,d2,pc-2,server.action1.com,Action1 Corp,Action1 Agent,2\n');
  writeFileSync(join(dir, 'bad.ndjson'), '{"Timestamp":"2026-11-20T09:00:00Z","DeviceName":"pc-3"}\n{"Timestamp":"2026-11-20T09:00:00Z","Bogus":1}\n');
  writeFileSync(join(dir, 'action1.tests.yaml'), `tests:
  - name: from NDJSON
    rows: { DeviceNetworkEvents: net.ndjson }
    expect: { findings: 1, contains: [{ DeviceName: pc-1, Report: [1] }] }
  - name: from CSV
    rows: { DeviceNetworkEvents: net.csv }
    expect: { findings: 1, contains: [{ DeviceName: pc-2 }] }
  - name: unknown column in a file
    rows: { DeviceNetworkEvents: bad.ndjson }
    expect: { fires: false }
`);
  // typed nulls: a rule of our own that asks for exactly that
  writeFileSync(join(dir, 'nulls.yaml'), `id: typed-nulls
name: Typed nulls
severity: Low
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceNetworkEvents]
query: |
  DeviceNetworkEvents
  | where isnull(RemotePort) and isnull(ReportId) and RemoteUrl == ""
  | project DeviceName, RemotePort, T = gettype(RemotePort)
tests:
  - name: a column the row leaves out is a null of its type
    asOf: 2026-11-21T00:00:00Z
    rows:
      DeviceNetworkEvents:
        - { Timestamp: 2026-11-20T09:00:00Z, DeviceName: pc-9 }
    expect:
      rows: 1
      contains: [{ DeviceName: pc-9, RemotePort: null }]
`);
  const r = await runCli(['test', dir]);
  assert.match(r.stdout, /PASS {2}\S+action1\.yaml > from NDJSON/);
  assert.match(r.stdout, /PASS {2}\S+action1\.yaml > from CSV/);
  assert.match(r.stdout, /ERROR \S+action1\.yaml > unknown column in a file \(\d+ ms\)\n {6}\S*bad\.ndjson:2:37: unknown column 'Bogus' in DeviceNetworkEvents/);
  assert.match(r.stdout, /PASS {2}\S+nulls\.yaml > a column the row leaves out is a null of its type/);
  assert.equal(r.code, 1);
});

test('Sigma rules are testable, with an EVTX file as input', async () => {
  const dir = join(tmp, 'sigma');
  const sigma = readFileSync(join(SHIPPED, 'sigma', 'whoami_discovery.yml'), 'utf8').replace(/^tests:[\s\S]*$/m, '');
  const sys = { provider: 'Microsoft-Windows-Sysmon', providerGuid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9', channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'ws-01.contoso.local', userSid: 'S-1-5-18' };
  const T0 = Date.UTC(2025, 9, 1, 10);
  const ev = (i: number, cmd: string) => ({ ...sys, eventId: 1, version: 5, time: filetimeOf(T0 + i * 1000), recordId: i,
    data: [['Image', str('C:\\Windows\\System32\\cmd.exe')], ['CommandLine', str(cmd)], ['User', str('CONTOSO\\alice')], ['ProcessId', u32(4000 + i)]] as [string, ReturnType<typeof str>][] });
  cpSync(join(SHIPPED, 'sigma'), dir, { recursive: true });
  writeFileSync(join(dir, 'whoami_discovery.yml'), sigma + `tests:
  - name: fires on the whoami events of a Sysmon log
    files: [sysmon.evtx]
    expect:
      rows: 2
      contains:
        - { ProcessCommandLine: cmd.exe /c whoami /all, DeviceName: ws-01.contoso.local }
      excludes:
        - { ProcessCommandLine: cmd.exe /c dir }
`);
  writeFileSync(join(dir, 'sysmon.evtx'), writeEvtx([ev(1, 'cmd.exe /c whoami /all'), ev(2, 'cmd.exe /c dir'), ev(3, 'whoami.exe')]));
  const r = await runCli(['test', dir]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /PASS {2}\S+whoami_discovery\.yml > fires on the whoami events of a Sysmon log/);
  // breaking the Sigma rule (contains → exact match) fails it
  writeFileSync(join(dir, 'whoami_discovery.yml'), readFileSync(join(dir, 'whoami_discovery.yml'), 'utf8').replace('CommandLine|contains:', 'CommandLine:'));
  const broken = await runCli(['test', dir]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /whoami_discovery\.yml:\d+:\d+: expected 2 result rows, got 0/);
});

test('CI formats through the CLI: JUnit read by junit2json, SARIF valid against the 2.1.0 schema, GitHub annotations at the rule line, TAP', async () => {
  const dir = seedCopy('formats');
  const rule = join(dir, 'rmm_Action1_netconn.yaml');
  writeFileSync(rule, readFileSync(rule, 'utf8').replace("InitiatingProcessVersionInfoCompanyName has 'Action1'", "InitiatingProcessVersionInfoCompanyName == 'Action1'"));
  const [junit, sarif, github, tap] = await Promise.all(['junit', 'sarif', 'github', 'tap'].map((f) => runCli(['test', dir, '--format', f])));
  for (const r of [junit!, sarif!, github!, tap!]) assert.equal(r.code, 1);

  const doc = (await parseJunit(junit!.stdout)) as { tests: number; failures: number; testsuite: { name: string; testcase: { name: string; failure?: { message: string; inner: string }[] }[] }[] };
  assert.equal(doc.tests, 8);
  assert.equal(doc.failures, 1);
  const suite = doc.testsuite.find((s) => s.name.endsWith('rmm_Action1_netconn.yaml'))!;
  const failed = suite.testcase.find((c) => c.failure)!;
  assert.equal(failed.name, 'fires on the Action1 agent reaching its server, one finding per device and URL');
  assert.match(failed.failure![0]!.message, /expected the rule to fire, but it returned no rows/);
  assert.match(failed.failure![0]!.inner, /- DeviceName: "fin-laptop-07\.corp\.example"/);

  const log = JSON.parse(sarif!.stdout);
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors));
  assert.equal(log.runs[0].results.length, 1);
  assert.equal(log.runs[0].results[0].ruleId, 'rule-test-failed');
  // the rule file's query line: `query: |` is line 12 of the seed file
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 12, startColumn: 1 });

  const lines = github!.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^::error file=[^,]*formats\/rmm_Action1_netconn\.yaml,line=12,col=1,title=rule-test-failed fires on the Action1 agent reaching its server%2C one finding per device and URL::rule test "fires on the Action1 agent reaching its server, one finding per device and URL" failed: expected the rule to fire, but it returned no rows \(\S+rmm_Action1_netconn\.tests\.yaml:25:14\)%0A/);
  assert.equal(lines[1], 'kqlite test: 7 passed, 1 failed');

  assert.match(tap!.stdout, /^TAP version 14\n1\.\.8\n/);
  assert.match(tap!.stdout, /\nnot ok \d+ - \S+rmm_Action1_netconn\.yaml > fires on the Action1 agent/);
  assert.equal((tap!.stdout.match(/^ok \d+ /gm) ?? []).length, 7);
});

test('arguments: an unknown format and a path without tests are refused', async () => {
  const bad = await runCli(['test', SHIPPED, '--format', 'xml']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--format must be text, json, junit, sarif, tap, github, not 'xml'/);
  const none = await runCli(['test', join(tmp)]);
  assert.equal(none.code, 1);
});
