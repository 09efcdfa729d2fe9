// The server's workbench and hunts read externaldata URLs only where the workspace's config.json allows
// the network: refused with KQL4020 naming the URL by default, fetched once it is allowed; a config.json
// that cannot be read is a 400 naming the setting.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type { ApiError, QueryResponse } from '../../src/server/api.js';
import { serveFiles, type FileServer } from '../helpers/http-files.js';

let root: string;
let ws: string;
let app: Awaited<ReturnType<typeof buildServer>>;
let srv: FileServer;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-api-ext-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 4, days: 1 });
  app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'no-web') });
  srv = await serveFiles({ '/iocs.txt': { body: 'evil.example\nbad.example\n' } });
});
after(async () => {
  await app.close();
  await srv.close();
  rmSync(root, { recursive: true, force: true });
});

const query = (q: string) => app.inject({ method: 'POST', url: '/api/query', payload: { query: q } });

test('workbench externaldata: refused until config.json allows the network, then fetched', async () => {
  const q = `externaldata(Domain:string)["${srv.url}/iocs.txt"] with (format="txt") | count`;
  const off = await query(q);
  assert.equal(off.statusCode, 400);
  const err = off.json() as ApiError;
  assert.equal(err.error.diagnostics![0]!.code, 'KQL4020');
  assert.match(err.error.message, /iocs\.txt/);
  // the test server is on 127.0.0.1: reachable once config.json allows private addresses too
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true, allowPrivateNetwork: true } }));
  const on = await query(q);
  assert.equal(on.statusCode, 200, on.body);
  assert.deepEqual((on.json() as QueryResponse).tables[0]!.rows, [[2]]);
  writeFileSync(join(ws, 'config.json'), '{"externalData": {"timeoutMs": -1}}');
  const bad = await query(q);
  assert.equal(bad.statusCode, 400);
  assert.match((bad.json() as ApiError).error.message, /externalData\.timeoutMs must be a positive whole number/);
});

test('externaldata SSRF: with the network allowed, loopback, private and link-local addresses are refused unless config.json allows them', async () => {
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true, timeoutMs: 5000 } }));
  const port = new URL(srv.url).port;
  const hitsBefore = srv.hits.get('/iocs.txt') ?? 0;
  const targets = [
    `${srv.url}/iocs.txt`, `http://localhost:${port}/iocs.txt`, `http://[::1]:${port}/iocs.txt`, `http://[::ffff:127.0.0.1]:${port}/iocs.txt`,
    `http://2130706433:${port}/iocs.txt`, `http://0x7f.1:${port}/iocs.txt`, `http://0.0.0.0:${port}/iocs.txt`,
    'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/x', 'http://10.0.0.1/x', 'http://192.168.1.1/x',
    // a name that resolves to loopback is refused by the address it resolves to
    `http://localtest.me:${port}/iocs.txt`,
  ];
  try {
    for (const url of targets) {
      const r = await query(`externaldata(Domain:string)["${url}"] with (format="txt") | count`);
      assert.equal(r.statusCode, 400, `${url}: ${r.body.slice(0, 200)}`);
      const err = r.json() as ApiError;
      // localtest.me needs DNS: offline it fails to resolve, which is a refusal of another kind
      if (url.includes('localtest.me') && /ENOTFOUND|EAI_AGAIN/.test(err.error.message)) continue;
      assert.match(err.error.message, /loopback, private or link-local address/, url);
    }
    assert.equal(srv.hits.get('/iocs.txt') ?? 0, hitsBefore, 'no refused request reached the server');
  } finally {
    writeFileSync(join(ws, 'config.json'), '{}');
  }
});
