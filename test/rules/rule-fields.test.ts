// Rule files as a detection engineer writes them: problems in `tactics:`, `relevantTechniques:` and
// `severity:` are diagnosed at the field's own line and column (CLI and rule page alike, CRLF files too), a
// query problem at its line in the file; false-positive clauses match the data's real device names.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runQuery } from '../../src/engine/index.js';
import { createDemoWorkspace, Workspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type { HuntResponse, RuleDetail } from '../../src/server/api.js';
import { builtinRules, enrichRule } from '../../src/rules/index.js';
import { runCli } from '../helpers/cli.js';
import { ruleYaml } from '../helpers/rule-yaml.js';

// problems in three fields, each to be found at its own line: severity (Critical), tactics (Lateral Moves), t9999
const RULE = ruleYaml({
  id: '6d7c1a52-0000-4000-8000-000000000001', name: 'Suspicious AnyDesk relay use', description: 'Devices talking to AnyDesk relays.', severity: 'Critical',
  table: 'DeviceNetworkEvents', tactics: ['CommandAndControl', 'Lateral Moves'], techniques: '[T1219, t9999]',
  query: `DeviceNetworkEvents
| where RemoteUrll has "anydesk"
| summarize Count = count() by DeviceName, RemoteUrl`,
});

let root: string;
let rules: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-rule-fields-'));
  rules = join(root, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, 'fields.yaml'), RULE);
  writeFileSync(join(rules, 'fields-crlf.yaml'), RULE.replace('6d7c1a52-0000-4000-8000-000000000001', '6d7c1a52-0000-4000-8000-000000000002').replace(/\n/g, '\r\n'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, {});
});
after(() => rmSync(root, { recursive: true, force: true }));

/** code → [line, column] in the file, as a reader counts them. */
const EXPECTED: Record<string, [number, number, string?]> = {
  RULE007: [4, 11, 'severity'], // severity: Critical
  RULE003: [11, 5, 'tactics'], //   - Lateral Moves
  RULE004: [12, 29, 'relevantTechniques'], // relevantTechniques: [T1219, t9999]
  KQL2001: [15, 11], //   | where RemoteUrll
};

test('rules validate: each problem at its own line and column of the file, with the line and a caret', async () => {
  const r = await runCli(['rules', 'validate', rules]);
  assert.equal(r.code, 0, r.stderr); // warnings and a query error do not fail reading the folder
  for (const file of ['fields.yaml', 'fields-crlf.yaml']) {
    assert.match(r.stdout, new RegExp(`${file}:4:11: warning RULE007: 'Critical' is not a severity \\(Informational, Low, Medium or High\\): kqlite uses Medium\\n  \\|\\n4 \\| severity: Critical\\n  \\|           \\^{8}`));
    assert.match(r.stdout, new RegExp(`${file}:11:5: warning RULE003: 'Lateral Moves' is not an ATT&CK tactic.*\\n   \\|\\n11 \\|   - Lateral Moves\\n   \\|     \\^{13}`));
    assert.match(r.stdout, new RegExp(`${file}:12:29: warning RULE004: 'T9999' is not an ATT&CK Enterprise technique id`));
  }
  const json = JSON.parse((await runCli(['rules', 'validate', rules, '--format', 'json'])).stdout) as { rules: { id: string; severity: string; diagnostics: { code: string; line: number; column: number; field?: string }[] }[] };
  for (const rule of json.rules) {
    assert.equal(rule.severity, 'medium');
    for (const [code, [line, column, field]] of Object.entries(EXPECTED)) {
      const d = rule.diagnostics.find((x) => x.code === code);
      assert.ok(d, `${rule.id}: ${code}`);
      assert.deepEqual([d.line, d.column, d.field], [line, column, field], `${rule.id}: ${code}`);
    }
  }
});

test('rules show after import: the validation section renders the same places', async () => {
  const imp = await runCli(['rules', 'import', rules, '--workspace', ws]);
  assert.equal(imp.code, 0, imp.stderr);
  const r = await runCli(['rules', 'show', '6d7c1a52-0000-4000-8000-000000000002', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /fields-crlf\.yaml:11:5: warning RULE003/);
  assert.match(r.stdout, /fields-crlf\.yaml:15:11: error KQL2001: unknown column or variable 'RemoteUrll'.*\n\s+\|\n15 \|   \| where RemoteUrll has "anydesk"\n\s+\|\s{11}\^{10}/);
  assert.doesNotMatch(r.stdout, /:1:1: warning RULE00/, 'no field problem at the top of the file');
});

test('the rule page: diagnostics with the field, file line and column and the rendered line; severity diagnosed; FP clauses use the data\'s device names', async () => {
  const app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'no-web') });
  try {
    const get = async <T>(url: string) => (await app.inject({ url })).json() as T;
    const r = await get<RuleDetail>('/api/rules/6d7c1a52-0000-4000-8000-000000000001');
    for (const [code, [line, column, field]] of Object.entries(EXPECTED)) {
      const d = r.diagnostics.find((x) => x.code === code)!;
      assert.deepEqual([d.line, d.column, d.field], [line, column, field], code);
      assert.match(d.rendered, new RegExp(`^fields\\.yaml:${line}:${column}: `), code);
    }
    assert.ok(r.severityDerived);

    // before any hunt: example host names compared without their domain, so they match the FQDNs
    const rule = builtinRules().find((x) => x.id === 'kqlite-rmm-action1-netconn')!;
    const generic = enrichRule(rule, {}).falsePositives.value.clauses.find((c) => /sanctioned/.test(c.title))!;
    const source = Workspace.open(ws);
    const rows = (kql: string) => {
      const q = runQuery(kql, { source, now: source.maxTimestamp()! });
      assert.ok(q.ok, JSON.stringify(!q.ok && q.diagnostics));
      return q.tables[0]!.table.length;
    };
    const all = rows(rule.query);
    const withShortNames = rows(`${rule.query}\n${generic.kql.replace("'helpdesk-02'", "'it-admin-02'")}`);
    assert.ok(all > 0 && withShortNames === 0, `the demo's Action1 hosts (it-admin-01/02.contoso.local) are excluded by their short names (${all} → ${withShortNames})`);

    // after a hunt: the clause names the devices the tool was found on, exactly as the data does
    const hunt = (await app.inject({ method: 'POST', url: '/api/hunts', payload: { rules: ['kqlite-rmm-action1-netconn'] } })).json() as HuntResponse;
    assert.ok(hunt.findings.length > 0);
    const page = await get<RuleDetail>('/api/rules/kqlite-rmm-action1-netconn');
    const clause = page.enrichment.falsePositives.value.clauses.find((c) => /sanctioned/.test(c.title))!;
    assert.equal(clause.kql, "| where DeviceName !in~ ('it-admin-01.contoso.local', 'it-admin-02.contoso.local')");
    assert.equal(rows(`${rule.query}\n${clause.kql}`), 0);
    assert.match(page.enrichment.falsePositives.source, /\+ findings/);
  } finally {
    await app.close();
  }
});
