// kqlite rules import | list | show | validate and kqlite coverage through the CLI, on the two upstream corpora.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/corpus.js';

let root: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-rules-cli-'));
  ws = join(root, 'ws');
});
after(() => rmSync(root, { recursive: true, force: true }));

interface ListEntry { id: string; name: string; status: string; diagnostics: { code: string; message: string; suggestion?: string }[]; tables: string[]; techniques: string[]; tactics: string[]; source: { kind: string; path?: string; license?: string }; repairs: string[]; version: number }

test('rules import: the RMM repository loads 168 repaired rules, refuses the 3 templates with file:line:column, shows AccountUpn with its fix; re-import changes nothing', async () => {
  const r = await runCli(['rules', 'import', join(SHARED, 'corpus/rmm-tools'), '--workspace', ws]);
  assert.equal(r.code, 1, r.stderr); // files failed: the run says so in its exit code
  assert.match(r.stdout, /files 171, rules loaded 168, repaired 168, failed 3 \(new 168, updated 0, unchanged 0\); valid 106, warning 0, error 62/);
  const templates = r.stdout.split('\n').filter((l) => l.startsWith('_Templates/'));
  assert.equal(templates.length, 3);
  for (const l of templates) assert.match(l, /^_Templates\/sentinel_rmm_template_\w+\.yaml:\d+:\d+: a template, not a rule: it has unfilled placeholders %%GUID%%/);
  assert.match(r.stdout, /RMM\/AnyDesk\/rmm_AnyDesk_netconn\.yaml:\d+:\d+: error KQL2001: unknown column or variable 'AccountUpn'; did you mean 'InitiatingProcessAccountUpn'\?/);
  assert.equal(readdirSync(join(ws, 'rules')).length, 168);
  const again = await runCli(['rules', 'import', join(SHARED, 'corpus/rmm-tools'), '--workspace', ws]);
  assert.match(again.stdout, /\(new 0, updated 0, unchanged 168\)/);
});

test('rules list --format json: built-in pack and imports with the documented fields; --status and --source filter', async () => {
  const r = await runCli(['rules', 'list', '--workspace', ws, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const rules = JSON.parse(r.stdout) as ListEntry[];
  for (const x of rules) for (const k of ['id', 'name', 'status', 'diagnostics', 'tables', 'techniques', 'tactics', 'source', 'repairs']) assert.ok(k in x, `${x.id} lacks ${k}`);
  const imported = rules.filter((x) => x.source.kind === 'import');
  assert.equal(imported.length, 168);
  assert.ok(rules.filter((x) => x.source.kind === 'builtin').length > 500);
  const net = imported.filter((x) => x.source.path?.endsWith('_netconn.yaml'));
  assert.equal(net.length, 60);
  for (const x of net) assert.ok(x.diagnostics.some((d) => d.code === 'KQL2001' && d.suggestion === 'InitiatingProcessAccountUpn'), x.id);
  for (const x of imported) {
    assert.ok(x.repairs.some((s) => /dataTypes/.test(s)), x.id);
    assert.match(x.source.license ?? '', /^LICENSE/, x.id);
  }
  const errors = JSON.parse((await runCli(['rules', 'list', '--workspace', ws, '--status', 'error', '--source', 'import', '--format', 'json'])).stdout) as ListEntry[];
  assert.equal(errors.length, 62);
  assert.ok(errors.every((x) => x.status === 'error' && x.source.kind === 'import'));
  const table = await runCli(['rules', 'list', '--workspace', ws, '--source', 'builtin']);
  assert.match(table.stdout, /kqlite-rmm-anydesk-netconn/);
  assert.match(table.stdout, /\d+ rules: valid \d+, warning 0, error 0\n$/);
});

test('rules show: the feed-page sections, each with its provenance; JSON carries the enrichment', async () => {
  const t = await runCli(['rules', 'show', 'kqlite-rmm-anydesk-netconn', '--workspace', ws]);
  assert.equal(t.code, 0, t.stderr);
  for (const h of ['Hunt Hypothesis', 'KQL Query', 'Required Data Sources', 'MITRE ATT&CK Context', 'References', 'False Positive Guidance']) assert.match(t.stdout, new RegExp(`^${h}$`, 'm'));
  assert.equal(t.stdout.match(/^ {2}\[(high|medium|low) confidence; from .+\]$/gm)?.length, 5);
  assert.match(t.stdout, /suggested T1219\.002 Remote Desktop Software/);
  assert.match(t.stdout, /\| where (DeviceName|tostring\(split\(DeviceName, "\."\)\[0\]\)) !in~ \(/);
  const j = JSON.parse((await runCli(['rules', 'show', 'kqlite-rmm-anydesk-netconn', '--workspace', ws, '--format', 'json'])).stdout) as { id: string; yaml: string; enrichment: Record<string, { source: string; confidence: string }> };
  assert.equal(j.id, 'kqlite-rmm-anydesk-netconn');
  assert.match(j.yaml, /^id: kqlite-rmm-anydesk-netconn$/m);
  for (const k of ['badges', 'hypothesis', 'attack', 'dataSources', 'references', 'falsePositives']) assert.ok(j.enrichment[k]!.source && j.enrichment[k]!.confidence, k);
  // an imported rule shows its validation with the file's own line numbers
  const up = await runCli(['rules', 'show', 'Remote Management and Monitoring tool - AnyDesk - Network Connection', '--workspace', ws]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /Validation\n.*unknown column or variable 'AccountUpn'; did you mean 'InitiatingProcessAccountUpn'\?/);
  const missing = await runCli(['rules', 'show', 'no-such-rule', '--workspace', ws]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no rule 'no-such-rule' \(see kqlite rules list\)/);
});

test('rules validate <dir>: the Defender hunting corpus, broken files with reasons, nothing stored', async () => {
  const empty = join(root, 'validate-ws');
  const r = await runCli(['rules', 'validate', join(SHARED, 'corpus/sentinel-hunting'), '--workspace', empty]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^Impact__unusual-volume-of-file-deletion\.yaml:34:1: unresolved merge-conflict markers \(<<<<<<< at line 34, ======= at line 37, >>>>>>> at line 40\)/m);
  assert.match(r.stdout, /^Email Queries__Hunting_Emails containing links to IP addresses\.yaml:1:1: no query/m);
  assert.match(r.stdout, /files 63, rules loaded 61, repaired 3, failed 2; valid \d+, warning \d+, error \d+\n$/);
  assert.doesNotMatch(r.stdout, /\(new /);
  assert.throws(() => readdirSync(join(empty, 'rules')));
  const j = JSON.parse((await runCli(['rules', 'validate', join(SHARED, 'corpus/sentinel-hunting'), '--format', 'json'])).stdout) as { files: number; problems: { file: string; line: number; column: number; reason: string }[] };
  assert.equal(j.files, 63);
  assert.deepEqual(j.problems.map((p) => p.line), [1, 34]);
});

test('rules validate (workspace): the built-in pack alone is clean; a damaged stored rule is named and fails the run', async () => {
  const fresh = join(root, 'fresh');
  const clean = await runCli(['rules', 'validate', '--workspace', fresh]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /(\d+) rules: valid \1, warning 0, error 0\n$/);
  const file = join(ws, 'rules', readdirSync(join(ws, 'rules'))[0]!);
  const saved = readFileSync(file, 'utf8');
  writeFileSync(file, saved.slice(0, 100));
  const bad = await runCli(['rules', 'validate', '--workspace', ws, '--format', 'json']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /kqlite rules: rules\/[^:]+\.json: cannot use this stored rule: /);
  // 167 readable imports; three of them have the ids of the built-in upstream examples (the seed rules), which they replace
  assert.equal((JSON.parse(bad.stdout) as unknown[]).length, (JSON.parse((await runCli(['rules', 'list', '--workspace', fresh, '--format', 'json'])).stdout) as unknown[]).length + 167 - 3);
  writeFileSync(file, saved);
});

test('rules and coverage: usage errors say what is wrong', async () => {
  const noDir = await runCli(['rules', 'import', '--workspace', ws]);
  assert.equal(noDir.code, 1);
  assert.match(noDir.stderr, /.rules import. needs <dir>/);
  const notDir = await runCli(['rules', 'import', join(root, 'nope'), '--workspace', ws]);
  assert.equal(notDir.code, 1);
  assert.match(notDir.stderr, /not a folder: /);
  const sub = await runCli(['rules', 'frobnicate']);
  assert.match(sub.stderr, /unknown sub-command 'frobnicate'/);
  const fmt = await runCli(['coverage', '--format', 'csv']);
  assert.equal(fmt.code, 1);
  assert.match(fmt.stderr, /--format must be table, json, not 'csv'/);
});

test('coverage (table) without telemetry: T1219 with every rule, tables-present unknown', async () => {
  const r = await runCli(['coverage', '--workspace', join(root, 'fresh')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^T1219\s+Remote Access Tools\s+(\d+)\s+\1\s+-\s+0\s+0\s*$/m);
  assert.match(r.stdout, /^ATT&CK v18\.1 Enterprise; 0 rules name no technique$/m);
});
