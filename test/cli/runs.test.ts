// `kqlite runs` through the CLI, and a reader that closes the pipe early (`kqlite ... | head`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type { StatusResponse } from '../../src/server/api.js';
import { cliArgv, runCli } from '../helpers/cli.js';

let root: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-runs-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 14, days: 2 });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('runs lists past hunts newest first with what they found; show gives one; bad ids are clear errors', async () => {
  const empty = await runCli(['runs', '--workspace', ws]);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /\(0 runs\)/);
  assert.equal((await runCli(['hunt', '--workspace', ws, '--rules', 'AnyDesk'])).code, 2);
  assert.equal((await runCli(['hunt', '--workspace', ws, '--rules', 'Action1', '--as-of', '2026-11-19T00:00:00Z'])).code, 2);
  const list = await runCli(['runs', '--workspace', ws, '--format', 'json']);
  const runs = JSON.parse(list.stdout) as { id: number; asOf: string; ruleCount: number; rulesRun: number; findingsNew: number }[];
  assert.deepEqual(runs.map((r) => r.id), [2, 1]);
  assert.equal(runs[0]!.asOf, '2026-11-19T00:00:00.0000000Z');
  assert.ok(runs.every((r) => r.rulesRun === r.ruleCount && r.findingsNew > 0));
  const table = await runCli(['runs', '--workspace', ws, '--limit', '1']);
  assert.match(table.stdout, /^2 +\S+ +2026-11-19T00:00:00Z/m);
  assert.match(table.stdout, /\(1 run\)/);
  const show = await runCli(['runs', 'show', '1', '--workspace', ws]);
  assert.match(show.stdout, /hunt #1 .* completed\n  rules: 3 run, 0 skipped, 0 failed/);
  for (const bad of [['runs', 'show', '9', '--workspace', ws], ['runs', 'show', 'x', '--workspace', ws], ['runs', '--limit', '0', '--workspace', ws], ['runs', 'delete', '--workspace', ws]]) {
    const r = await runCli(bad);
    assert.equal(r.code, 1, bad.join(' '));
    assert.match(r.stderr, /^kqlite runs: /);
  }
});

test('a reader that stops early ends the command quietly (no EPIPE stack)', async () => {
  const child = spawn(process.execPath, [...cliArgv(), 'rules', 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
  assert.equal(code, 0);
});

test('a damaged stored rule is named by hunt (not run) and by the API status, never skipped silently', async () => {
  mkdirSync(join(ws, 'rules'), { recursive: true });
  writeFileSync(join(ws, 'rules', 'broken-rule.json'), '{"current": {"id": "x"');
  const r = await runCli(['hunt', '--workspace', ws, '--rules', 'AnyDesk']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /kqlite hunt: rules\/broken-rule\.json: cannot use this stored rule, not run: /);
  const app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'none') });
  try {
    const s = (await app.inject({ url: '/api/status' })).json() as StatusResponse;
    assert.deepEqual(s.rules.damaged.map((d) => d.file), ['rules/broken-rule.json']);
  } finally {
    await app.close();
  }
});
