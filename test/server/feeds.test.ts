// Synced content through the HTTP API: upstream links and origins on rule pages, feed paging, what each
// sync changed (/api/changes), and the feed as Atom 1.0 and JSON Feed 1.1 documents validated by their
// specifications, with the feed's filters and the token rule.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { runCli } from '../helpers/cli.js';
import { buildServer } from '../../src/server/app.js';
import type { ApiError, ChangesResponse, RuleDetail, RulesResponse } from '../../src/server/api.js';
import { commitFiles, initRepo } from '../helpers/git-repo.js';
import { validateAtom, validateJsonFeed } from '../helpers/feed-validate.js';
import { ANALYTIC, HUNTING, MARKDOWN } from '../cli/fixtures/sources-rules.js';

let root: string;
let ws: string;
let repo: string;
let app: FastifyInstance;
let c1: string;
let c2: string;
const BEACON = '11111111-2222-3333-4444-555555555555';

// in a child process: muting this process's stdout would also mute the test reporter
async function cli(args: string[]): Promise<number> {
  const r = await runCli([...args, '--workspace', ws]);
  if (r.code !== 0) process.stderr.write(r.stdout + r.stderr);
  return r.code;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-feeds-'));
  ws = join(root, 'ws');
  repo = join(root, 'Detections-repo');
  initRepo(repo);
  c1 = commitFiles(repo, { 'LICENSE': 'MIT License\n', 'rules/beaconing.yaml': ANALYTIC(5), 'rules/encoded.yaml': HUNTING, 'md/lsass.md': MARKDOWN });
  assert.equal(await cli(['sources', 'add', repo, '--name', 'community', '--web-url', 'https://git.example.com/community/-/blob/{commit}/{path}']), 0);
  c2 = commitFiles(repo, { 'rules/beaconing.yaml': ANALYTIC(10) });
  assert.equal(await cli(['sources', 'sync']), 0);
  app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'no-web') });
});
after(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = async <T>(url: string, status = 200) => {
  const r = await app.inject({ method: 'GET', url });
  assert.equal(r.statusCode, status, `${url}: ${r.body.slice(0, 300)}`);
  return { body: r.body, json: () => r.json() as T, type: String(r.headers['content-type']) };
};

test('a synced rule page: the upstream file at the synced commit, every origin with its licence and author, its references', async () => {
  const d = (await get<RuleDetail>(`/api/rules/${BEACON}`)).json();
  assert.equal(d.provenance.kind, 'git');
  assert.equal(d.provenance.webUrl, `https://git.example.com/community/-/blob/${c2}/rules/beaconing.yaml`);
  assert.equal(d.provenance.commit, c2);
  assert.equal(d.version, 2);
  assert.deepEqual(d.origins.map((o) => [o.name, o.path, o.author, o.license]), [['community', 'rules/beaconing.yaml', 'Jane Analyst', 'LICENSE (MIT License)']]);
  assert.ok(d.enrichment.references.value.some((r) => r.url === 'https://attack.mitre.org/techniques/T1219/'));
  assert.ok(d.enrichment.references.value.every((r) => /^https?:\/\//.test(r.url)), 'http/https links only');
});

test('the built-in seed rules link to their upstream files as the seed pages do', async () => {
  const d = (await get<RuleDetail>('/api/rules/7da76b41-8c1d-4602-91c6-5d99738d38f4')).json();
  assert.equal(d.name, 'Remote Management and Montioring tool - Action1 - Network Connection');
  assert.equal(decodeURI(d.provenance.webUrl!), 'https://github.com/Azure/Azure-Sentinel/blob/main/Hunting Queries/Microsoft 365 Defender/RemoteManagementMonitoring/rmm_Action1_netconn.yaml');
  assert.equal(d.provenance.retrieved, '2026-05-25T23:00:00Z');
  assert.equal(d.source, 'Azure-Sentinel');
  assert.match(d.origins[0]!.license!, /MIT/);
});

test('feed paging: limit and offset page the cards, total and facets count every match; bad numbers are 400', async () => {
  const all = (await get<RulesResponse>('/api/rules?source=community')).json();
  assert.equal(all.total, 4);
  const page = (await get<RulesResponse>('/api/rules?source=community&limit=2&offset=1')).json();
  assert.equal(page.total, 4);
  assert.deepEqual(page.rules.map((r) => r.id), all.rules.slice(1, 3).map((r) => r.id));
  assert.deepEqual(page.facets, all.facets);
  const bad = (await get<ApiError>('/api/rules?limit=lots', 400)).json();
  assert.match(bad.error.message, /'limit' must be a whole number/);
});

test('/api/changes: per sync, the rules added and updated with the diff of query and metadata; since filters; a bad date is 400', async () => {
  const c = (await get<ChangesResponse>('/api/changes')).json();
  assert.equal(c.changes.length, 2);
  const [second, first] = c.changes;
  assert.equal(first!.added.length, 4);
  assert.equal(second!.toCommit, c2);
  assert.equal(second!.fromCommit, c1);
  const u = second!.updated[0]!;
  assert.equal(u.id, BEACON);
  assert.deepEqual(u.diff.query.filter((l) => l.op !== ' '), [{ op: '-', text: '| where Count > 5' }, { op: '+', text: '| where Count > 10' }]);
  const later = (await get<ChangesResponse>('/api/changes?since=2999-01-01')).json();
  assert.deepEqual(later.changes, []);
  assert.match((await get<ApiError>('/api/changes?since=soon', 400)).json().error.message, /'since' is not a date/);
});

test('/feed.atom is valid Atom 1.0 and /feed.json valid JSON Feed 1.1, filtered like the feed, linking rule pages and upstream files', async () => {
  const atom = await get('/feed.atom?source=community');
  assert.match(atom.type, /^application\/atom\+xml/);
  const entries = validateAtom(atom.body);
  assert.equal(entries.length, 4);
  const beacon = entries.find((e) => e.title === 'Remote tool beaconing to rare domains')!;
  assert.equal(beacon.link, `http://localhost:80/rules/${BEACON}`, 'the rule page at the address the feed was asked for');
  assert.match(beacon.content, /where Count > 10/);
  assert.match(beacon.content, new RegExp(`Original source: https://git\\.example\\.com/community/-/blob/${c2}/rules/beaconing\\.yaml`));
  const json = await get('/feed.json?source=community&q=lsass');
  assert.match(json.type, /^application\/feed\+json/);
  const items = validateJsonFeed(json.body);
  assert.deepEqual(items.map((i) => i.title).sort(), ['Suspicious LSASS access (Defender XDR)', 'Suspicious LSASS access (Sentinel)']);
  assert.ok(items.every((i) => i.external_url?.startsWith('https://git.example.com/')));
  // the whole default feed too (built-in pack with its many rules), capped by limit
  assert.equal(validateAtom((await get('/feed.atom?limit=300')).body).length, 300);
  assert.equal(validateJsonFeed((await get('/feed.json')).body).length, 200);
  assert.match((await get<ApiError>('/feed.json?limit=0', 400)).json().error.message, /'limit' must be a whole number from 1/);
});

test('with a token, the feed documents need it too: in the Authorization header or as ?token=', async () => {
  const secured = await buildServer({ workspaceDir: ws, webRoot: join(root, 'no-web'), host: '0.0.0.0', token: 'feed-secret' });
  try {
    assert.equal((await secured.inject({ method: 'GET', url: '/feed.atom' })).statusCode, 401);
    assert.equal((await secured.inject({ method: 'GET', url: '/feed.atom?token=wrong' })).statusCode, 401);
    const ok = await secured.inject({ method: 'GET', url: '/feed.atom?token=feed-secret&source=community' });
    assert.equal(ok.statusCode, 200);
    assert.doesNotMatch(ok.body, /feed-secret/, 'the token is not echoed into the document');
    assert.equal((await secured.inject({ method: 'GET', url: '/feed.json', headers: { authorization: 'Bearer feed-secret' } })).statusCode, 200);
  } finally {
    await secured.close();
  }
});

test('a rule removed upstream leaves the feed but its page answers, saying when it went', async () => {
  commitFiles(repo, { 'rules/encoded.yaml': undefined }, 'remove one');
  assert.equal(await cli(['sources', 'sync']), 0);
  const list = (await get<RulesResponse>('/api/rules?source=community')).json();
  assert.equal(list.total, 3);
  const d = (await get<RuleDetail>('/api/rules/66666666-7777-8888-9999-000000000000')).json();
  assert.match(d.provenance.removedAt!, /^\d{4}-\d\d-\d\dT/);
  assert.equal(d.name, 'Encoded PowerShell');
  const c = (await get<ChangesResponse>('/api/changes')).json();
  assert.deepEqual(c.changes[0]!.removed.map((r) => r.id), ['66666666-7777-8888-9999-000000000000']);
  assert.equal((await get<ApiError>('/api/rules/no-such-rule', 404)).json().error.status, 404);
});
