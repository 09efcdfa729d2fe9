// `kqlite check` through the CLI: text and JSON output, exit codes, stdin, rule YAML with repairs, --schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

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
  assert.match(a.stderr, /--format must be text or json/);
  const b = await runCli(['check', 'does/not/exist.kql']);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /no such file or directory/);
});
