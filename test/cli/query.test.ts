// `kqlite query` through the CLI: formats, --as-of, exit codes, diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCli } from '../helpers/cli.js';

const cwd = mkdtempSync(`${tmpdir()}/kqlite-q-`); // no workspace here: queries run on their own data

test('json uses REST v2 value encoding', async () => {
  const r = await runCli(['query', '--format', 'json', 'print a = datetime(2020-01-01 10:00:00.1234567), b = 1d + 2h, c = dynamic({"x": [1]}), n = long(null)'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    columns: [{ name: 'a', type: 'datetime' }, { name: 'b', type: 'timespan' }, { name: 'c', type: 'dynamic' }, { name: 'n', type: 'long' }],
    rows: [['2020-01-01T10:00:00.1234567Z', '1.02:00:00', { x: [1] }, null]],
  });
});

test('table, csv and ndjson', async () => {
  const q = 'range x from 1 to 3 step 1 | extend s = strcat("v,", tostring(x))';
  const t = await runCli(['query', q], { cwd });
  assert.match(t.stdout, /^x {2}s\n-/);
  assert.match(t.stdout, /\(3 rows\)/);
  const c = await runCli(['query', '--format', 'csv', q], { cwd });
  assert.equal(c.stdout, 'x,s\n1,"v,1"\n2,"v,2"\n3,"v,3"\n');
  const n = await runCli(['query', '--format', 'ndjson', q], { cwd });
  assert.deepEqual(n.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ x: 1, s: 'v,1' }, { x: 2, s: 'v,2' }, { x: 3, s: 'v,3' }]);
});

test('--as-of sets now() for the whole query', async () => {
  const r = await runCli(['query', '--format', 'json', '--as-of', '2024-05-10T12:00:00Z', 'print now(), ago(1d)'], { cwd });
  assert.deepEqual(JSON.parse(r.stdout).rows, [['2024-05-10T12:00:00.0000000Z', '2024-05-09T12:00:00.0000000Z']]);
  const bad = await runCli(['query', '--as-of', 'yesterday', 'print 1'], { cwd });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--as-of 'yesterday' is not a datetime/);
});

test('errors exit 1 with a rendered diagnostic; the query comes from --file or stdin too', async () => {
  const r = await runCli(['query', 'print x = nosuch'], { cwd });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /<query>:1:11: error KQL2001: unknown column or variable 'nosuch'/);
  const s = await runCli(['query', '--format', 'csv'], { cwd, input: 'print 41 + 1' });
  assert.equal(s.stdout, 'print_0\n42\n');
});

test('--max-rows truncates with a warning', async () => {
  const r = await runCli(['query', '--format', 'csv', '--max-rows', '2', 'range x from 1 to 10 step 1'], { cwd });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'x\n1\n2\n');
  assert.match(r.stderr, /truncated to 2 of 10 rows/);
});

test('an operator the engine does not run fails loudly, naming it', async () => {
  const r = await runCli(['query', 'range x from 1 to 3 step 1 | fork (take 1)'], { cwd });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the 'fork' operator is not supported by kqlite's engine/);
});

test('an Azure Resource Graph query (arg("").Resources) is refused by name with its position, in check and query', async () => {
  const text = 'arg("").Resources\n| where type == "microsoft.compute/virtualmachines"\n| project name';
  const q = await runCli(['query', text], { cwd });
  assert.equal(q.code, 1);
  assert.match(q.stderr + q.stdout, /<query>:1:1: error KQL2030: arg\(""\)\.Resources is an Azure Resource Graph table/);
  const c = await runCli(['check', '-', '--format', 'json'], { input: text, cwd });
  assert.equal(c.code, 1);
  assert.deepEqual((JSON.parse(c.stdout) as { code: string; line: number; column: number; endColumn: number }[]).map((d) => [d.code, d.line, d.column, d.endColumn]), [['KQL2030', 1, 1, 8]]);
});
