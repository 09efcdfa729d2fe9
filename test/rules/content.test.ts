import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkQuery } from '../../src/kql/semantics/index.js';
import { builtinRules, coverage, enrichRule, importRules, loadRules, navigatorLayer, normaliseTactics, RMM_CATALOG } from '../../src/rules/index.js';
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
  assert.ok(r.rules.filter((x) => x.status === 'valid').length >= 35);
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
  }
  assert.equal(rules.filter((r) => r.tags.includes('aggregate')).length, 3);
  assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  const anydesk = rules.find((r) => r.id === 'kqlite-rmm-anydesk-netconn')!;
  assert.match(anydesk.query, /RemoteUrl has_any/);
  assert.doesNotMatch(anydesk.query, /\bAccountUpn\b(?!.*Initiating)/);
});

test('enrichment: every field has provenance and every false-positive clause binds when appended', () => {
  const rules = builtinRules();
  const sample = [...rules.filter((r) => ['AnyDesk', 'Action1', 'TacticalRMM'].includes(r.tool ?? '')), ...rules.slice(-3)];
  for (const r of sample) {
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
    if (r.tool) {
      assert.equal(e.attack.value.suggestedSubtechnique?.id, 'T1219.002');
      assert.match(e.hypothesis.value, new RegExp(r.tool));
    }
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
});
