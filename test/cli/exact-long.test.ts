// Exact longs through the command line: `kqlite query --format json` writes longs as exact integer literals
// (REST v2), an ingested long beyond 2^53 comes back digit for digit, an int that does not fit is
// quarantined with its reason.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kqlite-exact-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('query --format json prints hash("World") exactly, as an integer literal', async () => {
  const r = await runCli(['query', '--format', 'json', 'print h = hash("World"), m = hash("World") % 100, d = dynamic([9007199254740993])'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\[\[1846988464401551951,51,\[9007199254740993\]\]\]/);
  for (const format of ['csv', 'table', 'ndjson']) {
    const t = await runCli(['query', '--format', format, 'print h = hash("World")'], { cwd: dir });
    assert.match(t.stdout, /1846988464401551951/, format);
  }
});

test('an NDJSON long beyond 2^53 is ingested and queried back exactly; an int of 1e300 is quarantined with the reason', async () => {
  const ws = join(dir, 'ws');
  const data = join(dir, 'DeviceNetworkEvents.ndjson');
  writeFileSync(data, [
    '{"Timestamp":"2026-01-01T00:00:00Z","DeviceName":"a","RemotePort":443,"ReportId":9007199254740993}',
    '{"Timestamp":"2026-01-01T00:00:01Z","DeviceName":"b","RemotePort":1e300,"ReportId":1}',
  ].join('\n') + '\n');
  const ing = await runCli(['ingest', data, '--workspace', ws], { cwd: dir });
  assert.equal(ing.code, 0, ing.stderr);
  assert.match(ing.stdout + ing.stderr, /read 2, loaded 1, quarantined 1/);
  const q = await runCli(['query', '--workspace', ws, '--format', 'json', 'DeviceNetworkEvents | project ReportId, next = ReportId + 1'], { cwd: dir });
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, /"rows":\[\[9007199254740993,9007199254740994\]\]/);
  const quarantine = await runCli(['quarantine', '--workspace', ws, '--format', 'json'], { cwd: dir });
  assert.match(quarantine.stdout, /column RemotePort: 1e\+300 is out of range for int \(-2147483648 to 2147483647\)/);
});
