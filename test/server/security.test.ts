// Attacks on `kqlite serve` as an adversary makes them, over a real socket through the CLI: percent-escaped
// API paths past the token, DNS rebinding (a foreign Host), cross-origin state changes, self-asserted
// audit identities. Raw http.request so the path and Host go out exactly as written.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { serveCli } from '../helpers/cli.js';

let root: string;
let ws: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-sec-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 12, days: 2 });
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Raw { status: number; body: string }
function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

const SPELLINGS = ['/api/findings', '/%61pi/findings', '/ap%69/findings', '/%61%70%69/findings', '/api%2Ffindings', '/API/findings', '//api/findings', '/api/findings/', '/api/./findings', '/api/../api/findings'];

test('with a token, no spelling of an API path reaches the API without it (deny by default)', async () => {
  const s = await serveCli(['serve', '--workspace', ws, '--port', '0', '--host', '0.0.0.0', '--token', 'sekret-token-0123456789']);
  try {
    const port = Number(new URL(s.url).port);
    for (const path of SPELLINGS) {
      const r = await raw(port, 'GET', path);
      assert.ok(r.status === 401 || r.status === 404 || r.status === 400, `${path} answered ${r.status}: ${r.body.slice(0, 200)}`);
      assert.doesNotMatch(r.body, /"findings"\s*:/, `${path} leaked findings`);
    }
    // the same requests, state-changing ones included, with the token work (the escape is only a spelling)
    const auth = { authorization: 'Bearer sekret-token-0123456789' };
    assert.equal((await raw(port, 'GET', '/%61pi/findings', auth)).status, 200);
    for (const path of ['/%61pi/suppressions', '/api/suppressions']) {
      const r = await raw(port, 'POST', path, {}, JSON.stringify({ target: 'AnyDesk', reason: 'x' }));
      assert.equal(r.status, 401, path);
    }
    const hunt = await raw(port, 'POST', '/%61pi/hunts', {}, JSON.stringify({}));
    assert.equal(hunt.status, 401);
    const query = await raw(port, 'POST', '/ap%69/query', {}, JSON.stringify({ query: 'print 1' }));
    assert.equal(query.status, 401);
    // static pages stay public: they hold no data
    assert.equal((await raw(port, 'GET', '/findings')).status, 200);
  } finally {
    await s.stop();
  }
});

test('DNS rebinding: a foreign Host is refused on every path; loopback names and --allow-host are answered', async () => {
  const s = await serveCli(['serve', '--workspace', ws, '--port', '0', '--allow-host', 'hunt.example.org']);
  try {
    const port = Number(new URL(s.url).port);
    for (const host of [`evil.example:${port}`, 'attacker.test', `127.0.0.1.nip.io:${port}`, `localhost.evil:${port}`]) {
      for (const path of ['/api/findings', '/api/status', '/', '/findings']) {
        const r = await raw(port, 'GET', path, { host });
        assert.equal(r.status, 421, `Host '${host}' ${path}: ${r.status}`);
      }
      const post = await raw(port, 'POST', '/api/suppressions', { host }, JSON.stringify({ target: 'AnyDesk', reason: 'silence' }));
      assert.equal(post.status, 421);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'hunt.example.org', `hunt.example.org:${port}`]) {
      assert.equal((await raw(port, 'GET', '/api/status', { host })).status, 200, host);
    }
  } finally {
    await s.stop();
  }
});

test('state changes from another origin are refused; the server\'s own pages and non-browser clients may', async () => {
  const s = await serveCli(['serve', '--workspace', ws, '--port', '0']);
  try {
    const port = Number(new URL(s.url).port);
    const own = `http://127.0.0.1:${port}`;
    const body = JSON.stringify({ target: 'AnyDesk', reason: 'sanctioned' });
    for (const headers of [{ origin: 'http://evil.example' }, { origin: `http://localhost:${port}` }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }]) {
      const r = await raw(port, 'POST', '/api/suppressions', headers, body);
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal((await raw(port, 'POST', '/api/query/c-1/cancel', headers)).status, 403, `cancel ${JSON.stringify(headers)}`);
      assert.equal((await raw(port, 'PATCH', '/api/findings/x', headers, JSON.stringify({ status: 'benign' }))).status, 403);
    }
    // reads from elsewhere are not state changes (the Host rule and the browser's same-origin policy cover them)
    assert.equal((await raw(port, 'GET', '/api/status', { origin: 'http://evil.example' })).status, 200);
    const created = await raw(port, 'POST', '/api/suppressions', { origin: own, 'sec-fetch-site': 'same-origin', 'x-kqlite-user': 'mallory' }, body);
    assert.equal(created.status, 201, created.body);
    // the audit actor is who the server authenticated, not what the client claimed
    const made = JSON.parse(created.body) as { createdBy?: string; by?: string };
    assert.doesNotMatch(JSON.stringify(made), /mallory/);
    const inv = await raw(port, 'GET', '/api/inventory');
    assert.doesNotMatch(inv.body, /mallory/);
    assert.match(inv.body, /web \(/);
    // curl and the SDKs send no Origin: allowed
    assert.equal((await raw(port, 'POST', '/api/query', {}, JSON.stringify({ query: 'print 1' }))).status, 200);
  } finally {
    await s.stop();
  }
});

test('serve refuses arguments it does not use and malformed --allow-host values', async () => {
  for (const args of [['bogus'], ['--allow-host', 'a b'], ['--allow-host', 'x/y']]) {
    const served = await serveCli(['serve', '--workspace', ws, '--port', '0', ...args]).then((s) => s, (e: Error) => e);
    if (!(served instanceof Error)) {
      await served.stop();
      assert.fail(`serve accepted ${args.join(' ')}`);
    }
    assert.match(served.message, /exited with 1[\s\S]*(unexpected argument|--allow-host takes)/);
  }
});
