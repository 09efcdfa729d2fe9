// Hostile content through the server (docs/SECURITY.md, second round): a rule synced from a git source that
// tries to download with externaldata, hunted from the API where config.json allows the network; table
// names no folder can hold sent to the Kusto endpoint of a server that allows ingest.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type { HuntResponse } from '../../src/server/api.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, initRepo } from '../helpers/git-repo.js';
import { serveFiles, type FileServer } from '../helpers/http-files.js';

let root: string;
let ws: string;
let srv: FileServer;
let app: Awaited<ReturnType<typeof buildServer>>;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-api-hostile-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 3, days: 1 });
  srv = await serveFiles({ '/iocs.txt': { body: 'evil.example\n' } });
  const repo = join(root, 'repo');
  initRepo(repo);
  commitFiles(repo, { 'beacon.kql': `externaldata(Domain:string)["${srv.url}/iocs.txt"] with (format="txt")\n| join kind=inner (DeviceNetworkEvents) on $left.Domain == $right.RemoteUrl` });
  const added = await runCli(['sources', 'add', repo, '--name', 'third-party', '--workspace', ws]);
  assert.equal(added.code, 0, added.stderr);
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true, allowPrivateNetwork: true } }));
  app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'no-web'), engineWorkers: 1, allowIngest: true });
});
after(async () => {
  await app.close();
  await srv.close();
  rmSync(root, { recursive: true, force: true });
});

test('a hunt from the API never downloads for a rule synced from a git source, though config.json allows the network', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/hunts', payload: { rules: ['beacon'] } });
  assert.equal(r.statusCode, 200, r.body);
  const hunt = r.json() as HuntResponse;
  assert.equal(hunt.rules.length, 1, r.body);
  assert.equal(hunt.rules[0]!.outcome, 'failed');
  assert.match(hunt.rules[0]!.reason!, /a rule synced from a git source never downloads/);
  assert.equal(srv.hits.get('/iocs.txt') ?? 0, 0, 'nothing was fetched');
  // the workbench query typed by the analyst is theirs to send, as config.json allows
  const typed = await app.inject({ method: 'POST', url: '/api/query', payload: { query: `externaldata(Domain:string)["${srv.url}/iocs.txt"] with (format="txt") | count` } });
  assert.equal(typed.statusCode, 200, typed.body);
  assert.equal(srv.hits.get('/iocs.txt'), 1);
});

test('Kusto .create-merge with a table name no folder can hold is a 400 naming the rule, and nothing is made', async () => {
  for (const [name, why] of [['CON', /Windows reserves it for a device/], ['lpt1', /Windows reserves it for a device/], ['A'.repeat(300), /at most 128 characters/], ['../x', /not a table name kqlite can store/]] as const) {
    const r = await app.inject({ method: 'POST', url: '/v1/rest/mgmt', payload: { db: 'kqlite', csl: `.create-merge table ['${name}'] (a:string)` } });
    assert.equal(r.statusCode, 400, `${name}: ${r.body.slice(0, 300)}`);
    assert.match(r.body, why);
  }
  const tables = readdirSync(join(ws, 'tables'));
  assert.ok(!tables.some((t) => /^(CON|lpt1|A+)$/i.test(t)), tables.join(' '));
  assert.ok(!existsSync(join(ws, 'x')));
});
