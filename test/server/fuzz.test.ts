// Fuzz and soak of the server over a real loopback socket: a seeded stream of random and malformed
// requests (paths, methods, query strings, bodies, content types) and KQL (valid, mutated, token soup,
// pathological, heavy) against every route, a few at a time. The server must never die, never answer 500,
// never put a stack trace in a body, and keep answering /api/status throughout. Bounded: a fixed number of
// requests, small engine heaps and time limits. KQLITE_FUZZ_SEED / KQLITE_FUZZ_REQUESTS reproduce or extend a run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';

const SEED = Number(process.env['KQLITE_FUZZ_SEED'] ?? 20261207);
const REQUESTS = Number(process.env['KQLITE_FUZZ_REQUESTS'] ?? 360);
const PARALLEL = 4;

let root: string;
let app: FastifyInstance;
let base: string;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-fuzz-'));
  createDemoWorkspace(join(root, 'ws'), { devices: 5, days: 1 });
  app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'no-web'), engineWorkers: 2, engineHeapMb: 128 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

/** mulberry32: small, seeded, good enough to pick from lists. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const chance = (p: number) => random() < p;

const VALID_QUERIES = [
  'print 1', 'DeviceNetworkEvents | take 5', 'DeviceProcessEvents | summarize count() by DeviceName',
  'DeviceNetworkEvents | where RemoteUrl has "anydesk" | project Timestamp, DeviceName, RemoteUrl',
  'DeviceInfo | join kind=inner (DeviceNetworkEvents | summarize n = count() by DeviceId) on DeviceId | take 3',
  'range x from 1 to 1000 step 1 | summarize make_list(x), dcount(x % 7)', 'print d = dynamic({"a": [1, 2, {"b": null}]}) | mv-expand d.a',
  'DeviceProcessEvents | where Timestamp > ago(1d) | extend h = hash_sha256(ProcessCommandLine) | top 3 by Timestamp',
  'let t = datatable(a: long, b: string) [1, "x", 2, "y"]; t | extend c = strcat(b, a) | order by a desc',
  'DeviceNetworkEvents | make-series n = count() default = 0 on Timestamp step 1h by DeviceName | take 2',
];
const HEAVY_QUERIES = [
  'range a from 1 to 100000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 100000 step 1 | extend k = 1) on k | count',
  'range x from 1 to 3000000 step 1 | extend s = strcat(strrep("abcdefgh", 10), x) | summarize make_list(s)',
  'print s = strrep("abcdefghij", 100000000)',
  'range x from 1 to 100000 step 1 | extend n = countof(strcat(strrep("ab", 50000), x), "b") | summarize sum(n)',
  'range x from 1 to 100 step 1 | extend s = strrep("abcdefghij", 1000000) | summarize make_list(s)',
  'print x = ' + Array(5000).fill('1').join('+'),
  'range x from 1 to 10 step 1' + ' | where x > 0'.repeat(2000),
  'print d = dynamic(' + '['.repeat(3000) + ']'.repeat(3000) + ')',
  'print x = ' + '('.repeat(3000) + '1' + ')'.repeat(3000),
  'print x = parse_json(strcat(strrep("[", 50000), strrep("]", 50000)))',
  'range x from 1 to 1000000 step 1 | order by tostring(x) asc | take 1',
];
const TOKENS = ['|', 'where', 'project', 'extend', 'summarize', 'by', 'join', 'on', 'kind', '=', '==', '!=', '(', ')', '[', ']', '{', '}', ',', ';', 'let', 'print',
  'range', 'from', 'to', 'step', 'DeviceNetworkEvents', 'DeviceInfo', 'x', 'count()', 'dynamic', 'datetime', 'ago(1d)', '"str"', "'q'", '1', '2.5', '1h', 'and', 'or', 'not',
  'has', 'contains', 'in', '~', '!', '.', 'T', '$left', '$right', '->', '..', '@"x"', '```', '//', '/*', '\\', '\u0000', '\ud800', '💥', 'mv-expand', 'make-series', 'evaluate', 'bag_unpack'];

function mutate(s: string): string {
  const chars = [...s];
  for (let n = int(1, 4); n > 0; n--) {
    const i = int(0, Math.max(0, chars.length - 1));
    const op = int(0, 3);
    if (op === 0) chars.splice(i, 1);
    else if (op === 1) chars.splice(i, 0, pick(TOKENS));
    else if (op === 2) chars[i] = String.fromCharCode(int(0, 0xffff));
    else chars.splice(i, int(0, 20));
  }
  return chars.join('');
}

function kql(): string {
  const r = random();
  if (r < 0.3) return pick(VALID_QUERIES);
  if (r < 0.55) return mutate(pick(VALID_QUERIES));
  if (r < 0.75) return Array.from({ length: int(1, 40) }, () => pick(TOKENS)).join(chance(0.5) ? ' ' : '');
  return pick(HEAVY_QUERIES);
}

function junk(): unknown {
  const r = int(0, 9);
  if (r === 0) return null;
  if (r === 1) return int(-1e9, 1e9);
  if (r === 2) return random() * 1e300;
  if (r === 3) return 'x'.repeat(int(0, 70_000));
  if (r === 4) return [junk(), junk()];
  if (r === 5) return { a: junk() };
  if (r === 6) return chance(0.5);
  if (r === 7) return pick(['', ' ', '2026-11-20', 'not a date', '../../etc/passwd', '<script>', "'; DROP TABLE findings; --", '%00', '\u0000']);
  if (r === 8) return JSON.parse('['.repeat(2000) + ']'.repeat(2000)) as unknown;
  return pick(TOKENS);
}

/** A body for a route: its fields with good, wrong or junk values, sometimes extra fields. */
function bodyFor(path: string): unknown {
  const fields: Record<string, unknown> = {};
  if (path.startsWith('/api/query')) {
    fields['query'] = chance(0.9) ? kql() : junk();
    if (chance(0.5)) fields['timeoutMs'] = chance(0.8) ? int(100, 3000) : junk();
    if (chance(0.3)) fields['maxRows'] = chance(0.8) ? int(1, 1000) : junk();
    if (chance(0.2)) fields['asOf'] = chance(0.5) ? '2026-11-20T00:00:00Z' : junk();
    if (chance(0.2)) fields['clientId'] = chance(0.5) ? `c${int(0, 9)}` : junk();
  } else if (path.startsWith('/api/hunts')) {
    fields['rules'] = chance(0.7) ? [pick(['tool:AnyDesk', 'tool:Action1', 'technique:T1219.001', 'nope', '*', 'tool:'])] : junk();
    if (chance(0.3)) fields['asOf'] = junk();
  } else if (path.startsWith('/api/suppressions')) {
    fields['target'] = chance(0.7) ? pick(['AnyDesk', 'Action1', 'nope']) : junk();
    fields['reason'] = chance(0.7) ? 'fuzz' : junk();
    if (chance(0.4)) fields['device'] = junk();
    if (chance(0.4)) fields['expires'] = chance(0.5) ? pick(['2999-01-01', '2001-01-01']) : junk();
  } else if (path.startsWith('/api/findings')) {
    if (chance(0.6)) fields['status'] = chance(0.5) ? pick(['new', 'benign', 'closed', 'done']) : junk();
    if (chance(0.5)) fields['note'] = junk();
    if (chance(0.3)) fields['assignee'] = junk();
  }
  if (chance(0.15)) fields[pick(['extra', '__proto__', 'constructor', ''])] = junk();
  return chance(0.1) ? junk() : fields;
}

const PATHS = ['/api/status', '/api/rules', '/api/rules/kqlite-rmm-anydesk-netconn', '/api/rules/kqlite-rmm-anydesk-netconn/file', '/api/rules/nope', '/api/findings',
  '/api/findings/abc', '/api/timeline', '/api/hunts', '/api/inventory', '/api/suppressions', '/api/suppressions/1', '/api/schema', '/api/query', '/api/query/c1/cancel',
  '/api/coverage', '/api/coverage/navigator', '/api/data', '/api', '/api/', '/api/nope', '/', '/findings', '/rules/x', '/assets/app.js', '/index.html'];
const PARAMS = ['q', 'tool', 'device', 'status', 'severity', 'since', 'until', 'limit', 'offset', 'table', 'technique', 'suppressed', 'run', 'rule', 'file', 'from', 'to'];

function path(): string {
  let p = pick(PATHS);
  if (chance(0.2)) p += '/' + pick(['..', '%2e%2e', '%00', 'x'.repeat(int(1, 3000)), '💥', '%', '%zz', '.', '', '?', '#']);
  if (chance(0.1)) p = p.replace('/api/', pick(['/API/', '/api//', '/api/./', '/api/%2F']));
  if (chance(0.6)) {
    // lone surrogates cannot be percent-encoded; malformed escapes are added on purpose below
    const value = () => String(chance(0.5) ? pick(['AnyDesk', 'new', '2026-11-19', '10', '-1', 'true', 'x,y,,z']) : junk()).slice(0, 2000).replace(/[\ud800-\udfff]/g, '?');
    const q = Array.from({ length: int(1, 4) }, () => `${pick(PARAMS)}=${encodeURIComponent(value())}`);
    p += '?' + q.join('&') + (chance(0.1) ? '&&=&%zz' : '');
  }
  return p;
}

interface Outcome { status: number; body: string; took: number; what: string }

async function send(): Promise<Outcome> {
  const p = path();
  const method = pick(['GET', 'GET', 'GET', 'POST', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS']);
  // POST goes mostly to the routes that take bodies; hunts are slow, so rarely
  const target = method === 'POST' && chance(0.8) ? pick(['/api/query', '/api/query', '/api/query', '/api/query', '/api/suppressions', chance(0.15) ? '/api/hunts' : '/api/query']) : p;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD' && chance(0.9)) {
    const r = random();
    body = r < 0.75 ? JSON.stringify(bodyFor(target)) : r < 0.9 ? mutate(JSON.stringify(bodyFor(target))) : pick(['', '{', 'null', '[]', '{"query": "print 1"', 'x'.repeat(int(1, 200_000))]);
    headers['content-type'] = chance(0.85) ? 'application/json' : pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data', '']);
  }
  if (chance(0.05)) headers['authorization'] = pick(['Bearer x', 'Basic abc', '']);
  const what = `${method} ${target.slice(0, 120)} ${body?.slice(0, 160) ?? ''}`;
  const t = Date.now();
  const r = await fetch(base + target, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(60_000) });
  return { status: r.status, body: await r.text(), took: Date.now() - t, what };
}

const STACK = /\n\s+at \S+ \(|\.(ts|js):\d+:\d+|node_modules|node:internal/;

test(`the server survives ${REQUESTS} random and malformed requests and queries (seed ${SEED}): no 500, no stack, always answering`, async () => {
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  for (let done = 0; done < REQUESTS; done += PARALLEL) {
    const batch = await Promise.all(Array.from({ length: Math.min(PARALLEL, REQUESTS - done) }, () => send()));
    for (const o of batch) {
      statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
      if (o.status >= 500) problems.push(`${o.status} for ${o.what}: ${o.body.slice(0, 300)}`);
      if (STACK.test(o.body)) problems.push(`a stack in the answer to ${o.what}: ${o.body.slice(0, 300)}`);
      if (o.status >= 400 && o.body && /^\{/.test(o.body)) {
        const e = (JSON.parse(o.body) as { error?: { status?: number; message?: unknown } }).error;
        if (!e || e.status !== o.status || typeof e.message !== 'string' || !e.message) problems.push(`an error without {error: {status, message}} for ${o.what}: ${o.body.slice(0, 200)}`);
      }
    }
    // it keeps answering while the workers are busy with whatever came before
    if (done % (PARALLEL * 6) === 0) {
      const t = Date.now();
      const s = await fetch(`${base}/api/status`, { signal: AbortSignal.timeout(10_000) });
      if (s.status !== 200 || Date.now() - t > 5_000) problems.push(`/api/status answered ${s.status} in ${Date.now() - t} ms after ${done} requests`);
    }
  }
  assert.deepEqual(problems, [], `seed ${SEED}; statuses ${JSON.stringify([...statuses])}`);
  // and after all of it, a plain query gets the plain answer
  const r = await fetch(`${base}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'DeviceInfo | summarize dcount(DeviceName)' }) });
  assert.equal(r.status, 200);
  assert.ok(((await r.json()) as { tables: { rows: number[][] }[] }).tables[0]!.rows[0]![0]! > 0);
  // most requests were refused for what they were, not for the server's sake
  assert.ok((statuses.get(200) ?? 0) > REQUESTS / 10 && [...statuses.keys()].some((s) => s >= 400 && s < 500));
});
