// externaldata end to end through the engine with src/ingest's source: formats and properties against a
// local HTTP server, the network permission, the workspace cache (a re-run works with the server gone),
// and the size and time caps, each failure a KQL4xxx naming the URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runQuery, type QueryResult } from '../../src/engine/index.js';
import { externalDataFor, externalDataSource, EXTERNAL_DIR, Workspace } from '../../src/ingest/index.js';
import { serveFiles, type FileServer } from '../helpers/http-files.js';

const CSV = 'Name,Count,When,Extra\nalpha,1,2024-01-01T00:00:00Z,{"k":1}\n"be,ta",2,2024-02-01,\ngamma,x,,"[1,2]"\n';
let srv: FileServer;

before(async () => {
  srv = await serveFiles({
    '/list.csv': { body: CSV },
    '/list.csv.gz': { body: gzipSync(CSV) },
    '/list.tsv': { body: 'a\tb\n1\t2\n' },
    '/ips.txt': { body: '1.2.3.4\r\n\r\n5.6.7.8\n' },
    '/lines.json': { body: '{"a":1,"b":{"c":"x"}}\n{"a":2,"b":{"c":"y"}}\n' },
    '/multi.json': { body: '[{"a":1},\n {"a":2}]\n{\n "a": 3\n}' },
    '/big.txt': { body: 'x'.repeat(5000), chunked: true },
    '/bomb.gz': { body: gzipSync('y'.repeat(200_000)) },
    '/slow.txt': { body: 'late', delayMs: 3000 },
    '/bad.json': { body: '{"a":1}\n{oops\n' },
  });
});
after(() => srv.close());

// the test server is on 127.0.0.1: a private address, which a download reaches only when allowed
const run = (q: string, opts: Parameters<typeof externalDataSource>[0] = { allowNetwork: true, allowPrivateNetwork: true }): QueryResult => runQuery(q, { now: 0n, externalData: externalDataSource(opts) });
const csvOf = (r: QueryResult) => {
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.tables[0]!;
};
const errorOf = (r: QueryResult) => {
  assert.equal(r.ok, false);
  return r.diagnostics.find((d) => d.severity === 'error')!;
};

test('csv with ignoreFirstRecord: quoted fields, typed columns, empty cells null, JSON in dynamic columns', async () => {
  const { toCsv } = await import('../../src/engine/format/encode.js');
  const r = run(`externaldata(Name:string, Count:long, When:datetime, Extra:dynamic)[@"${srv.url}/list.csv"] with (format="csv", ignoreFirstRecord=true)`);
  assert.equal(toCsv(csvOf(r).table), 'Name,Count,When,Extra\nalpha,1,2024-01-01T00:00:00.0000000Z,"{""k"":1}"\n"be,ta",2,2024-02-01T00:00:00.0000000Z,\ngamma,,,"[1,2]"\n');
});

test('the format comes from the URL when not given; .gz is gunzipped; several URLs are concatenated', async () => {
  const { toCsv } = await import('../../src/engine/format/encode.js');
  const r = run(`externaldata(Name:string)[h@"${srv.url}/list.csv.gz?sig=secret", "${srv.url}/list.csv"] with (ignoreFirstRecord=true) | summarize n=count() by Name`);
  assert.equal(toCsv(csvOf(r).table), 'Name,n\nalpha,2\n"be,ta",2\ngamma,2\n');
  const t = run(`externaldata(ip:string)["${srv.url}/ips.txt"]`);
  assert.equal(toCsv(csvOf(t).table), 'ip\n1.2.3.4\n5.6.7.8\n');
  const tsv = run(`externaldata(a:long, b:long)["${srv.url}/list.tsv"] with (ignoreFirstRecord=true)`);
  assert.equal(toCsv(csvOf(tsv).table), 'a,b\n1,2\n');
});

test('json lines by column name or ingestionMapping paths; multijson values spread over lines', async () => {
  const { toCsv } = await import('../../src/engine/format/encode.js');
  const byName = run(`externaldata(a:long, b:dynamic)["${srv.url}/lines.json"] with (format="json")`);
  assert.equal(toCsv(csvOf(byName).table), 'a,b\n1,"{""c"":""x""}"\n2,"{""c"":""y""}"\n');
  const mapped = run(`externaldata(a:long, c:string)["${srv.url}/lines.json"] with (format="json", ingestionMapping='[{"Column":"a","Properties":{"Path":"$.a"}},{"Column":"c","Properties":{"Path":"$.b.c"}}]')`);
  assert.equal(toCsv(csvOf(mapped).table), 'a,c\n1,x\n2,y\n');
  const multi = run(`externaldata(a:long)["${srv.url}/multi.json"] with (format=multijson)`);
  assert.equal(toCsv(csvOf(multi).table), 'a\n1\n2\n3\n');
  const bad = errorOf(run(`externaldata(a:long)["${srv.url}/bad.json"] with (format="json")`));
  assert.equal(bad.code, 'KQL4024');
  assert.match(bad.message, /bad\.json is not json: line 2/);
});

test('without the network: KQL4020 naming the URL (its secret query string left out), nothing fetched', () => {
  const before = srv.hits.get('/list.csv') ?? 0;
  const d = errorOf(run(`externaldata(a:string)[h@"${srv.url}/list.csv?sig=secret"]`, { allowNetwork: false }));
  assert.equal(d.code, 'KQL4020');
  assert.ok(d.message.includes(`${srv.url}/list.csv?...`), d.message);
  assert.ok(!d.message.includes('secret'));
  assert.match(d.message, /--allow-network/);
  assert.equal(srv.hits.get('/list.csv') ?? 0, before);
  // no source at all (a caller that gave none): the same code
  assert.equal(errorOf(runQuery(`externaldata(a:string)["${srv.url}/list.csv"]`)).code, 'KQL4020');
});

test('only http and https: file: and other schemes are refused', () => {
  for (const u of ['file:///etc/passwd', 'ftp://127.0.0.1/x.csv', 'not a url']) {
    const d = errorOf(run(`externaldata(a:string)["${u}"]`));
    assert.equal(d.code, 'KQL4021', u);
  }
});

test('a failed download (404, refused) is KQL4021 naming the URL and the reason', () => {
  const d = errorOf(run(`externaldata(a:string)["${srv.url}/missing.csv"]`));
  assert.equal(d.code, 'KQL4021');
  assert.match(d.message, /missing\.csv: the server answered 404/);
  const refused = errorOf(run('externaldata(a:string)["http://127.0.0.1:9/x.csv"]'));
  assert.equal(refused.code, 'KQL4021');
});

test('size cap: a body (streamed without a length) or its gunzipped text past maxBytes ends with KQL4022', () => {
  const d = errorOf(run(`externaldata(a:string)["${srv.url}/big.txt"]`, { allowNetwork: true, allowPrivateNetwork: true, maxBytes: 1000 }));
  assert.equal(d.code, 'KQL4022');
  assert.match(d.message, /big\.txt: it is larger than the 1000-byte cap/);
  const bomb = errorOf(run(`externaldata(a:string)["${srv.url}/bomb.gz"] with (format=txt)`, { allowNetwork: true, allowPrivateNetwork: true, maxBytes: 50_000 }));
  assert.equal(bomb.code, 'KQL4022');
  assert.match(bomb.message, /larger than 50000 bytes once gunzipped/);
});

test('time cap: a download slower than timeoutMs ends with KQL4023', () => {
  const d = errorOf(run(`externaldata(a:string)["${srv.url}/slow.txt"]`, { allowNetwork: true, allowPrivateNetwork: true, timeoutMs: 300 }));
  assert.equal(d.code, 'KQL4023');
  assert.match(d.message, /slow\.txt: it took longer than the 300 ms cap/);
});

test('the workspace keeps a copy keyed by URL + format: a re-run works with the server stopped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-ext-'));
  Workspace.open(dir, { create: true });
  const own = await serveFiles({ '/feed.csv': { body: 'h\nx\ny\n' } });
  const q = `externaldata(v:string)["${own.url}/feed.csv"] with (ignoreFirstRecord=true) | count`;
  const first = runQuery(q, { externalData: externalDataSource({ workspaceDir: dir, allowNetwork: true, allowPrivateNetwork: true }) });
  assert.ok(first.ok, JSON.stringify(first.diagnostics));
  assert.equal(readdirSync(join(dir, EXTERNAL_DIR)).filter((f) => f.endsWith('.bin')).length, 1);
  await own.close();
  // network off: the copy
  const offline = runQuery(q, { externalData: externalDataFor(dir) });
  assert.ok(offline.ok, JSON.stringify(offline.diagnostics));
  assert.deepEqual(offline.warnings, []);
  // network on but the server gone: the copy, with a warning
  const fallback = runQuery(q, { externalData: externalDataFor(dir, { allowNetwork: true, allowPrivateNetwork: true }) });
  assert.ok(fallback.ok);
  assert.match(fallback.warnings.join('\n'), /could not read .*feed\.csv .*used the copy cached in the workspace/);
  // another format is another key: not cached
  const other = runQuery(`externaldata(v:string)["${own.url}/feed.csv"] with (format=txt)`, { externalData: externalDataFor(dir) });
  assert.equal(errorOf(other).code, 'KQL4020');
});

test("the workspace's config.json allows the network and sets the caps; a bad config is a clear error", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-cfg-'));
  Workspace.open(dir, { create: true });
  const q = `externaldata(a:string)["${srv.url}/big.txt"]`;
  assert.equal(errorOf(runQuery(q, { externalData: externalDataFor(dir) })).code, 'KQL4020');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ externalData: { allowNetwork: true, allowPrivateNetwork: true, maxBytes: 100 } }));
  assert.equal(errorOf(runQuery(q, { externalData: externalDataFor(dir) })).code, 'KQL4022');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ externalData: { allowNetwork: 'yes' } }));
  assert.throws(() => externalDataFor(dir), /config\.json: externalData\.allowNetwork must be true or false/);
});
