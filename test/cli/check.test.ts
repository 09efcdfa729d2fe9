// `kqlite check` through the CLI: text and JSON output, exit codes, stdin, rule YAML with repairs, --schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sarifValidator } from '../helpers/sarif-schema.js';

test('a clean .kql file passes with exit 0', async () => {
  const r = await runCli(['check', 'test/cli/fixtures/good.kql']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /checked 1 file: 0 errors, 0 warnings/);
});

test('errors are rendered like a compiler and exit 1', async () => {
  const r = await runCli(['check', 'test/cli/fixtures/bad.kql']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /test\/cli\/fixtures\/bad\.kql:2:9: error KQL2001: unknown column or variable 'RemoteUrll'; did you mean 'RemoteUrl'\?/);
  assert.match(r.stdout, /2 \| \| where RemoteUrll has "x"\n {2}\| {9}\^{10}/);
});

test('--format json prints one array with positions', async () => {
  const r = await runCli(['check', '--format', 'json', 'test/cli/fixtures/bad.kql']);
  assert.equal(r.code, 1);
  const diags = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.ok(Array.isArray(diags));
  assert.deepEqual(Object.keys(diags[0]!).slice(0, 8), ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message']);
  assert.deepEqual(diags.map((d) => [d['code'], d['line'], d['column']]), [['KQL2001', 2, 9], ['KQL1004', 4, 1]]);
});

test('stdin is checked with -', async () => {
  const r = await runCli(['check', '-', '--format', 'json'], { input: 'print strlen("a", "b")' });
  assert.equal(r.code, 1);
  const diags = JSON.parse(r.stdout) as { file: string; code: string }[];
  assert.deepEqual(diags.map((d) => [d.file, d.code]), [['<stdin>', 'KQL2004']]);
});

test('Sentinel rule YAML: malformed upstream files are repaired and the query is bound against the declared table', async () => {
  const r = await runCli(['check', '--format', 'json', '../shared/corpus/rmm-tools/RMM/Action1']);
  assert.equal(r.code, 1);
  const diags = JSON.parse(r.stdout) as { file: string; line: number; column: number; message: string }[];
  assert.equal(diags.length, 1);
  assert.match(diags[0]!.file, /rmm_Action1_netconn\.yaml$/);
  assert.deepEqual([diags[0]!.line, diags[0]!.column], [23, 7]);
  assert.match(diags[0]!.message, /did you mean 'InitiatingProcessAccountUpn'/);
});

test('an unreadable YAML file is reported with its line and column', async () => {
  const r = await runCli(['check', '--format', 'json', 'test/cli/fixtures/broken.yaml']);
  assert.equal(r.code, 1);
  const [d] = JSON.parse(r.stdout) as { code: string; line: number; message: string }[];
  assert.equal(d!.code, 'KQL3001');
  assert.equal(d!.line, 3);
  assert.match(d!.message, /cannot read the rule YAML/);
});

test('--schema adds user tables', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-schema-'));
  writeFileSync(join(dir, 'MyTable.json'), JSON.stringify({ table: 'MyTable', columns: [{ name: 'A', type: 'string' }] }));
  const q = 'MyTable | where A has "x" | where B == 1';
  const without = await runCli(['check', '--format', 'json', '-'], { input: q });
  assert.deepEqual((JSON.parse(without.stdout) as { code: string }[]).map((d) => d.code), ['KQL2002']);
  const withSchema = await runCli(['check', '--format', 'json', '--schema', dir, '-'], { input: q });
  assert.deepEqual((JSON.parse(withSchema.stdout) as { message: string }[]).map((d) => d.message), ["unknown column or variable 'B'"]);
});

test('bad flags and missing paths fail with a message', async () => {
  const a = await runCli(['check', '--format', 'xml', 'x.kql']);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /--format must be text, json, sarif, github, not 'xml'/);
  const b = await runCli(['check', 'does/not/exist.kql']);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /no such file or directory/);
});

test('lint through the CLI: --format sarif is valid SARIF 2.1.0 with a rule per lint code and results at file positions', async () => {
  const r = await runCli(['check', '--format', 'sarif', 'test/rules/data/lint/lint021-retired-technique.yaml', 'test/rules/data/lint/lint010-contains-path.yaml']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout);
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  const run = log.runs[0];
  assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id), ['LINT010', 'LINT021']);
  assert.match(run.tool.driver.rules[0].helpUri, /docs\/LINT\.md#lint010$/);
  assert.deepEqual(run.results.map((x: any) => [x.ruleId, x.level, x.locations[0].physicalLocation.artifactLocation.uri, x.locations[0].physicalLocation.region.startLine, x.locations[0].physicalLocation.region.startColumn]), [
    ['LINT021', 'warning', 'test/rules/data/lint/lint021-retired-technique.yaml', 13, 5],
    ['LINT021', 'warning', 'test/rules/data/lint/lint021-retired-technique.yaml', 14, 5],
    ['LINT010', 'warning', 'test/rules/data/lint/lint010-contains-path.yaml', 17, 22],
    ['LINT010', 'warning', 'test/rules/data/lint/lint010-contains-path.yaml', 17, 67],
  ]);
});

test('lint through the CLI: --format github writes ::warning/::error annotations at the rule file line and column', async () => {
  const r = await runCli(['check', '--format', 'github', 'test/rules/data/lint/lint030-entity-missing.yaml', 'test/rules/data/lint/lint011-equals-filename.yaml']);
  assert.equal(r.code, 1, 'LINT030 is an error');
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^::error file=test\/rules\/data\/lint\/lint030-entity-missing\.yaml,line=26,col=21,endLine=26,endColumn=32,title=LINT030 entity-column-not-in-output::the Account mapping \(Name\) names column 'accountname'/);
  assert.match(lines[2]!, /^::warning file=test\/rules\/data\/lint\/lint011-equals-filename\.yaml,line=17,col=20,.*title=LINT011 case-sensitive-equality::'FileName == "powershell\.exe"'/);
  assert.equal(lines.length, 5);
  assert.equal(lines[4], 'kqlite check: checked 2 files: 2 errors, 2 warnings');
});

test('lint through the CLI: --disable turns codes off, an unknown code is refused, --no-lint leaves the binder only', async () => {
  const file = 'test/rules/data/lint/lint011-equals-filename.yaml';
  const on = await runCli(['check', '--format', 'json', file]);
  assert.deepEqual(JSON.parse(on.stdout).map((d: { code: string }) => d.code), ['LINT011', 'LINT011']);
  const off = await runCli(['check', '--format', 'json', '--disable', 'lint011,LINT001', file]);
  assert.deepEqual(JSON.parse(off.stdout), []);
  const none = await runCli(['check', '--no-lint', file]);
  assert.match(none.stdout, /checked 1 file: 0 errors, 0 warnings\n$/);
  const bad = await runCli(['check', '--disable', 'LINT999', file]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--disable 'LINT999': not a lint code \(LINT001, LINT002/);
});

test("lint through the CLI: --workspace turns off the codes the workspace's config.json lists (as its rule pages do); a bad code there is refused", async () => {
  const file = 'test/rules/data/lint/lint011-equals-filename.yaml';
  const ws = mkdtempSync(join(tmpdir(), 'kqlite-check-ws-'));
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ lint: { disable: ['LINT011'] } }));
  const off = await runCli(['check', '--format', 'json', '--workspace', ws, file]);
  assert.equal(off.code, 0, off.stderr);
  assert.deepEqual(JSON.parse(off.stdout), []);
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ lint: { disable: ['LINT01'] } }));
  const bad = await runCli(['check', '--workspace', ws, file]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--workspace .*: config\.json: lint\.disable: 'LINT01' is not a lint code/);
  rmSync(ws, { recursive: true, force: true });
});

test('client directives: Kusto\'s own before a query are skipped, a Markdown heading above one is KQL2031', async () => {
  const ok = await runCli(['check', '-', '--format', 'json'], { input: '#crp query_datascope=hotcache\nDeviceProcessEvents | where FileName:"cmd" | take 1' });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const bad = await runCli(['check', '-', '--format', 'json'], { input: '### SUSPICIOUS EXECUTION\nDeviceProcessEvents | take 1' });
  assert.equal(bad.code, 1);
  const diags = JSON.parse(bad.stdout) as { code: string; line: number; column: number; message: string }[];
  assert.deepEqual(diags.map((d) => [d.code, d.line, d.column]), [['KQL2031', 1, 1]]);
  assert.match(diags[0]!.message, /make it a \/\/ comment/);
});

test('columns the current Defender pages list (InitiatingProcessUniqueId, DeviceInfo\'s OsBuildRevision) are known; a misspelling is not', async () => {
  const good = await runCli(['check', '-'], { input: 'DeviceFileEvents | join kind=inner (DeviceInfo | project DeviceId, OsBuildRevision) on DeviceId | project InitiatingProcessUniqueId, LogonID, OsBuildRevision' });
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /0 errors/);
  const bad = await runCli(['check', '-'], { input: 'DeviceFileEvents | project InitiatingProcessUniqueIdd' });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /KQL2001: unknown column or variable 'InitiatingProcessUniqueIdd'; did you mean 'InitiatingProcessUniqueId'\?/);
});
