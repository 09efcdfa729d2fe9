import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runQuery } from '../../src/engine/index.js';
import { readCell } from '../../src/engine/storage/builders.js';
import { checkQuery } from '../../src/kql/semantics/index.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import { ATTACK, builtinRules, coverage, enrichRule, findTool, importRules, loadRules, navigatorLayer, normaliseTactics, RMM_CATALOG, subtechniqueFor } from '../../src/rules/index.js';
import { SHARED } from '../helpers/corpus.js';

test('importing the upstream RMM repository: 171 files, 168 rules repaired, 3 templates refused, 60 AccountUpn defects', () => {
  const r = importRules(join(SHARED, 'corpus/rmm-tools'));
  assert.equal(r.files, 171);
  assert.equal(r.loaded, 168);
  assert.equal(r.repaired, 168);
  assert.equal(r.failed, 3);
  assert.deepEqual(r.problems.map((p) => p.file).sort(), ['_Templates/sentinel_rmm_template_createproc.yaml', '_Templates/sentinel_rmm_template_filesig.yaml', '_Templates/sentinel_rmm_template_netconn.yaml']);
  for (const p of r.problems) assert.match(p.reason, /template.*%%GUID%%/);
  const perTool = r.rules.filter((x) => x.detects === 'netconn'); // 59 per tool + the all-tools rule
  assert.equal(perTool.length, 60);
  for (const x of perTool) {
    const d = x.diagnostics.find((d) => /'AccountUpn'/.test(d.message));
    assert.ok(d, x.name);
    assert.equal(d.suggestion, 'InitiatingProcessAccountUpn');
    assert.equal(x.status, 'error');
  }
  for (const x of r.rules) {
    assert.ok(x.repairs.some((s) => /dataTypes/.test(s)));
    assert.deepEqual(x.tactics, ['CommandAndControl']);
    assert.deepEqual(x.techniques, ['T1219']);
    assert.equal(x.source.license?.startsWith('LICENSE'), true);
  }
  assert.equal(r.rules.find((x) => x.name.includes('AnyDesk - Network'))!.tool, 'AnyDesk');
});

test('importing the Defender hunting corpus loads the valid files and reports each broken one with a reason', () => {
  const r = importRules(join(SHARED, 'corpus/sentinel-hunting'));
  assert.equal(r.files, 63);
  assert.equal(r.files, r.loaded + r.failed);
  assert.deepEqual(r.problems.map((p) => [p.file, p.line, p.column]), [
    ['Email Queries__Hunting_Emails containing links to IP addresses.yaml', 1, 1],
    ['Impact__unusual-volume-of-file-deletion.yaml', 34, 1],
  ]);
  assert.match(r.problems[0]!.reason, /no query/);
  assert.match(r.problems[1]!.reason, /merge-conflict markers \(<<<<<<< at line 34, ======= at line 37, >>>>>>> at line 40\)/);
  // the three MDE_* community files (list items left of 'dataTypes:', unindented query) load repaired
  const repaired = r.rules.filter((x) => x.repairs.length);
  assert.deepEqual(repaired.map((x) => x.source.path).sort(), ['Discovery__MDE_DeviceInventory-LastUserLoggedIn.YAML', 'Discovery__MDE_Networktrafficgoingtoport.YAML', 'Discovery__MDE_ShowUSBMountedDevicesAndDriveLetter.YAML']);
  assert.equal(r.repaired, 3);
  assert.deepEqual(repaired.find((x) => x.name === 'MDE_Networktrafficgoingtoport')!.tables, ['DeviceNetworkEvents']);
  // a Defender table the query reads but the file does not declare is named as such, not as unknown
  const undeclared = r.rules.find((x) => x.name === 'MDE_DeviceInventory-LastUserLoggedIn')!.diagnostics.map((d) => d.message);
  assert.ok(undeclared.some((m) => /table 'DeviceLogonEvents' is read by the query but not declared by the rule \(requiredDataConnectors dataTypes: DeviceEvents\)/.test(m)), undeclared.join('\n'));
  assert.ok(r.rules.filter((x) => x.status === 'valid').length >= 45);
  // the Defender advanced-hunting tables and the Sentinel ones (ASIM's ASimNetworkSessionLogs too) are known
  assert.deepEqual(r.rules.flatMap((x) => x.diagnostics).filter((d) => /unknown table/.test(d.message)).map((d) => d.message), []);
  const status = (path: string) => r.rules.find((x) => x.source.path === path)!.status;
  for (const path of ['Campaigns__Bazacall_Cobalt Strike Lateral Movement.yaml', 'Cloud Apps__mass-downloads.yaml', 'Impact__backup-deletion.yaml', 'TVM__Microsoft Defender AV mode device count.yaml',
    'Email and Collaboration Queries__Microsoft Teams protection_Hunt for RMM tool execution following Teams messages.yaml']) assert.equal(status(path), 'valid', path);
  // AccountSID / AccountCloudSID / AccountUPN are Sentinel IdentityInfo's columns, which the default catalog has
  assert.ok(!r.rules.find((x) => x.source.path === 'Persistence__LocalAdminGroupChanges.yaml')!.diagnostics.some((d) => d.message === "unknown column or variable 'AccountCloudSID'"));
});

test('re-import keeps versions: unchanged files change nothing', () => {
  const ws = mkdtempSync(join(tmpdir(), 'kqlite-rules-'));
  try {
    const a = importRules(join(SHARED, 'corpus/rmm-tools'), { workspaceDir: ws });
    assert.equal(a.added, 168);
    const b = importRules(join(SHARED, 'corpus/rmm-tools'), { workspaceDir: ws });
    assert.equal(b.unchanged, 168);
    const all = loadRules(ws);
    assert.equal(all.filter((x) => x.source.kind === 'import').length, 168);
    assert.ok(all.filter((x) => x.source.kind === 'builtin').length > 300);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('the built-in pack has the three kinds for tools with the facts, and every rule validates clean', () => {
  const rules = builtinRules();
  assert.equal(rules.filter((r) => r.status !== 'valid').length, 0, rules.filter((r) => r.status !== 'valid').map((r) => r.id).join(', '));
  for (const t of RMM_CATALOG) {
    const mine = rules.filter((r) => r.tool === t.name);
    if (t.domains.length) assert.ok(mine.some((r) => r.detects === 'netconn'), `${t.name} netconn`);
    if (t.signers.length) assert.ok(mine.some((r) => r.detects === 'filesig'), `${t.name} filesig`);
    if (t.companyNames.length || t.productNames.length) assert.ok(mine.some((r) => r.detects === 'createproc'), `${t.name} createproc`);
    for (const r of mine) assert.ok(r.tables.length === 1 && r.query.includes(r.tables[0]!), r.id);
  }
  const kinds = (k: string) => rules.filter((r) => r.detects === k).length;
  assert.equal(kinds('netconn'), RMM_CATALOG.filter((t) => t.domains.length).length + 1);
  assert.equal(kinds('filesig'), RMM_CATALOG.filter((t) => t.signers.length).length + 1);
  assert.ok(kinds('createproc') >= RMM_CATALOG.filter((t) => t.companyNames.length || t.productNames.length).length + 1);
  // LOLRMM's code-signing facts are in the catalog: tools without upstream rules get signature rules too
  assert.ok(RMM_CATALOG.filter((t) => t.signers.length && !t.upstream).length >= 60);
  assert.deepEqual(RMM_CATALOG.find((t) => t.name === 'Action1')!.signers, ['Action1 Corporation']);
  // platform publishers never become a tool's signer, nor a company matched without a product (they would flag every device)
  for (const t of RMM_CATALOG) for (const x of [...t.signers, ...(t.productNames.length ? [] : t.companyNames)]) assert.doesNotMatch(x, /^(microsoft|\.net$|google|yandex)/i, t.name);
  assert.equal(rules.filter((r) => r.tags.includes('aggregate')).length, 3);
  assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  const anydesk = rules.find((r) => r.id === 'kqlite-rmm-anydesk-netconn')!;
  assert.match(anydesk.query, /RemoteUrl has_any/);
  assert.doesNotMatch(anydesk.query, /\bAccountUpn\b(?!.*Initiating)/);
});

test('enrichment: every field of every built-in rule has provenance and every false-positive clause binds when appended', () => {
  const rules = builtinRules();
  for (const r of rules) {
    const e = enrichRule(r, { tablesPresent: ['DeviceNetworkEvents'] });
    for (const [k, v] of Object.entries(e)) {
      if (k === 'llm') continue;
      assert.ok((v as { source: string }).source, `${r.id} ${k} source`);
      assert.ok(['high', 'medium', 'low'].includes((v as { confidence: string }).confidence));
    }
    assert.ok(e.falsePositives.value.clauses.length >= 1, r.id);
    for (const c of e.falsePositives.value.clauses) {
      const check = checkQuery(`${r.query}\n${c.kql}`, { tables: r.tables });
      assert.deepEqual(check.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], `${r.id}: ${c.kql}`);
    }
    if (r.tool) assert.ok(e.hypothesis.value.includes(r.tool), r.id);
    if (r.tool && ['AnyDesk', 'Action1', 'TacticalRMM'].includes(r.tool)) assert.equal(e.attack.value.suggestedSubtechnique?.id, 'T1219.002');
  }
  const net = enrichRule(rules.find((r) => r.id === 'kqlite-rmm-anydesk-netconn')!, { tablesPresent: ['DeviceNetworkEvents'] });
  assert.deepEqual(net.dataSources.value, [{ table: 'DeviceNetworkEvents', present: true }]);
  assert.equal(net.attack.value.tactics[0]!.name, 'Command and Control');
});

test('tactic spellings normalise to the Sentinel names', () => {
  assert.deepEqual(normaliseTactics(['Command and control', 'lateral-movement', 'TA0005', 'Ransomware']), { tactics: ['CommandAndControl', 'LateralMovement', 'DefenseEvasion'], unknown: ['Ransomware'] });
  assert.deepEqual(normaliseTactics('CommandAndControl').tactics, ['CommandAndControl']);
});

test('coverage counts rules per technique and exports a Navigator 4.5 layer', () => {
  const rules = builtinRules();
  const rep = coverage(rules, { tablesPresent: ['DeviceNetworkEvents'], findingsByRule: new Map([['kqlite-rmm-anydesk-netconn', 2]]) });
  const t = rep.techniques.find((x) => x.techniqueId === 'T1219')!;
  assert.equal(t.rules.length, rules.length);
  assert.equal(t.validRules, rules.length);
  assert.equal(t.rulesWithFindings, 1);
  assert.equal(t.findings, 2);
  assert.ok(t.rulesWithTablesPresent > 100 && t.rulesWithTablesPresent < rules.length);
  const layer = navigatorLayer(rep) as { name: string; versions: { layer: string; attack: string }; domain: string; techniques: { techniqueID: string; score: number; tactic?: string }[] };
  assert.equal(layer.versions.layer, '4.5');
  assert.equal(layer.domain, 'enterprise-attack');
  assert.equal(typeof layer.name, 'string');
  assert.deepEqual(layer.techniques.map((x) => [x.techniqueID, x.tactic, x.score]), [['T1219', 'command-and-control', rules.length]]);
  // the layer format's required and typed fields (Navigator 4.5): versions are strings, metadata are name/value pairs
  const l = layer as unknown as { versions: Record<string, unknown>; gradient: { colors: string[]; minValue: number; maxValue: number }; techniques: { metadata: { name: string; value: string }[]; enabled: boolean; comment: string }[] };
  for (const k of ['attack', 'navigator', 'layer']) assert.equal(typeof l.versions[k], 'string', k);
  assert.equal(l.gradient.maxValue, rules.length);
  const tech = l.techniques[0]!;
  assert.equal(tech.enabled, true);
  assert.ok(tech.metadata.every((m) => typeof m.name === 'string' && typeof m.value === 'string'));
  assert.ok(tech.metadata.some((m) => m.name === 'findings' && m.value === '2'));
  assert.deepEqual(tech.metadata.slice(0, 2), [{ name: 'findings', value: '2' }, { name: 'rule', value: 'RMM tool - AnyDesk - Network Connection (valid, 2 findings)' }]);
  assert.deepEqual(tech.metadata.at(-1), { name: 'rules not listed', value: String(rules.length - 50) });
  assert.match(tech.comment, new RegExp(`${rules.length} valid of ${rules.length} rules; 2 findings`));
});

test('the T1219 sub-technique suggestion follows the catalog facts, and is absent where they do not support one', () => {
  const rules = builtinRules();
  const sub = (tool: string) => {
    const r = rules.find((x) => x.tool === tool)!;
    const e = enrichRule(r, {});
    return [e.attack.value.suggestedSubtechnique?.id, e.attack.confidence, e.attack.source];
  };
  assert.deepEqual(sub('AnyDesk').slice(0, 2), ['T1219.002', 'high']); // ATT&CK's description of T1219.002 names it
  assert.match(String(sub('AnyDesk')[2]), /RMM catalog 'AnyDesk' \(ATT&CK T1219\.002\)/);
  assert.deepEqual(sub('Action1').slice(0, 2), ['T1219.002', 'medium']); // LOLRMM: an RMM tool, which T1219.002 covers
  assert.deepEqual(sub('Visual Studio Dev Tunnel').slice(0, 2), ['T1219.001', 'medium']);
  assert.deepEqual(sub('Ultra VNC').slice(0, 2), ['T1219.002', 'medium']); // VNC software, which T1219.002 names
  assert.deepEqual(sub('MEGAsync').slice(0, 2), [undefined, 'high']); // a sync client: LOLRMM files it as RAT, no remote-desktop fact
  assert.deepEqual(sub('ngrok').slice(0, 2), [undefined, 'high']);
  // every reason is a fact about the tool or ATT&CK's own words; having upstream rules is not one
  for (const t of RMM_CATALOG) {
    const s = subtechniqueFor(t);
    if (s) assert.match(s.why, /ATT&CK|LOLRMM|IDE tunnel|the tool's name/, `${t.name}: ${s.why}`);
  }
  assert.match(subtechniqueFor(findTool('Action1')!)!.why, /^LOLRMM files Action1 as a remote monitoring and management \(RMM\) tool, and ATT&CK's T1219\.002 covers RMM tools$/);
});

test('a signer other catalogued tools share gets an exclusion clause naming them', () => {
  const r = builtinRules().find((x) => x.id === 'kqlite-rmm-ultra-vnc-filesig')!;
  const c = enrichRule(r, {}).falsePositives.value.clauses.find((x) => /other catalogued tools share/.test(x.title))!;
  assert.equal(c.kql, "| where not(Signer has_any ('RealVNC Ltd'))");
  assert.match(c.why, /RPort/);
  assert.equal(enrichRule(builtinRules().find((x) => x.id === 'kqlite-rmm-action1-filesig')!, {}).falsePositives.value.clauses.some((x) => /share/.test(x.title)), false);
});

test('the all-tools process rule is the union of the per-tool rules: a vendor paired with a product is not matched alone', () => {
  const q = builtinRules().find((r) => r.id === 'kqlite-rmm-all-tools-createproc')!.query;
  const rows: [string, string, string][] = [
    ['chrome.exe', 'Google LLC', 'Google Chrome'],
    ['remoting_host.exe', 'Google LLC', 'Chrome Remote Desktop'],
    ['AnyDesk.exe', 'philandro Software GmbH', 'AnyDesk'],
    ['notepad.exe', 'Microsoft Corporation', 'Microsoft Windows Operating System'],
    ['browser.exe', 'YANDEX LLC', 'Yandex'],
  ];
  const table = `let DeviceProcessEvents = datatable(Timestamp:datetime, DeviceId:string, DeviceName:string, FileName:string, FolderPath:string, AccountUpn:string, InitiatingProcessFileName:string, ProcessVersionInfoCompanyName:string, ProcessVersionInfoProductName:string, ReportId:long)[\n${
    rows.map(([f, c, p], i) => `datetime(2026-11-20T10:00:00Z), 'd1', 'pc-01', '${f}', 'C:\\\\Users\\\\u\\\\Downloads', 'u@contoso.com', 'explorer.exe', '${c}', '${p}', ${i + 1}`).join(',\n')}];\n`;
  const r = runQuery(table + q, { now: parseDatetimeText('2026-11-20T12:00:00Z')! });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const t = r.tables[0]!;
  const col = t.columns.findIndex((c) => c.name === 'FileName');
  const found = Array.from({ length: t.table.length }, (_, i) => readCell(t.table.columns[col]!.column, i)).sort();
  assert.deepEqual(found, ['AnyDesk.exe', 'remoting_host.exe']);
});

test('an extra (LLM) enricher is off by default; when given, its text is labelled as machine-generated', () => {
  const r = builtinRules().find((x) => x.id === 'kqlite-rmm-anydesk-netconn')!;
  assert.equal(enrichRule(r, {}).llm, undefined);
  const e = enrichRule(r, { extra: { name: 'test-model', enrich: (rule) => `summary of ${rule.name}` } });
  assert.deepEqual(e.llm, { provider: 'test-model', text: 'summary of RMM tool - AnyDesk - Network Connection', label: 'machine-generated, unverified' });
  assert.equal(enrichRule(r, { extra: { name: 'silent', enrich: () => undefined } }).llm, undefined);
});

test('ATTACK holds the ATT&CK facts the content needs, with MITRE\'s names and pages', () => {
  assert.equal(ATTACK.tactics[0]!.shortname, 'reconnaissance');
  assert.equal(ATTACK.tactics.find((t) => t.id === 'TA0011')!.name, 'Command and Control');
  for (const id of ['T1219', 'T1219.001', 'T1219.002', 'T1219.003']) assert.deepEqual(ATTACK.techniques.get(id)!.tactics, ['command-and-control']);
  assert.equal(ATTACK.techniques.get('T1219.002')!.url, 'https://attack.mitre.org/techniques/T1219/002');
  assert.match(ATTACK.version, /^ATT&CK v\d+\.\d+ Enterprise$/);
});
