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
  writeFileSync(join(ws, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true } }));
  const on = await query(q);
  assert.equal(on.statusCode, 200, on.body);
  assert.deepEqual((on.json() as QueryResponse).tables[0]!.rows, [[2]]);
  writeFileSync(join(ws, 'config.json'), '{"externalData": {"timeoutMs": -1}}');
  const bad = await query(q);
  assert.equal(bad.statusCode, 400);
  assert.match((bad.json() as ApiError).error.message, /externalData\.timeoutMs must be a positive whole number/);
});
