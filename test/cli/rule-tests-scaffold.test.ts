// `kqlite test scaffold` (from the rule's query and schema, and --from-findings from a real workspace) and
// `kqlite test --watch` through the CLI: a scaffolded file saved beside the rule passes, breaking the rule
// fails it; a real edit of a watched rule file re-runs its tests.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { followCli, runCli } from '../helpers/cli.js';

const SEED = 'test/rule-tests/seed';
const MREMOTENG = 'b4bae4af-5fe3-4217-bef0-c7ac5d51f3d1';
const tmp = mkdtempSync(join(tmpdir(), 'kqlite-scaffold-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function ruleDir(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(SEED, 'rmm_mRemoteNG_netconn.yaml'), join(dir, 'rmm_mRemoteNG_netconn.yaml'));
  return dir;
}

const breakRule = (file: string) => writeFileSync(file, readFileSync(file, 'utf8').replace("InitiatingProcessVersionInfoCompanyName has 'mRemoteNG'", "InitiatingProcessVersionInfoCompanyName == 'mRemoteNG'"));

test('scaffold from the rule: saved beside the rule it passes; has → == in the rule makes it fail', async () => {
  const dir = ruleDir('from-query');
  const s = await runCli(['test', 'scaffold', MREMOTENG, dir]);
  assert.equal(s.code, 0, s.stderr);
  const doc = parseYaml(s.stdout) as { tests: { name: string; rows: Record<string, Record<string, unknown>[]>; expect: Record<string, unknown> }[] };
  assert.equal(doc.tests.length, 2);
  const row = doc.tests[0]!.rows['DeviceNetworkEvents']![0]!;
  assert.equal(row['RemoteUrl'], 'agent.mremoteng.org');
  assert.equal(row['InitiatingProcessVersionInfoCompanyName'], 'mRemoteNG (scaffold)');
  assert.equal(doc.tests[0]!.expect['fires'], true);
  assert.equal(doc.tests[1]!.expect['fires'], false);
  writeFileSync(join(dir, 'rmm_mRemoteNG_netconn.tests.yaml'), s.stdout);
  const ok = await runCli(['test', dir]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /rule tests: 2 passed, 0 failed, 0 errors/);
  breakRule(join(dir, 'rmm_mRemoteNG_netconn.yaml'));
  const broken = await runCli(['test', dir]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /FAIL {2}\S+rmm_mRemoteNG_netconn\.yaml > fires on rows built from the rule's own comparisons/);
});

test('scaffold --from-findings: real rows behind the findings of a hunt; --out writes the file', async () => {
  const dir = ruleDir('from-findings');
  const ws = join(tmp, 'ws');
  const rows = [
    { Timestamp: '2026-11-19T08:00:00Z', DeviceId: 'a1', DeviceName: 'admin-01', RemoteUrl: 'mremoteng.org', RemotePort: 443, InitiatingProcessFileName: 'mRemoteNG.exe', InitiatingProcessVersionInfoCompanyName: 'mRemoteNG Open Source', ReportId: 41 },
    { Timestamp: '2026-11-19T09:00:00Z', DeviceId: 'a1', DeviceName: 'admin-01', RemoteUrl: 'mremoteng.org', RemotePort: 443, InitiatingProcessFileName: 'mRemoteNG.exe', InitiatingProcessVersionInfoCompanyName: 'mRemoteNG Open Source', ReportId: 42 },
    { Timestamp: '2026-11-19T09:30:00Z', DeviceId: 'b2', DeviceName: 'web-01', RemoteUrl: 'www.bing.com', InitiatingProcessVersionInfoCompanyName: 'Microsoft', ReportId: 43 },
  ];
  writeFileSync(join(tmp, 'DeviceNetworkEvents.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  assert.equal((await runCli(['ingest', join(tmp, 'DeviceNetworkEvents.ndjson'), '--workspace', ws, '--quiet'])).code, 0);
  const hunt = await runCli(['hunt', '--rules', MREMOTENG, '--workspace', ws]);
  assert.equal(hunt.code, 2, hunt.stdout + hunt.stderr); // 2: new findings
  const out = join(dir, 'rmm_mRemoteNG_netconn.tests.yaml');
  const s = await runCli(['test', 'scaffold', MREMOTENG, dir, '--from-findings', '--workspace', ws, '--out', out]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stderr, /wrote \S+rmm_mRemoteNG_netconn\.tests\.yaml \(1 test for Remote Management and Monitoring tool - mRemoteNG/);
  const doc = parseYaml(readFileSync(out, 'utf8')) as { tests: { rows: Record<string, Record<string, unknown>[]>; expect: Record<string, unknown> }[] };
  const input = doc.tests[0]!.rows['DeviceNetworkEvents']!;
  assert.deepEqual(input.map((r) => r['ReportId']), [41, 42]); // the two events of the finding, not the unrelated one
  assert.equal(input[0]!['InitiatingProcessFileName'], 'mRemoteNG.exe');
  assert.equal(doc.tests[0]!.expect['findings'], 1);
  const ok = await runCli(['test', dir]);
  assert.equal(ok.code, 0, ok.stdout);
  breakRule(join(dir, 'rmm_mRemoteNG_netconn.yaml'));
  assert.equal((await runCli(['test', dir])).code, 1);
});

test('scaffold of an unknown rule id is an error naming it', async () => {
  const r = await runCli(['test', 'scaffold', 'no-such-rule', tmp]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no rule with id no-such-rule/);
});

test('--watch re-runs the tests of a rule whose file changes', async () => {
  const dir = join(tmp, 'watch');
  cpSync(SEED, dir, { recursive: true });
  const w = followCli(['test', '--watch', dir]);
  try {
    await w.waitFor(/watching 3 test files for changes/, { timeoutMs: 60_000 });
    assert.match(w.output(), /rule tests: 8 passed, 0 failed, 0 errors \(3 rules/);
    const mark = w.output().length;
    const rule = join(dir, 'rmm_Action1_netconn.yaml');
    writeFileSync(rule, readFileSync(rule, 'utf8').replace("InitiatingProcessVersionInfoCompanyName has 'Action1'", "InitiatingProcessVersionInfoCompanyName == 'Action1'"));
    const after = await w.waitFor(/rule tests: \d+ passed, \d+ failed, \d+ errors? \(1 rule/, { from: mark, timeoutMs: 60_000 });
    const rerun = after.slice(mark);
    // only the changed rule's tests ran again, and the break shows
    assert.match(rerun, /changed: \S+rmm_Action1_netconn\.yaml/);
    assert.match(rerun, /FAIL {2}\S+rmm_Action1_netconn\.yaml > fires on the Action1 agent/);
    assert.doesNotMatch(rerun, /mRemoteNG|TacticalRMM/);
    // a change to the tests file alone re-runs them too
    const mark2 = w.output().length;
    const tests = join(dir, 'rmm_mRemoteNG_netconn.tests.yaml');
    writeFileSync(tests, readFileSync(tests, 'utf8').replace('fires on mRemoteNG checking for updates', 'fires on mRemoteNG update checks'));
    await w.waitFor(/PASS {2}\S+rmm_mRemoteNG_netconn\.yaml > fires on mRemoteNG update checks/, { from: mark2, timeoutMs: 60_000 });
  } finally {
    assert.equal(await w.stop(), 1); // the last run had a failure
  }
});
