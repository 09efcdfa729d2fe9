// The main job through the CLI: demo workspace → hunt → findings match the scenario manifest; suppressions,
// re-runs, new telemetry and bad input behave as a SOC expects.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli, serveCli } from '../helpers/cli.js';

let root: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-e2e-'));
  ws = join(root, 'ws');
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Scenario { id: string; kind: string; tool: string; devices: string[] }
interface HuntJson { asOf: string; summary: { findingsNew: number; findingsUpdated: number; findingsUnchanged: number; findingsSuppressed: number; rulesRun: number; asOfSource: string }; findings: { id: string; tool: string | null; device: string | null; suppressed: boolean; ruleId: string; lastSeen: string; row: Record<string, unknown> }[] }
const hunt = async (...extra: string[]) => {
  const r = await runCli(['hunt', '--workspace', ws, '--format', 'json', ...extra]);
  assert.ok(r.code === 0 || r.code === 2, r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as HuntJson };
};

test('npm start: demo workspace, hunt with the built-in pack, summary', async () => {
  const r = await runCli(['start', '--workspace', ws, '--no-serve']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /created the demo workspace/);
  assert.match(r.stdout, /as of 2026-11-\d\dT.*the latest event in the workspace/);
  assert.match(r.stdout, /findings: \d+ new/);
  assert.ok(existsSync(join(ws, 'findings.sqlite')));
});

test('every planted abuse is found by its tool\'s rules, no decoy is reported, and a rerun changes no count', async () => {
  const manifest = JSON.parse(readFileSync(join(ws, 'demo-manifest.json'), 'utf8')) as { scenarios: Scenario[] };
  const { json, code } = await hunt();
  assert.equal(code, 0); // findings exist but none is new: exit code 0 (2 is for new findings)
  const found = json.findings;
  for (const s of manifest.scenarios.filter((x) => x.kind !== 'decoy')) {
    for (const d of s.devices) {
      const mine = found.filter((f) => f.tool === s.tool && f.device === d);
      assert.ok(mine.length >= 3, `${s.id}: ${s.tool} on ${d} found by ${mine.length} rules`);
      assert.deepEqual(new Set(mine.map((f) => f.ruleId.split('-').pop())), new Set(['netconn', 'createproc', 'filesig']));
    }
  }
  for (const s of manifest.scenarios.filter((x) => x.kind === 'decoy')) {
    for (const d of s.devices) assert.deepEqual(found.filter((f) => f.device === d).map((f) => f.ruleId), [], `decoy ${s.id}`);
  }
  // the same data again: every finding is seen again, none is new, none changed
  assert.deepEqual([json.summary.findingsNew, json.summary.findingsUpdated, json.summary.findingsUnchanged], [0, 0, found.length]);
});

test('allowing the sanctioned tool suppresses exactly its findings; an expired allowance re-surfaces them', async () => {
  const bad = await runCli(['allow', 'Action1', '--workspace', ws, '--device', 'it-admin-*']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /reason is required/);
  const ok = await runCli(['allow', 'Action1', '--workspace', ws, '--device', 'it-admin-*', '--reason', 'patching tool, CHG-1042']);
  assert.equal(ok.code, 0, ok.stderr);
  const { json } = await hunt();
  const sup = json.findings.filter((f) => f.suppressed);
  assert.ok(sup.length >= 6);
  assert.ok(sup.every((f) => f.tool === 'Action1'));
  assert.ok(json.findings.some((f) => f.tool === 'Atera' && f.device?.startsWith('it-admin-02') && !f.suppressed));
  const inv = JSON.parse((await runCli(['inventory', '--workspace', ws, '--format', 'json'])).stdout) as { tool: string; device: string; state: string; secondTool?: { sanctioned: string[] } }[];
  assert.equal(inv.find((e) => e.tool === 'Action1' && e.device.startsWith('it-admin-01'))!.state, 'sanctioned');
  assert.deepEqual(inv.find((e) => e.tool === 'Atera')!.secondTool, { sanctioned: ['Action1'] });
  // an allowance that would already have expired is refused (it could never apply)...
  const past = await runCli(['allow', 'AnyDesk', '--workspace', ws, '--reason', 'pilot ended', '--expires', '2020-01-01']);
  assert.equal(past.code, 1);
  assert.match(past.stderr, /--expires '2020-01-01' is in the past: give a future date/);
  // ...and one that lapsed (stored while it was still in the future) does not apply
  const { addSuppression, openFindingsDb } = await import('../../src/hunts/index.js');
  const db = openFindingsDb(ws);
  addSuppression(db, { target: 'AnyDesk', targetKind: 'tool', reason: 'pilot ended', expires: '2020-01-01T00:00:00.0000000Z' }, 'analyst');
  db.close();
  const after = await hunt();
  assert.ok(after.json.findings.filter((f) => f.tool === 'AnyDesk').every((f) => !f.suppressed));
});

test('triage through the CLI is audited', async () => {
  const list = JSON.parse((await runCli(['findings', 'list', '--workspace', ws, '--tool', 'AnyDesk', '--format', 'json'])).stdout) as { id: string }[];
  assert.ok(list.length >= 3);
  const id = list[0]!.id;
  const bad = await runCli(['findings', 'set', id, '--workspace', ws, '--status', 'done']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /status must be one of/);
  const set = await runCli(['findings', 'set', id.slice(0, 10), '--workspace', ws, '--status', 'malicious', '--note', 'confirmed with the user: no help-desk call was made']);
  assert.equal(set.code, 0, set.stderr);
  const show = JSON.parse((await runCli(['findings', 'show', id, '--workspace', ws, '--format', 'json'])).stdout) as { status: string; audit: { action: string }[]; notes: unknown[] };
  assert.equal(show.status, 'malicious');
  assert.deepEqual(show.audit.map((a) => a.action), ['status', 'note']);
});

test('new telemetry extends last seen without new findings for the same groups', async () => {
  const before = (await hunt()).json.findings.find((f) => f.ruleId === 'kqlite-rmm-anydesk-netconn' && f.row['RemoteUrl'] === 'boot.net.anydesk.com')!;
  const row = { Timestamp: '2026-11-20T06:00:00.1234567Z', DeviceId: before.row['DeviceId'], DeviceName: before.device, ActionType: 'ConnectionSuccess', RemoteUrl: 'boot.net.anydesk.com', RemotePort: '443',
    InitiatingProcessFileName: 'AnyDesk.exe', InitiatingProcessVersionInfoCompanyName: 'AnyDesk Software GmbH', InitiatingProcessVersionInfoProductName: 'AnyDesk', ReportId: 999999 };
  const file = join(root, 'DeviceNetworkEvents-late.json');
  writeFileSync(file, JSON.stringify(row) + '\n');
  const ing = await runCli(['ingest', file, '--workspace', ws]);
  assert.equal(ing.code, 0, ing.stderr);
  assert.match(ing.stdout, /read 1, loaded 1, quarantined 0/);
  const { json } = await hunt();
  assert.equal(json.summary.findingsNew, 0);
  assert.equal(json.asOf, '2026-11-20T06:00:00.1234567Z');
  const again = json.findings.find((f) => f.id === before.id)!;
  assert.equal(again.lastSeen, '2026-11-20T06:00:00.1234567Z');
});

test('coverage and the Navigator layer through the CLI', async () => {
  const nav = join(root, 'layer.json');
  const r = await runCli(['coverage', '--workspace', ws, '--format', 'json', '--navigator', nav]);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as { techniques: { techniqueId: string; rulesWithFindings: number }[] };
  assert.ok(rep.techniques.find((t) => t.techniqueId === 'T1219')!.rulesWithFindings >= 15);
  const layer = JSON.parse(readFileSync(nav, 'utf8')) as { versions: { layer: string }; techniques: { techniqueID: string }[] };
  assert.equal(layer.versions.layer, '4.5');
});

test('bad input: unknown selector, unparsable --as-of, empty or missing workspace, unwritable workspace', async () => {
  const sel = await runCli(['hunt', '--workspace', ws, '--rules', 'tool:NoSuchTool']);
  assert.equal(sel.code, 1);
  assert.match(sel.stderr, /no rule matches 'tool:NoSuchTool'/);
  const asof = await runCli(['hunt', '--workspace', ws, '--as-of', 'yesterday-ish']);
  assert.equal(asof.code, 1);
  assert.match(asof.stderr, /--as-of 'yesterday-ish' is not a datetime/);
  const missing = await runCli(['hunt', '--workspace', join(root, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no workspace at/);
  const emptyDir = join(root, 'empty');
  await runCli(['tables', '--workspace', emptyDir]);
  const mk = mkdtempSync(join(root, 'e-'));
  const empty = await runCli(['hunt', '--workspace', mk]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /holds no telemetry/);
  if (process.getuid?.() !== 0) {
    const ro = mkdtempSync(join(root, 'ro-'));
    await runCli(['demo', '--workspace', ro]);
    chmodSync(ro, 0o555);
    const r = await runCli(['hunt', '--workspace', ro]);
    chmodSync(ro, 0o755);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot open the findings database/);
  }
});

test('npm start then serves the web app over the hunted workspace until stopped', async () => {
  const s = await serveCli(['start', '--workspace', ws, '--port', '0'], { timeoutMs: 120_000 });
  try {
    assert.match(s.output(), /using the workspace/);
    const f = (await (await fetch(`${s.url}/api/findings?suppressed=false`)).json()) as { total: number };
    assert.ok(f.total > 0);
    assert.equal((await fetch(`${s.url}/findings`)).status, 200);

    // npm start a second time: the port is checked before any hunting, and the running server is the answer
    const port = new URL(s.url).port;
    const runs = (await runCli(['runs', '--workspace', ws, '--format', 'json'])).stdout;
    const again = await runCli(['start', '--workspace', ws, '--port', port]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`already serving .* at http://127\\.0\\.0\\.1:${port}/`));
    assert.doesNotMatch(again.stdout, /hunt #/);
    assert.equal((await runCli(['runs', '--workspace', ws, '--format', 'json'])).stdout, runs, 'no hunt ran');
    // another workspace on that port: refused at once, nothing created, with the way out
    const other = join(root, 'other-ws');
    const busy = await runCli(['start', '--workspace', other, '--port', port]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use: a kqlite server of another workspace .* --port ${Number(port) + 1}`));
    assert.equal(existsSync(other), false, 'no demo workspace was created');
    const serve = await runCli(['serve', '--workspace', ws, '--port', port]);
    assert.equal(serve.code, 1);
    assert.match(serve.stderr, /kqlite already serves this workspace at http:\/\/127\.0\.0\.1:\d+\/\. Choose another port, e\.g\. kqlite serve --port \d+/);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test('a port another program holds: start and serve say so and suggest --port, before hunting', async () => {
  const holder = createServer((_req, res) => res.end('not kqlite'));
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const port = (holder.address() as AddressInfo).port;
  try {
    for (const cmd of ['start', 'serve']) {
      const r = await runCli([cmd, '--workspace', ws, '--port', String(port)]);
      assert.equal(r.code, 1, `${cmd}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`kqlite ${cmd}: port ${port} on 127\\.0\\.0\\.1 is in use: another program is listening there\\. Choose another port, e\\.g\\. .*--port ${port + 1}`));
      assert.doesNotMatch(r.stdout, /hunt #/);
    }
  } finally {
    holder.close();
  }
});
