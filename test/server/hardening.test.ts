// Attacks on the server's HTTP layer over a real loopback socket (docs/SECURITY.md lists each with what it
// did before): requests sent slowly (slowloris headers, a dripped body), responses without security headers,
// Kusto management commands that write, error bodies that name absolute paths.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import { runCli, serveCli } from '../helpers/cli.js';
import { serveFiles } from '../helpers/http-files.js';

let root: string;
let ws: string;
let web: string;
let app: FastifyInstance;
let port: number;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-hardening-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 4, days: 1 });
  web = join(root, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>kqlite</title>');
  writeFileSync(join(web, 'app.js'), 'console.log(1)');
  // links inside the web root that point out of it (a secret beside it, the workspace's findings)
  writeFileSync(join(root, 'secret.txt'), 'SECRET-OUTSIDE-THE-WEB-ROOT');
  symlinkSync(join(root, 'secret.txt'), join(web, 'leak.txt'));
  symlinkSync(root, join(web, 'up'));
  // short limits so a slow client is cut off within the test (the defaults are 10 s / 60 s)
  app = await buildServer({ workspaceDir: ws, webRoot: web, engineWorkers: 1, timeouts: { headersMs: 800, requestMs: 1500, checkEveryMs: 100 } });
  port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
});
after(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: string }
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Writes `first` on a raw socket, then one more byte every 200 ms; resolves with what the server answered when it closed. */
function slowClient(first: string): Promise<string> {
  return new Promise((done, fail) => {
    let got = '';
    const s = connect(port, '127.0.0.1', () => s.write(first));
    const drip = setInterval(() => s.writable && s.write('a'), 200);
    // a liveness bound, not a timing assertion: without a request timeout the socket stays open for ever
    const give = setTimeout(() => { s.destroy(); fail(new Error(`the server still held the slow connection after 20 s (answered: ${got})`)); }, 20_000);
    s.on('data', (d) => (got += d.toString('utf8')));
    s.on('error', () => undefined);
    s.on('close', () => { clearInterval(drip); clearTimeout(give); done(got); });
  });
}

test('slowloris: headers that never end and a body dripped a byte at a time are cut off (408); the server keeps answering', async () => {
  const slow = await Promise.all([
    slowClient(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Pad: `),
    slowClient(`POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"query":"`),
    raw('GET', '/api/status').then((r) => `${r.status}`),
  ]);
  assert.match(slow[0], /^HTTP\/1\.1 408/);
  assert.match(slow[1], /^HTTP\/1\.1 408/);
  assert.equal(slow[2], '200');
  assert.equal((await raw('GET', '/api/status')).status, 200);
});

test('every response carries the security headers: pages, scripts, API, feeds, refusals, 404s and malformed requests', async () => {
  const cases: [string, string, Record<string, string>][] = [
    ['GET', '/', {}], ['GET', '/findings', {}], ['GET', '/app.js', {}], ['GET', '/missing.js', {}], ['GET', '/api/status', {}], ['GET', '/api/nope', {}],
    ['GET', '/feed.atom', {}], ['GET', '/feed.json', {}], ['GET', '/v1/rest/auth/metadata', {}], ['GET', '/api/status', { host: 'evil.example' }],
    ['GET', '/%', {}], ['POST', '/api/suppressions', { origin: 'http://evil.example', 'content-type': 'application/json' }], ['DELETE', '/', {}],
  ];
  for (const [method, path, headers] of cases) {
    const r = await raw(method, path, headers, method === 'POST' ? '{}' : undefined);
    const what = `${method} ${path} ${JSON.stringify(headers)} (${r.status})`;
    assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
    assert.equal(r.headers['x-frame-options'], 'DENY', what);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', what);
    const csp = String(r.headers['content-security-policy'] ?? '');
    // a script gets none: an editor worker would take it as its own policy (the page's CSP governs scripts)
    if (String(r.headers['content-type']).startsWith('text/javascript')) {
      assert.equal(csp, '', what);
      continue;
    }
    assert.match(csp, /frame-ancestors 'none'/, what);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, what);
    // anything that is not the app's page is a sandboxed document that may load nothing
    if (!String(r.headers['content-type']).startsWith('text/html')) assert.match(csp, /^default-src 'none';.*sandbox/, what);
    assert.equal(r.headers['access-control-allow-origin'], undefined, what);
  }
});

test('path traversal on static files: escapes, backslashes, NUL, absolute paths and symlinks out of the web root', async () => {
  const paths = ['/leak.txt', '/up/secret.txt', '/up/ws/findings.sqlite', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt', '/%2e%2e%5csecret.txt',
    '/app.js%00.txt', `/${encodeURIComponent(join(root, 'secret.txt'))}`, '//etc/passwd', '/%2fetc%2fpasswd', '/....//secret.txt'];
  for (const path of paths) {
    const r = await raw('GET', path);
    assert.ok(r.status === 404 || (r.status === 200 && /^<!doctype html>/.test(r.body)) || r.status === 400, `${path}: ${r.status}`);
    assert.doesNotMatch(r.body, /SECRET-OUTSIDE|SQLite format|root:/, path);
  }
  assert.equal((await raw('GET', '/app.js')).status, 200);
});

test('Kusto management: .show answers, but commands that write the workspace are refused unless the server allows ingest', async () => {
  const mgmt = (csl: string) => raw('POST', '/v1/rest/mgmt', { 'content-type': 'application/json' }, JSON.stringify({ db: 'kqlite', csl }));
  assert.equal((await mgmt('.show tables')).status, 200);
  for (const csl of ['.create-merge table Planted (a:string)', '.create table Planted (a:string)', '.ingest inline into table DeviceInfo <| x,y,z']) {
    const r = await mgmt(csl);
    assert.equal(r.status, 403, `${csl}: ${r.body.slice(0, 200)}`);
    assert.match(r.body, /--allow-ingest/);
  }
  const tables = await mgmt('.show tables');
  assert.doesNotMatch(tables.body, /Planted/);
  // the operator's opt-in: kqlite serve --allow-ingest (what kqlite export into a server needs)
  const open = await buildServer({ workspaceDir: ws, webRoot: web, engineWorkers: 1, allowIngest: true });
  try {
    const made = await open.inject({ method: 'POST', url: '/v1/rest/mgmt', payload: { db: 'kqlite', csl: '.create-merge table Planted (a:string)' } });
    assert.equal(made.statusCode, 200, made.body);
  } finally {
    await open.close();
  }
});

test('error bodies name files relative to the workspace, never by absolute path (API and Kusto endpoint)', async () => {
  writeFileSync(join(ws, 'config.json'), '{ not json');
  try {
    const api = await raw('POST', '/api/query', { 'content-type': 'application/json' }, JSON.stringify({ query: 'print 1' }));
    assert.equal(api.status, 400, api.body);
    assert.match(api.body, /<workspace>\/config\.json is not JSON/);
    const kusto = await raw('POST', '/v2/rest/query', { 'content-type': 'application/json' }, JSON.stringify({ db: 'kqlite', csl: 'print 1' }));
    assert.match(kusto.body, /<workspace>\/config\.json is not JSON/);
    for (const r of [api, kusto]) {
      assert.ok(!r.body.includes(root), r.body.slice(0, 300));
      assert.doesNotMatch(r.body, /\n\s+at |node:internal/);
    }
  } finally {
    rmSync(join(ws, 'config.json'));
  }
});

test('kqlite serve --allow-ingest is the switch for Kusto writes (off by default)', async () => {
  for (const [flag, status] of [[[], 403], [['--allow-ingest'], 200]] as const) {
    const s = await serveCli(['serve', '--workspace', ws, '--port', '0', ...flag]);
    try {
      const r = await fetch(`${s.url}/v1/rest/mgmt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ db: 'kqlite', csl: '.create-merge table FromCli (a:string)' }) });
      assert.equal(r.status, status, await r.text());
    } finally {
      await s.stop();
    }
  }
});

// the time limit is a liveness bound: without the fixes the next query waits for a download that never ends
test('a flood of queries is refused (503) past the queue, and a query whose client went away stops', { timeout: 90_000 }, async () => {
  // a query that holds its engine thread until stopped: externaldata from a server that never answers in time
  const slow = await serveFiles({ '/slow.txt': { body: 'late', delayMs: 600_000 } });
  const dir = join(root, 'flood');
  createDemoWorkspace(dir, { devices: 2, days: 1 });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true, allowPrivateNetwork: true, timeoutMs: 300_000 } }));
  const busy = await buildServer({ workspaceDir: dir, webRoot: web, engineWorkers: 1, engineQueueMax: 2 });
  const base = await busy.listen({ port: 0, host: '127.0.0.1' });
  const post = (body: object, signal?: AbortSignal) => fetch(`${base}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  const blocking = { query: `externaldata(a:string)["${slow.url}/slow.txt"] with (format="txt") | count`, timeoutMs: 300_000 };
  const untilHit = async (n: number) => {
    for (let i = 0; i < 400 && (slow.hits.get('/slow.txt') ?? 0) < n; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(slow.hits.get('/slow.txt'), n, 'the blocking query reached its download');
  };
  try {
    // the client that goes away: its running query is stopped, so the next one gets the thread
    const gone = new AbortController();
    const first = post(blocking, gone.signal).catch((e: Error) => e);
    await untilHit(1);
    gone.abort();
    assert.ok((await first) instanceof Error);
    const next = await post({ query: 'print 1' });
    assert.equal(next.status, 200, await next.text());
    // one running, two waiting: a fourth is refused at once, and the server answers everything else
    const running = post({ ...blocking, clientId: 'hold' });
    await untilHit(2);
    // nothing can finish before 'hold' is cancelled except a refusal: the first answer must be the 503
    const flood = [post({ query: 'print 2', clientId: 'w1' }), post({ query: 'print 3', clientId: 'w2' }), post({ query: 'print 4', clientId: 'w3' })].map((p) => p.then((r) => r.status));
    assert.equal(await Promise.race(flood), 503);
    assert.equal((await fetch(`${base}/api/status`)).status, 200);
    await fetch(`${base}/api/query/hold/cancel`, { method: 'POST' });
    assert.deepEqual((await Promise.all(flood)).sort(), [200, 200, 503]);
    assert.equal((await running).status, 409);
  } finally {
    await busy.close();
    await slow.close();
  }
});

test('keys named __proto__, constructor or toString in dynamic values are kept as keys, never as the prototype (workbench)', async () => {
  const run = async (query: string) => {
    const r = await raw('POST', '/api/query', { 'content-type': 'application/json' }, JSON.stringify({ query }));
    assert.equal(r.status, 200, r.body.slice(0, 300));
    return (JSON.parse(r.body) as { tables: { rows: unknown[][] }[] }).tables[0]!.rows[0]!;
  };
  // telemetry-derived keys: a make_bag over them must not drop the ones Object.prototype also has
  assert.deepEqual(await run('datatable(k:string)["constructor", "toString", "__proto__", "a"] | summarize b = make_bag(bag_pack(k, 1)) | project k = array_sort_asc(bag_keys(b))'), [['__proto__', 'a', 'constructor', 'toString']]);
  assert.deepEqual(await run('print b = dynamic({"__proto__": {"isAdmin": true}}) | project k = bag_keys(b), inherited = b.isAdmin, own = b["__proto__"].isAdmin'), [['__proto__'], null, true]);
  assert.deepEqual(await run('print b = bag_pack("__proto__", dynamic({"isAdmin": true}), "x", 1) | project k = array_sort_asc(bag_keys(b)), inherited = b.isAdmin'), [['__proto__', 'x'], null]);
  assert.deepEqual(await run('print m = bag_merge(dynamic({"a": 1}), parse_json(\'{"__proto__": {"x": 1}, "constructor": 2}\')) | project k = array_sort_asc(bag_keys(m))'), [['__proto__', 'a', 'constructor']]);
  assert.deepEqual(await run('print s = bag_set_key(dynamic({}), "__proto__", 1) | project k = bag_keys(s)'), [['__proto__']]);
  assert.deepEqual(await run('print u = parse_urlquery("a=1&__proto__=x&constructor=y") | project k = array_sort_asc(bag_keys(u["Query Parameters"]))'), [['__proto__', 'a', 'constructor']]);
  assert.deepEqual(await run('print e = extract_json("$.constructor", \'{"a": 1}\', typeof(string)), f = extract_json("$.__proto__", \'{"a": 1}\')'), ['', '']);
  // and nothing reached Object.prototype on the engine's thread
  assert.deepEqual(await run('print p = dynamic({}).isAdmin, q = dynamic({}).x'), [null, null]);
});

test('Kusto endpoint: a client request id with CR/LF and properties nested 20,000 deep are bad requests (400), not internal errors', async () => {
  const kusto = (body: object | string) => raw('POST', '/v2/rest/query', { 'content-type': 'application/json' }, typeof body === 'string' ? body : JSON.stringify(body));
  const injected = await kusto({ db: 'kqlite', csl: 'print 1', properties: { ClientRequestId: 'abc\r\nSet-Cookie: pwned=1' } });
  assert.equal(injected.status, 400, injected.body.slice(0, 300));
  assert.equal(injected.headers['set-cookie'], undefined);
  assert.match(injected.body, /client request id .* printable ASCII/);
  const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
  for (const properties of [`{"Parameters":{"p":${deep}}}`, JSON.stringify(`{"Parameters":{"p":${deep}}}`)]) {
    const r = await kusto(`{"db":"kqlite","csl":"declare query_parameters(p:dynamic); print p","properties":${properties}}`);
    assert.equal(r.status, 400, r.body.slice(0, 300));
    assert.match(r.body, /nests more than 1000 levels/);
  }
  const fine = await kusto({ db: 'kqlite', csl: 'print 1', properties: { ClientRequestId: 'KD2RunQuery;5f7c2a1e-0000-4000-8000-000000000001' } });
  assert.equal(fine.status, 200);
  assert.equal(fine.headers['x-ms-client-request-id'], 'KD2RunQuery;5f7c2a1e-0000-4000-8000-000000000001');
});

test('another site\'s page cannot make the API work for it: cross-site reads (img, fetch, script) are refused; links, the app and SDKs are not', async () => {
  const query = `/v1/rest/query?db=kqlite&csl=${encodeURIComponent('range x from 1 to 1000 step 1 | count')}`;
  for (const [site, mode] of [['cross-site', 'no-cors'], ['cross-site', 'cors'], ['same-site', 'no-cors'], ['cross-site', 'websocket']] as const) {
    for (const path of [query, '/api/findings', '/api/status', '/v2/rest/query?db=kqlite&csl=print%201']) {
      const r = await raw('GET', path, { 'sec-fetch-site': site, 'sec-fetch-mode': mode, origin: 'http://evil.example' });
      assert.equal(r.status, 403, `${site}/${mode} ${path}: ${r.body.slice(0, 200)}`);
    }
  }
  // following a link from elsewhere, the app's own requests and clients that send no Sec-Fetch-* still work
  assert.equal((await raw('GET', '/api/status', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status, 200);
  assert.equal((await raw('GET', '/api/status', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' })).status, 200);
  assert.equal((await raw('GET', query)).status, 200);
  assert.equal((await raw('GET', '/feed.atom', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' })).status, 200);
});

test('XSS through telemetry and rule text: the hunt report (kqlite hunt --html) and the API carry it as text; the report may run no script', async () => {
  const dir = join(root, 'xss');
  createDemoWorkspace(dir, { devices: 2, days: 1 });
  const rules = join(root, 'xss-rules');
  mkdirSync(rules);
  // a rule whose name and finding fields (device, user, evidence) are markup an attacker chose
  writeFileSync(join(rules, 'xss.yaml'), [
    'id: 7a1b2c3d-0000-4000-8000-00000000a55a', 'name: "<img src=x onerror=alert(1)> rule"', 'severity: High', 'tactics: [CommandAndControl]', 'relevantTechniques: [T1219]',
    'query: |', `  print Timestamp = datetime(2026-11-16), DeviceName = "<script>alert(1)</script>", AccountName = '"><svg onload=alert(2)>'`, '',
  ].join('\n'));
  assert.equal((await runCli(['rules', 'import', rules, '--workspace', dir])).code, 0);
  const report = join(root, 'report.html');
  const hunt = await runCli(['hunt', '--workspace', dir, '--rules', '7a1b2c3d-0000-4000-8000-00000000a55a', '--html', report]);
  assert.equal(hunt.code, 2, hunt.stderr);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt; rule/);
  assert.match(html, /&quot;&gt;&lt;svg onload=alert\(2\)&gt;/);
  assert.doesNotMatch(html, /<script|<img|<svg/i);
  // the same finding through the API: JSON, sandboxed, never HTML
  const s = await serveCli(['serve', '--workspace', dir, '--port', '0']);
  try {
    const r = await fetch(`${s.url}/api/findings`);
    assert.match(String(r.headers.get('content-type')), /^application\/json/);
    assert.match(String(r.headers.get('content-security-policy')), /sandbox/);
    assert.match(await r.text(), /<script>alert\(1\)<\/script>/);
  } finally {
    await s.stop();
  }
});
