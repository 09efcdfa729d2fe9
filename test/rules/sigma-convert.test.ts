// Sigma → KQL as text: the query each rule shape becomes (pySigma's Microsoft XDR field names, exact
// operators, shared first `where` per logsource), the precise reasons a rule cannot run here, malformed rules,
// and the Rule a Sigma file becomes (severity, ATT&CK, page fields, licence).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertSigma, parseSigma, ruleFromSigma } from '../../src/rules/index.js';
import { parseCondition } from '../../src/rules/sigma/condition.js';
import { valueSpec } from '../../src/rules/sigma/values.js';

const rule = (logsource: string, detection: string, extra = '') =>
  `title: Test rule\nid: 5f2b1c3d-0000-4000-8000-000000000001\nstatus: test\n${extra}logsource:\n${logsource.replace(/^/gm, '  ')}\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
function kql(logsource: string, detection: string): string {
  const p = parseSigma(rule(logsource, detection));
  assert.ok(p.ok, JSON.stringify(p));
  const c = convertSigma(p.rule);
  return c.query || `NOT RUNNABLE: ${c.notes.find((n) => n.severity === 'error')?.code} ${c.notRunnable}`;
}

const CASES: [string, string, string, string][] = [
  ['process_creation: pySigma columns, verbatim paths, exact lists', 'product: windows\ncategory: process_creation', "sel:\n  Image|endswith: '\\whoami.exe'\n  ParentImage:\n    - 'C:\\Windows\\explorer.exe'\n    - 'C:\\Windows\\System32\\cmd.exe'\ncondition: sel",
    "DeviceProcessEvents\n| where (FolderPath endswith @'\\whoami.exe' and InitiatingProcessFolderPath in~ (@'C:\\Windows\\explorer.exe', @'C:\\Windows\\System32\\cmd.exe'))"],
  ['top-level and on its own lines; not; cased', 'product: windows\ncategory: process_creation', "sel:\n  CommandLine|contains|cased: 'Invoke-'\nfilter:\n  OriginalFileName: 'pwsh.dll'\ncondition: sel and not filter",
    "DeviceProcessEvents\n| where ProcessCommandLine contains_cs 'Invoke-'\n    and not(ProcessVersionInfoOriginalFileName =~ 'pwsh.dll')"],
  ['a wildcard inside: an anchored RE2 regex', 'product: windows\ncategory: process_creation', "sel:\n  CommandLine: '*\\\\\\\\*\\\\c$\\\\*'\ncondition: sel",
    "DeviceProcessEvents\n| where ProcessCommandLine matches regex @'(?si)^.*\\\\\\\\.*\\\\c\\$\\\\.*$'"],
  ['file_event narrowed to FileCreated', 'product: windows\ncategory: file_event', "sel:\n  TargetFilename|endswith: '.ps1'\ncondition: sel",
    "DeviceFileEvents\n| where ActionType =~ 'FileCreated'\n| where FolderPath endswith '.ps1'"],
  ['registry: TargetObject computed once (after a guard on the stored columns), hive spelled out', 'product: windows\ncategory: registry_set', "sel:\n  TargetObject|startswith: 'HKLM\\Software\\Policies\\'\n  EventType: SetValue\ncondition: sel",
    "DeviceRegistryEvents\n| where ActionType =~ 'RegistryValueSet'\n| where (RegistryKey contains 'Software' or RegistryValueName contains 'Software')\n| extend TargetObject = strcat(RegistryKey, iff(isempty(RegistryValueName), '', strcat('\\\\', RegistryValueName)))\n| where (TargetObject startswith @'HKEY_LOCAL_MACHINE\\Software\\Policies\\' and ActionType == 'RegistryValueSet')"],
  ['numbers: one in list; 1 of / all of', 'product: windows\nservice: security', "sel_a:\n  EventID:\n    - 4624\n    - 4625\nsel_b:\n  LogonType: 10\ncondition: all of sel_*",
    'SecurityEvent\n| where (EventID in (4624, 4625) and LogonType == 10)'],
  ['Sysmon categories without a Defender table: WindowsEvent by channel and event id', 'product: windows\ncategory: process_access', "sel:\n  TargetImage|endswith: '\\lsass.exe'\n  GrantedAccess: '0x1010'\ncondition: sel",
    "WindowsEvent\n| where Channel =~ 'Microsoft-Windows-Sysmon/Operational' and EventID == 10\n| where (tostring(EventData['TargetImage']) endswith @'\\lsass.exe' and tostring(EventData['GrantedAccess']) =~ '0x1010')"],
  ["Windows Defender's spaced event data names", 'product: windows\nservice: windefend', "sel:\n  EventID: 1116\n  ThreatName|contains: 'Mimikatz'\ncondition: sel",
    "WindowsEvent\n| where Channel =~ 'Microsoft-Windows-Windows Defender/Operational'\n| where (EventID == 1116 and tostring(EventData['Threat Name']) contains 'Mimikatz')"],
  ['N of: counted', 'product: windows\ncategory: process_creation', "a:\n  CommandLine|contains: 'a'\nb:\n  CommandLine|contains: 'b'\nc:\n  CommandLine|contains: 'c'\ncondition: 2 of them",
    "DeviceProcessEvents\n| where (toint(ProcessCommandLine contains 'a') + toint(ProcessCommandLine contains 'b') + toint(ProcessCommandLine contains 'c')) >= 2"],
  ['unmapped logsource', 'product: linux\ncategory: process_creation', "sel:\n  Image|endswith: '/bash'\ncondition: sel",
    'NOT RUNNABLE: SIGMA001 logsource (product linux, category process_creation) is not a Windows event log; kqlite holds Windows event logs and Defender XDR tables'],
  ['regex RE2 cannot run', 'product: windows\ncategory: process_creation', "sel:\n  CommandLine|re: '(?<!x)evil'\ncondition: sel",
    "NOT RUNNABLE: SIGMA005 DeviceProcessEvents: line 9: CommandLine: regular expression /(?<!x)evil/ is not RE2, which KQL runs (error parsing regexp: invalid named capture: `(?<!x)evil`); Sysmon event 1 in WindowsEvent: line 9: CommandLine: regular expression /(?<!x)evil/ is not RE2, which KQL runs (error parsing regexp: invalid named capture: `(?<!x)evil`)"],
  ['aggregation refused', 'product: windows\ncategory: process_creation', "sel:\n  Image|endswith: '\\x.exe'\ncondition: sel | count() by Computer > 5",
    "NOT RUNNABLE: SIGMA007 line 10: aggregation ('| count() by Computer > 5') is not supported: it counts events over a time window, which a window-free hunt cannot do; use a correlation rule instead"],
];

for (const [name, ls, det, want] of CASES) {
  test(`sigma → KQL: ${name}`, () => assert.equal(kql(ls, det), want));
}

test('a field Defender has no column for sends the rule to the Sysmon events, and the note says why', () => {
  const p = parseSigma(rule('product: windows\ncategory: image_load', "sel:\n  ImageLoaded|endswith: '\\x.dll'\n  OriginalFileName: 'x.dll'\ncondition: sel"));
  assert.ok(p.ok);
  const c = convertSigma(p.rule);
  assert.equal(c.target?.label, 'Sysmon event 7 in WindowsEvent');
  assert.deepEqual(c.notes.map((n) => [n.code, n.severity]), [['SIGMA010', 'info']]);
  assert.match(c.notes[0]!.message, /^runs on Sysmon event 7 in WindowsEvent, not DeviceImageLoadEvents: line 10: OriginalFileName: pySigma maps it to InitiatingProcessVersionInfo\*/);
});

test('modifiers: base64offset and windash give the forms Sigma specifies; bad ones say which and why', () => {
  const b = valueSpec(['/bin/bash'], ['base64offset', 'contains']);
  assert.ok(typeof b !== 'string');
  assert.deepEqual(b.alts[0]!.map((m) => (m.kind === 'str' ? m.segs.filter((s) => typeof s === 'string').join('') : '')), ['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
  const w = valueSpec(['-a'], ['windash']);
  assert.ok(typeof w !== 'string');
  assert.deepEqual(w.alts[0]!.map((m) => (m.kind === 'str' ? m.segs[0] : '')), ['-a', '/a', '\u2013a', '\u2014a', '\u2015a']);
  assert.equal(valueSpec(['x'], ['containz']), "unknown modifier 'containz'");
  assert.equal(valueSpec(['a*b'], ['base64']), "'base64' cannot encode a value with wildcards");
  assert.equal(valueSpec(['x'], ['i']), "modifier 'i' is a regular expression flag: use it with 're'");
  assert.equal(valueSpec(['x'], ['gt']), "'gt' needs a number, not 'x'");
});

test('conditions: precedence not > and > or, patterns, and errors that name the problem', () => {
  const c = parseCondition('a or b and not c', ['a', 'b', 'c']);
  assert.ok(c.ok);
  assert.deepEqual(c.cond, { op: 'or', args: [{ op: 'ref', name: 'a' }, { op: 'and', args: [{ op: 'ref', name: 'b' }, { op: 'not', arg: { op: 'ref', name: 'c' } }] }] });
  const them = parseCondition('1 of them', ['sel', '_hidden', 'filter']);
  assert.ok(them.ok && them.cond.op === 'of');
  assert.deepEqual((them.cond as { names: string[] }).names, ['sel', 'filter']);
  assert.deepEqual(parseCondition('sel and (x', ['sel', 'x']), { ok: false, message: "condition 'sel and (x': a '(' is not closed" });
  assert.deepEqual(parseCondition('sel and other', ['sel']), { ok: false, message: "condition 'sel and other': 'other' is not a search identifier of this rule (it has sel)" });
  assert.deepEqual(parseCondition('all of filter_*', ['sel']), { ok: false, message: "condition 'all of filter_*': 'all of filter_*' matches no search identifier" });
});

test('malformed Sigma files are refused with the line', () => {
  assert.deepEqual(parseSigma('title: x\nid: 1\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: [b\n'), { ok: false, line: 8, column: 1, message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' });
  assert.deepEqual(parseSigma('title: x\nid: 1\nlogsource: {}\ndetection:\n  sel:\n    a: b\n'), { ok: false, line: 4, column: 1, message: "the detection has no 'condition'" });
  assert.deepEqual(parseSigma('title: x\nlogsource: {}\ndetection:\n  condition: sel\n'), { ok: false, line: 1, column: 1, message: "no 'id': a rule needs a stable id to be imported and updated" });
  const nested = parseSigma('title: x\nid: 1\nlogsource: {}\ndetection:\n  sel:\n    a:\n      b: c\n  condition: sel\n');
  assert.deepEqual(nested, { ok: false, line: 5, column: 1, message: "search 'sel': the value of 'a' must be a plain value or a list of them" });
});

test('a Sigma file becomes a Rule: level → severity, tags → ATT&CK, the page fields and the licence', () => {
  const text = rule('product: windows\ncategory: process_creation', "sel:\n  Image|endswith: '\\x.exe'\ncondition: sel",
    "description: Finds x.\nauthor: Jane Doe, John Roe\nreferences:\n  - https://example.com/x\ntags:\n  - attack.execution\n  - attack.t1059.001\n  - attack.g0032\n  - detection.threat-hunting\nfalsepositives:\n  - Admins running x\nlevel: critical\nlicense: DRL-1.1\n");
  const p = parseSigma(text);
  assert.ok(p.ok);
  const r = ruleFromSigma(p.rule, text, { kind: 'import', name: 'sigma' });
  assert.deepEqual([r.name, r.severity, r.severityDerived, r.kind, r.language, r.status], ['Test rule', 'high', false, 'analytic', 'sigma', 'valid']);
  assert.deepEqual([r.tactics, r.techniques, r.tables], [['Execution'], ['T1059.001'], ['DeviceProcessEvents']]);
  assert.deepEqual(r.sigma, { references: ['https://example.com/x'], falsepositives: ['Admins running x'], license: 'DRL-1.1', logsource: { product: 'windows', category: 'process_creation' }, author: 'Jane Doe, John Roe', status: 'test', level: 'critical', target: 'DeviceProcessEvents' });
  assert.equal(r.yaml, text);
  const nr = ruleFromSigma((parseSigma(rule('product: aws\nservice: cloudtrail', 'sel:\n  eventName: x\ncondition: sel')) as { ok: true; rule: never }).rule, 'x', { kind: 'import', name: 'sigma' });
  assert.deepEqual([nr.status, nr.query, nr.tables], ['error', '', []]);
  assert.match(nr.notRunnable!, /^logsource \(product aws, service cloudtrail\) is not a Windows event log/);
  assert.match(nr.sigma!.license, /Detection Rule License \(DRL\) 1\.1/);
});
