// Sigma rules and Windows event logs through the command line: ingest of an EVTX (its Sentinel and Defender
// rows), rules import of Sigma YAML (one rule that cannot run here, kept and explained), rules show (the
// converted KQL, the original YAML, author and licence), check, and hunt --rules language:sigma.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { filetimeOf, str, writeEvtx } from '../helpers/evtx-writer.js';
import { SIGMA } from '../helpers/sigma-regression.js';

const dir = mkdtempSync(join(tmpdir(), 'kqlite-cli-sigma-'));
const ws = join(dir, 'ws');
const WHOAMI = 'rules/windows/process_creation/proc_creation_win_whoami_all_execution.yml';
const WHOAMI_ID = 'c248c896-e412-4279-8c15-1c558067b6fa';
const AWS = 'title: AWS Root Credentials\nid: 8ad1600d-e9dc-4251-b0ee-a65268f29add\nauthor: vitaliy0x1\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    userIdentity.type: Root\n  condition: selection\nlevel: medium\n';

test('ingest an EVTX, import Sigma rules, show one, check them, and hunt with them', { timeout: 180_000 }, async () => {
  const sysmon = { provider: 'Microsoft-Windows-Sysmon', providerGuid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9', channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'ws-07.contoso.local', eventId: 1, version: 5 };
  const evtx = join(dir, 'Sysmon.evtx');
  writeFileSync(evtx, writeEvtx([
    { ...sysmon, time: filetimeOf(Date.UTC(2025, 9, 1)), recordId: 41, data: [['Image', str('C:\\Windows\\System32\\whoami.exe')], ['OriginalFileName', str('whoami.exe')], ['CommandLine', str('whoami /all')], ['User', str('CONTOSO\\alice')]] },
    { ...sysmon, time: filetimeOf(Date.UTC(2025, 9, 1, 1)), recordId: 42, data: [['Image', str('C:\\Windows\\System32\\notepad.exe')], ['CommandLine', str('notepad')], ['User', str('CONTOSO\\alice')]] },
  ]));
  const ing = await runCli(['ingest', evtx, '--workspace', ws]);
  assert.equal(ing.code, 0, ing.stderr);
  assert.match(ing.stdout, /Sysmon\.evtx \(evtx\): read 2, loaded 2, quarantined 0 → WindowsEvent 2, DeviceProcessEvents 2 \(2 of the events also as Defender rows\)/);

  const rules = join(dir, 'sigma');
  mkdirSync(rules, { recursive: true });
  copyFileSync(join(SIGMA, WHOAMI), join(rules, 'whoami.yml'));
  copyFileSync(join(SIGMA, 'LICENSE'), join(rules, 'LICENSE'));
  writeFileSync(join(rules, 'aws.yml'), AWS);
  const imp = await runCli(['rules', 'import', rules, '--workspace', ws]);
  assert.equal(imp.code, 0, imp.stdout + imp.stderr);
  assert.match(imp.stdout, /^aws\.yml: not runnable here: logsource \(product aws, service cloudtrail\) is not a Windows event log; kqlite holds Windows event logs and Defender XDR tables$/m);
  assert.match(imp.stdout, /files 2, rules loaded 2 \(Sigma 2, not runnable here 1\), repaired 0, failed 0/);

  const show = await runCli(['rules', 'show', WHOAMI_ID, '--workspace', ws]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /· Sigma · /);
  assert.match(show.stdout, /Author and Licence\n {2}author: .+\n {2}licence: LICENSE \(Detection Rule License \(DRL\) 1\.1\)\n {2}status: \w+\n/);
  assert.match(show.stdout, /logsource: windows\/process_creation → DeviceProcessEvents/);
  assert.match(show.stdout, /KQL Query \(converted from the Sigma rule\)\n {2}DeviceProcessEvents\n {2}\| where /);
  assert.match(show.stdout, /False Positive Guidance\n {2}\S/);
  assert.match(show.stdout, /Sigma Rule \(original YAML\)\n {2}title: Enumerate All Information With Whoami\.EXE\n/);
  const aws = await runCli(['rules', 'show', '8ad1600d-e9dc-4251-b0ee-a65268f29add', '--workspace', ws]);
  assert.match(aws.stdout, /Not runnable here\n {2}logsource \(product aws, service cloudtrail\)/);
  assert.match(aws.stdout, /KQL Query \(converted from the Sigma rule\)\n {2}\(none\)/);
  const list = JSON.parse((await runCli(['rules', 'list', '--workspace', ws, '--source', 'import', '--format', 'json'])).stdout) as { id: string; language: string; notRunnable?: string }[];
  assert.deepEqual(list.map((r) => [r.id, r.language, r.notRunnable !== undefined]).sort(), [['8ad1600d-e9dc-4251-b0ee-a65268f29add', 'sigma', true], [WHOAMI_ID, 'sigma', false]]);

  const chk = await runCli(['check', rules, '--format', 'json']);
  assert.equal(chk.code, 0);
  assert.deepEqual((JSON.parse(chk.stdout) as { file: string; code: string; severity: string }[]).map((d) => [d.file.split('/').pop(), d.code, d.severity]), [['aws.yml', 'SIGMA001', 'warning']]);
  writeFileSync(join(dir, 'bad.yml'), 'title: Bad\nid: 1\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image|endswith: x\n  condition: sel and\n');
  const bad = await runCli(['check', join(dir, 'bad.yml')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /bad\.yml:9:1: error SIGMA004: invalid rule: line 9: condition 'sel and': the condition ends too early/);

  const hunt = await runCli(['hunt', '--workspace', ws, '--rules', 'language:sigma']);
  assert.equal(hunt.code, 2, hunt.stdout + hunt.stderr);
  assert.match(hunt.stdout, /rules: 1 run, 1 skipped, 0 failed\n {2}skipped 1: not runnable here: logsource \(product aws, service cloudtrail\)/);
  assert.match(hunt.stdout, /ws-07\.contoso\.local/);
  const f = JSON.parse((await runCli(['findings', 'list', '--workspace', ws, '--format', 'json'])).stdout) as { ruleId: string; device: string; reportIds: string[] }[];
  assert.deepEqual(f.map((x) => [x.ruleId, x.device, x.reportIds]), [[WHOAMI_ID, 'ws-07.contoso.local', ['41']]]);
});
