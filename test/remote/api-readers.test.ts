// The Log Analytics and Defender readers: documented answer shapes read into the same typed tables; and the
// engines against fake services on loopback that run what they receive with kqlite's own engine, as the real
// ones would: now() written into the query, the sign-in token sent, the row cap met by windowed re-queries
// (or refused with a reason when windows would change the answer).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseExactJson } from '../../src/remote/exact-json.js';
import { readHuntingAnswer, readLogAnalyticsAnswer } from '../../src/remote/index.js';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { MemorySource, runQuery } from '../../src/engine/index.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import { jsonText } from '../../src/engine/values/json.js';
import { runCli } from '../helpers/cli.js';

const fixture = (name: string) => parseExactJson(readFileSync(join('test/remote/fixtures', name), 'utf8'));

test('Log Analytics, Graph runHuntingQuery and the advanced hunting API answers read into the same typed table', () => {
  const la = readLogAnalyticsAnswer(fixture('log-analytics-answer.json'), 500_000);
  const graph = readHuntingAnswer(fixture('defender-graph-answer.json'), 100_000);
  const api = readHuntingAnswer(fixture('defender-api-answer.json'), 100_000);
  const shape = (t: typeof la) => jsonText(toJsonResult(t.tables[0]!.table));
  assert.equal(shape(graph), shape(la));
  assert.equal(shape(api), shape(la));
  const t = toJsonResult(la.tables[0]!.table);
  assert.deepEqual(t.columns.map((c) => c.type), ['datetime', 'string', 'int', 'long', 'real', 'bool', 'timespan', 'guid', 'dynamic']);
  assert.equal(t.rows[0]![0], '2024-03-26T09:39:50.7688641Z');
  assert.equal(t.rows[0]![7], '1d1a3f60-d4c6-4e17-b9ea-3b1c0ea8fb41');
  assert.deepEqual(t.rows[0]![8], { Parent: 'explorer.exe', Ids: [1, 2] });
  assert.deepEqual(t.rows[1], [null, '', null, null, null, null, null, null, null]);
  assert.equal(la.capped || graph.capped || api.capped, false);
});

// A fake Log Analytics / Graph service: runs each received query with kqlite's engine over a small Events
// table, cuts answers at CAP rows with the partial error the real API sends, and records what it was sent.
const CAP = 5;
const DAY = 86_400_000;
const END = Date.UTC(2024, 0, 11);
const EVENTS = tableFromRows([{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Timestamp', type: 'datetime' }, { name: 'Level', type: 'string' }, { name: 'N', type: 'long' }],
  Array.from({ length: 20 }, (_, i) => {
    const t = BigInt(END - (i + 1) * DAY / 2) * 10_000n;
    return { TimeGenerated: t, Timestamp: t, Level: i % 4 === 0 ? 'info' : 'warn', N: i };
  }));
const source = new MemorySource(new Map([['Events', { schema: { name: 'Events', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Timestamp', type: 'datetime' }, { name: 'Level', type: 'string' }, { name: 'N', type: 'long' }] }, extents: [EVENTS] }]]));
const seen: { path: string; auth?: string; body: Record<string, string> }[] = [];
let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, string>;
      seen.push({ path: req.url!, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
      const graph = req.url!.endsWith('/security/runHuntingQuery');
      const r = runQuery(graph ? body['Query']! : body['query']!, { source, now: BigInt(Date.UTC(2030, 0, 1)) * 10_000n });
      if (!r.ok) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'BadArgumentError', message: 'The request had some invalid properties', innererror: { code: 'SemanticError', message: r.diagnostics[0]!.message } } }));
        return;
      }
      const t = toJsonResult(r.tables[0]!.table);
      const capped = t.rows.length > CAP;
      const rows = t.rows.slice(0, CAP);
      if (graph) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ schema: t.columns.map((c) => ({ name: c.name, type: c.type })), results: rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]]))) }));
        return;
      }
      const answer: Record<string, unknown> = { tables: [{ name: 'PrimaryResult', columns: t.columns, rows }] };
      if (capped) answer['error'] = { code: 'PartialError', message: 'There were some errors when processing your query.', details: [{ code: 'EngineError', message: `Query result set has exceeded the internal record count limit ${CAP} (E_QUERY_RESULT_SET_TOO_LARGE)` }] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

const WS = '00000000-1111-2222-3333-444444444444';
const la = (query: string, ...more: string[]) => runCli(['query', query, '--log-analytics', WS, '--endpoint', base, '--auth', 'token', '--token-env', 'LA_TOKEN', '--format', 'json', '--as-of', '2024-01-11T00:00:00Z', ...more], { env: { LA_TOKEN: 'la-secret' } });

test('Log Analytics: now() is written into the query, the token is sent, the time range is the window', async () => {
  seen.length = 0;
  const r = await la('Events | where TimeGenerated > ago(2d) | project N');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { rows: number[][] };
  // the fake's own now() is 2030: only the bound reference time gives the last two days of 2024-01
  assert.deepEqual(out.rows.map((x) => x[0]), [0, 1, 2]);
  assert.equal(seen[0]!.path, `/v1/workspaces/${WS}/query`);
  assert.equal(seen[0]!.auth, 'Bearer la-secret');
  assert.match(seen[0]!.body['query']!, /TimeGenerated > \(datetime\(2024-01-11T00:00:00\.0000000Z\) - \(2d\)\)/);
  assert.match(seen[0]!.body['timespan']!, /^2023-12-12T00:00:00\.0000000Z\/2024-01-11T00:00:00\.0000001Z$/);
});

test('Log Analytics: an answer cut at the row cap is asked again over halves of the window, rows whole and once', async () => {
  seen.length = 0;
  const r = await la('Events | where Level == "warn" | project N, Level');
  assert.equal(r.code, 0, r.stderr);
  const ns = (JSON.parse(r.stdout) as { rows: [number, string][] }).rows.map((x) => x[0]).sort((a, b) => a - b);
  assert.deepEqual(ns, Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 4 !== 0));
  assert.ok(seen.length > 2, `re-asked over windows (${seen.length} requests)`);
  assert.match(r.stderr, /cap of 500000 rows was reached; the answer was assembled from \d+ time windows/);
});

test('Log Analytics: a capped aggregate is refused with the reason, never returned cut', async () => {
  const r = await la('Events | summarize count() by N');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cap of 500,000 rows.*'summarize' combines rows/);
});

test('Defender: Graph runHuntingQuery with now() bound, results read by column name; errors name the service', async () => {
  seen.length = 0;
  const r = await runCli(['query', 'Events | where Timestamp between (ago(1d) .. now()) | project N, Level', '--defender', '--endpoint', base, '--auth', 'none', '--format', 'json', '--as-of', '2024-01-11T00:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { rows: unknown[][] }).rows, [[0, 'info'], [1, 'warn']]);
  assert.equal(seen[0]!.path, '/security/runHuntingQuery');
  assert.equal(seen[0]!.auth, undefined);
  assert.match(seen[0]!.body['Timespan']!, /\/2024-01-11T00:00:00\.0000001Z$/);
  const bad = await runCli(['query', 'Events | where Nope == 1', '--defender', '--endpoint', base, '--auth', 'none']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^kqlite query: defender advanced hunting: HTTP 400: BadArgumentError \(SemanticError\): .*Nope/);
});
