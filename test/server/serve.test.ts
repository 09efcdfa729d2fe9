// `kqlite serve` through the CLI and over a real socket: loopback by default, the token rule on other hosts,
// the single-page app's static files with its fallback, and bad input.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type { StatusResponse } from '../../src/server/api.js';
import { runCli, serveCli } from '../helpers/cli.js';

let root: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-serve-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 14, days: 2 });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('kqlite serve binds 127.0.0.1 by default and answers the API without a token', async () => {
  const s = await serveCli(['serve', '--workspace', ws, '--port', '0']);
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${s.url}/api/status`);
    assert.equal(r.status, 200);
    const body = (await r.json()) as StatusResponse;
    assert.equal(body.tokenRequired, false);
    assert.equal(body.workspace, ws);
    assert.doesNotMatch(s.output(), /token/i);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test('on another host every API request needs the bearer token (generated and printed when not given)', async () => {
  const s = await serveCli(['serve', '--workspace', ws, '--port', '0', '--host', '0.0.0.0'], { env: { KQLITE_TOKEN: '' } });
  try {
    const token = /API token \(generated\): (\S+)/.exec(s.output())![1]!;
    assert.ok(token.length >= 32);
    const port = new URL(s.url).port;
    const base = `http://127.0.0.1:${port}`;
    for (const auth of [undefined, 'Bearer wrong', `Basic ${token}`, token]) {
      const r = await fetch(`${base}/api/status`, auth ? { headers: { authorization: auth } } : {});
      assert.equal(r.status, 401, String(auth));
      assert.match(((await r.json()) as { error: { message: string } }).error.message, /needs a token/);
    }
    const post = await fetch(`${base}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'print 1' }) });
    assert.equal(post.status, 401);
    const ok = await fetch(`${base}/api/status`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as StatusResponse).tokenRequired, true);
    // the app's static files are public (they hold no data); the API behind them is not
    assert.equal((await fetch(`${base}/findings`)).status, 200);
  } finally {
    await s.stop();
  }
});

test('a given token applies on loopback too; buildServer refuses a non-loopback host without one', async () => {
  const app = await buildServer({ workspaceDir: ws, token: 's3cret-token', webRoot: join(root, 'none') });
  try {
    assert.equal((await app.inject({ url: '/api/rules' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/rules', headers: { authorization: 'Bearer s3cret-token' } })).statusCode, 200);
  } finally {
    await app.close();
  }
  await assert.rejects(buildServer({ workspaceDir: ws, host: '0.0.0.0' }), /needs a token/);
});

test('static files: SPA fallback for page URLs, assets by type, no path escapes the web root', async () => {
  const web = join(root, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>kqlite app</title>');
  writeFileSync(join(web, 'app.js'), 'console.log(1)');
  writeFileSync(join(web, 'assets', 'font.ttf'), 'x');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  const app = await buildServer({ workspaceDir: ws, webRoot: web });
  try {
    for (const page of ['/', '/rules/kqlite-rmm-action1-netconn', '/coverage', '/findings?status=new', '/workbench']) {
      const r = await app.inject({ url: page });
      assert.equal(r.statusCode, 200, page);
      assert.match(r.body, /kqlite app/);
      assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
    }
    const js = await app.inject({ url: '/app.js' });
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal(String((await app.inject({ url: '/assets/font.ttf' })).headers['cache-control']), 'no-cache', 'an unhashed name is revalidated');
    for (const evil of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/missing.js']) {
      const r = await app.inject({ url: evil });
      assert.ok(r.statusCode === 404 || !r.body.includes('do not serve'), evil);
      assert.doesNotMatch(r.body, /do not serve/, evil);
    }
    assert.equal((await app.inject({ method: 'POST', url: '/coverage' })).statusCode, 405);
  } finally {
    await app.close();
  }
});

test('bad input: no workspace, bad port, unknown flag give one clear message and exit 1', async () => {
  const none = await runCli(['serve', '--workspace', join(root, 'nope')]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no workspace at .*nope/);
  const port = await runCli(['serve', '--workspace', ws, '--port', 'eighty']);
  assert.equal(port.code, 1);
  assert.match(port.stderr, /--port must be a port number/);
  const flag = await runCli(['serve', '--workspace', ws, '--bogus']);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /bogus/);
});

test('static files: hashed chunks cached as immutable, the rest revalidated by ETag / Last-Modified (304), text compressed once', async () => {
  const web = join(root, 'web-cache');
  mkdirSync(join(web, 'chunks'), { recursive: true });
  mkdirSync(join(web, 'fonts'), { recursive: true });
  const big = `// ${'const kusto = "language service";\n'.repeat(4000)}`;
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>kqlite app</title>');
  writeFileSync(join(web, 'kusto.worker.js'), big);
  writeFileSync(join(web, 'chunks', 'editor-YF4IM2LK.js'), big);
  writeFileSync(join(web, 'fonts', 'codicon-KO3A7BXW.ttf'), 'font');
  const app = await buildServer({ workspaceDir: ws, webRoot: web });
  try {
    const chunk = await app.inject({ url: '/chunks/editor-YF4IM2LK.js' });
    assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await app.inject({ url: '/fonts/codicon-KO3A7BXW.ttf' })).headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const url of ['/kusto.worker.js', '/', '/findings/abc']) {
      const first = await app.inject({ url });
      assert.equal(first.statusCode, 200, url);
      assert.equal(first.headers['cache-control'], 'no-cache', url);
      const etag = String(first.headers['etag']);
      const modified = String(first.headers['last-modified']);
      assert.match(etag, /^"[\w-]{22}"$/, url);
      assert.ok(!Number.isNaN(Date.parse(modified)), url);
      // the browser's copy is current: 304 without a body, by ETag or by date
      const byTag = await app.inject({ url, headers: { 'if-none-match': etag } });
      assert.equal(byTag.statusCode, 304, url);
      assert.equal(byTag.body, '');
      assert.equal((await app.inject({ url, headers: { 'if-modified-since': modified } })).statusCode, 304, url);
      assert.equal((await app.inject({ url, headers: { 'if-none-match': '"stale"' } })).statusCode, 200, url);
    }
    // compressed as accepted (brotli first), the same bytes once decoded; identity when nothing is accepted
    const br = await app.inject({ url: '/kusto.worker.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['vary'], 'accept-encoding');
    assert.ok(br.rawPayload.length < big.length / 10);
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), big);
    const gz = await app.inject({ url: '/kusto.worker.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString(), big);
    const none = await app.inject({ url: '/kusto.worker.js', headers: { 'accept-encoding': 'br;q=0, identity' } });
    assert.equal(none.headers['content-encoding'], undefined);
    assert.equal(none.body, big);
    // a rebuild (new content) changes the ETag
    writeFileSync(join(web, 'kusto.worker.js'), big + '// rebuilt\n');
    utimesSync(join(web, 'kusto.worker.js'), new Date(), new Date(Date.now() + 5000));
    const after = await app.inject({ url: '/kusto.worker.js', headers: { 'if-none-match': String(chunk.headers['etag']) } });
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /rebuilt/);
  } finally {
    await app.close();
  }
});
