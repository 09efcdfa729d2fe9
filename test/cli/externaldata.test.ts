// externaldata through the CLI: `kqlite query --allow-network` against a local HTTP server, refused without
// it (KQL4020 naming the URL), a re-run with the server stopped served from the workspace's copy; and
// `kqlite hunt --allow-network` for a rule that reads a watch list with externaldata.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { runCli } from '../helpers/cli.js';
import { serveFiles, type FileServer } from '../helpers/http-files.js';

let root: string;
let ws: string;
let srv: FileServer;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-extcli-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 6, days: 1 });
  srv = await serveFiles({
    '/watch.csv': { body: 'Device,Reason\nlaptop-003.contoso.local,stolen\nnobody.contoso.local,gone\n' },
    '/devices.txt': { body: 'laptop-003.contoso.local\nlaptop-004.contoso.local\n' },
  });
});
after(async () => {
  await srv.close();
  rmSync(root, { recursive: true, force: true });
});

test('query: refused without --allow-network, fetched with it, then served from the workspace with the server stopped', async () => {
  const own = await serveFiles({ '/feed.csv': { body: 'Device,Reason\na,x\nb,y\n' } });
  const q = `externaldata(Device:string, Reason:string)[@"${own.url}/feed.csv"] with (format="csv", ignoreFirstRecord=true) | project Device, Reason`;
  const off = await runCli(['query', '--workspace', ws, q]);
  assert.equal(off.code, 1);
  assert.match(off.stderr, /error KQL4020: externaldata needs the network to read http:\/\/127\.0\.0\.1:\d+\/feed\.csv/);
  assert.doesNotMatch(off.stderr, /at .*\.(ts|js):\d+/); // no stack trace
  const on = await runCli(['query', '--workspace', ws, '--allow-network', '--format', 'csv', q]);
  assert.equal(on.code, 0, on.stderr);
  assert.equal(on.stdout, 'Device,Reason\na,x\nb,y\n');
  await own.close();
  const again = await runCli(['query', '--workspace', ws, '--format', 'csv', q]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'Device,Reason\na,x\nb,y\n');
});

test('query without a workspace: --allow-network fetches (nothing cached)', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'kqlite-extnows-'));
  const r = await runCli(['query', '--allow-network', '--format', 'csv', `externaldata(d:string)["${srv.url}/devices.txt"] | count`], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Count\n2\n');
});

test('hunt: a rule joining telemetry to an externaldata watch list runs with --allow-network and fails clearly without it', async () => {
  const rules = join(root, 'rules');
  mkdirSync(rules, { recursive: true });
  writeFileSync(join(rules, 'watch.yaml'), [
    'id: 6f1c1a2e-0000-4000-8000-00000000e001',
    'name: Devices on the external watch list',
    'description: Network events from devices listed in an external watch list.',
    'severity: Medium',
    'requiredDataConnectors: []',
    'tactics: [CommandAndControl]',
    'relevantTechniques: [T1219]',
    'query: |',
    `  let watch = externaldata(Device:string, Reason:string)[@"${srv.url}/watch.csv"] with (format="csv", ignoreFirstRecord=true);`,
    '  DeviceNetworkEvents',
    '  | where DeviceName in ((watch | project Device))',
    '  | summarize Events = count() by DeviceName',
    '',
  ].join('\n'));
  // rules come from elsewhere: their downloads reach this machine's test server only where config.json allows it
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ externalData: { allowPrivateNetwork: true } }));
  const imported = await runCli(['rules', 'import', rules, '--workspace', ws]);
  assert.equal(imported.code, 0, imported.stderr + imported.stdout);
  const off = await runCli(['hunt', '--workspace', ws, '--rules', 'Devices on the external*', '--format', 'json']);
  const offJson = JSON.parse(off.stdout) as { summary: { rules: { outcome: string; reason?: string }[] } };
  assert.equal(offJson.summary.rules[0]!.outcome, 'failed');
  assert.match(offJson.summary.rules[0]!.reason!, /externaldata needs the network to read .*watch\.csv/);
  const on = await runCli(['hunt', '--workspace', ws, '--rules', 'Devices on the external*', '--allow-network', '--format', 'json']);
  const onJson = JSON.parse(on.stdout) as { summary: { rules: { outcome: string; rows: number }[] }; findings: { device: string }[] };
  assert.equal(onJson.summary.rules[0]!.outcome, 'ran', on.stderr);
  assert.equal(onJson.summary.rules[0]!.rows, 1);
  assert.deepEqual(onJson.findings.map((f) => f.device), ['laptop-003.contoso.local']);
});
