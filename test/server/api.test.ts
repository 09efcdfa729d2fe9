// The JSON API, route by route, through Fastify's request injection (no socket): every endpoint, its bad
// requests, and the shapes the web app relies on. The token rule and the CLI are in serve.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { writeFileSync } from 'node:fs';
import { createDemoWorkspace, ingestPaths, Workspace } from '../../src/ingest/index.js';
import { buildServer } from '../../src/server/app.js';
import type {
  ApiError, CoverageResponse, DataResponse, FindingDetail, FindingsResponse, HuntResponse, HuntsResponse, InventoryResponse, QueryResponse,
  RuleDetail, RulesResponse, SchemaResponse, StatusResponse, Suppression, TimelineResponse,
} from '../../src/server/api.js';

let root: string;
let app: FastifyInstance;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-api-'));
  createDemoWorkspace(join(root, 'ws'), { devices: 16, days: 3 });
  app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'no-web') });
});
after(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, status = 200): Promise<T> {
  const r = await app.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}) });
  assert.equal(r.statusCode, status, `${method} ${url}: ${r.body.slice(0, 500)}`);
  if (r.headers['content-type']?.toString().startsWith('application/json')) return r.json() as T;
  return r.body as T;
}
const fail = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, status: number, body?: unknown) => call<ApiError>(method, url, body, status);

const ACTION1_NET = 'kqlite-rmm-action1-netconn';

test('status: tables with schemas and time ranges, rule counts, no token needed on loopback', async () => {
  const s = await call<StatusResponse>('GET', '/api/status');
  assert.deepEqual(s.tables.map((t) => t.name), ['DeviceFileCertificateInfo', 'DeviceInfo', 'DeviceNetworkEvents', 'DeviceProcessEvents']);
  assert.ok(s.tables.every((t) => t.rows > 0 && t.minTime && t.maxTime && t.columns.some((c) => c.name === 'Timestamp' && c.type === 'datetime')));
  assert.match(s.latestEvent!, /^2026-11-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
  assert.ok(s.rules.total > 500 && s.rules.valid + s.rules.warning + s.rules.error === s.rules.total);
  assert.equal(s.tokenRequired, false);
  assert.equal(s.findings.total, 0);
});

test('rules: search and facet filters, counts per facet among the other filters, technique filter takes sub-techniques', async () => {
  const all = await call<RulesResponse>('GET', '/api/rules');
  assert.equal(all.total, all.rules.length);
  const t1219 = await call<RulesResponse>('GET', '/api/rules?technique=T1219');
  assert.ok(t1219.total > 500 && t1219.rules.every((r) => r.techniques.some((t) => t === 'T1219' || t.startsWith('T1219.'))));
  const action1 = await call<RulesResponse>('GET', '/api/rules?technique=T1219&tool=Action1');
  // the generated pack's three rules and the seed page's upstream Azure-Sentinel rule
  assert.deepEqual(action1.rules.map((r) => r.id).sort(), ['7da76b41-8c1d-4602-91c6-5d99738d38f4', 'kqlite-rmm-action1-createproc', 'kqlite-rmm-action1-filesig', ACTION1_NET]);
  // the tool facet counts ignore the tool filter itself, so other tools stay selectable
  assert.ok(action1.facets.tool.length > 100 && action1.facets.tool.find((f) => f.value === 'Action1')!.count === 4);
  assert.ok(action1.facets.table.every((f) => f.count <= 4));
  const searched = await call<RulesResponse>('GET', '/api/rules?q=anydesk%20network');
  assert.ok(searched.rules.some((r) => r.tool === 'AnyDesk' && r.id.endsWith('netconn')));
  for (const r of searched.rules) {
    if (!/anydesk/i.test(JSON.stringify(r))) assert.match((await call<RuleDetail>('GET', `/api/rules/${encodeURIComponent(r.id)}`)).query, /anydesk/i, `${r.id} matches anydesk`);
  }
  // the query text is searched too (the search box says so): a domain and an operator only the query names
  const inQuery = await call<RulesResponse>('GET', `/api/rules?q=${encodeURIComponent("tacticalrmm.io has_any")}`);
  assert.ok(inQuery.rules.some((r) => r.id === 'd5559c16-6959-4974-8051-c39d52886862'), inQuery.rules.map((r) => r.id).join());
  assert.ok(inQuery.rules.every((r) => !/has_any/i.test(r.name + r.description)));
  const multi = await call<RulesResponse>('GET', '/api/rules?tool=Action1&tool=AnyDesk&table=DeviceNetworkEvents');
  assert.deepEqual(multi.rules.map((r) => r.tool).sort(), ['Action1', 'Action1', 'AnyDesk']);
  const none = await call<RulesResponse>('GET', '/api/rules?severity=nonsense');
  assert.equal(none.total, 0);
});

test('rule page: every section of the feed page, provenance, diagnostics, file link; unknown id is a 404', async () => {
  const r = await call<RuleDetail>('GET', `/api/rules/${ACTION1_NET}`);
  assert.match(r.query, /DeviceNetworkEvents/);
  assert.match(r.yaml, /^id: /m);
  assert.equal(r.status, 'valid');
  assert.deepEqual(r.diagnostics, []);
  const e = r.enrichment;
  assert.match(e.hypothesis.value, /Action1/);
  assert.ok(['high', 'medium', 'low'].includes(e.hypothesis.confidence) && e.hypothesis.source);
  assert.deepEqual(e.attack.value.techniques.map((t) => t.id), ['T1219']);
  assert.deepEqual(e.dataSources.value, [{ table: 'DeviceNetworkEvents', present: true }]);
  assert.ok(e.references.value.length > 0);
  assert.ok(e.falsePositives.value.clauses.length > 0 && e.falsePositives.value.clauses.every((c) => c.kql.startsWith('|')));
  assert.equal(r.provenance.kind, 'builtin');
  assert.match(r.provenance.retrieved!, /^\d{4}-\d\d-\d\d \(RMM catalog\)$/);
  const file = await app.inject({ url: r.fileUrl });
  assert.equal(file.statusCode, 200);
  assert.equal(file.body, r.yaml);
  assert.match(String(file.headers['content-type']), /yaml/);
  assert.match((await fail('GET', '/api/rules/no-such-rule', 404)).error.message, /no rule 'no-such-rule'/);
  assert.equal((await app.inject({ url: '/api/rules/no-such-rule/file' })).statusCode, 404);
});

let hunt: HuntResponse;
test('hunts: run one rule at the latest event, then all; past runs listed newest first; bad requests', async () => {
  const one = await call<HuntResponse>('POST', '/api/hunts', { rules: [ACTION1_NET] });
  assert.equal(one.rules.length, 1);
  assert.equal(one.rules[0]!.outcome, 'ok');
  assert.equal(one.asOfSource, 'latest event');
  assert.ok(one.findings.length > 0 && one.findings.every((f) => f.ruleId === ACTION1_NET && f.tool === 'Action1'));
  // the hunt runs on a worker thread, so the server answers meanwhile and lists the run as unfinished
  // (on the server's own thread a run could only ever be seen finished)
  let settled = false;
  const whole = call<HuntResponse>('POST', '/api/hunts', { asOf: one.run.asOf }).finally(() => { settled = true; });
  let seen: HuntsResponse['runs'][number] | undefined;
  while (!seen && !settled) {
    await new Promise((resolve) => setTimeout(resolve, 2)); // injected requests alone never yield to the worker's messages
    seen = (await call<HuntsResponse>('GET', '/api/hunts')).runs.find((r) => r.id > one.run.id);
  }
  hunt = await whole;
  assert.ok(seen, 'the run was listed before the hunt answered');
  assert.equal(seen.finishedAt, undefined, 'the run was listed while it ran');
  assert.equal(hunt.asOfSource, 'request');
  assert.ok(hunt.run.rulesRun > 500);
  for (const tool of ['AnyDesk', 'Atera', 'TacticalRMM', 'MeshCentral']) assert.ok(hunt.findings.some((f) => f.tool === tool), `${tool} found`);
  const runs = await call<HuntsResponse>('GET', '/api/hunts');
  assert.deepEqual(runs.runs.map((r) => r.id), [hunt.run.id, one.run.id]);
  assert.match((await fail('POST', '/api/hunts', 400, { rules: ['no-such-tool-xyz'] })).error.message, /no rule matches 'no-such-tool-xyz'/);
  assert.match((await fail('POST', '/api/hunts', 400, { asOf: 'yesterday-ish' })).error.message, /'asOf' is not a datetime/);
  assert.match((await fail('POST', '/api/hunts', 400, { rules: [{}] })).error.message, /bad request/);
  assert.match((await fail('POST', '/api/hunts', 400, { nonsense: 1 })).error.message, /bad request/);
});

test('findings: filters and facets, detail with evidence, triage with notes and audit, bad triage', async () => {
  const all = await call<FindingsResponse>('GET', '/api/findings');
  assert.ok(all.total > 0 && all.facets.tool.length > 0);
  const anydesk = await call<FindingsResponse>('GET', '/api/findings?tool=AnyDesk&status=new');
  assert.ok(anydesk.total > 0 && anydesk.findings.every((f) => f.tool === 'AnyDesk' && f.status === 'new'));
  const f = anydesk.findings[0]!;
  const d = await call<FindingDetail>('GET', `/api/findings/${f.id}`);
  assert.ok(d.sample.length > 0 && d.reportIds.length > 0);
  const set = await call<FindingDetail>('PATCH', `/api/findings/${f.id}`, { status: 'benign', assignee: 'alice', note: 'IT ticket 4711' });
  assert.equal(set.status, 'benign');
  assert.equal(set.assignee, 'alice');
  assert.deepEqual(set.notes.map((n) => n.text), ['IT ticket 4711']);
  assert.deepEqual(set.audit.map((a) => a.action), ['status', 'assignee', 'note']);
  const benign = await call<FindingsResponse>('GET', '/api/findings?status=benign');
  assert.deepEqual(benign.findings.map((x) => x.id), [f.id]);
  await fail('PATCH', `/api/findings/${f.id}`, 400, { status: 'fixed' });
  await fail('PATCH', `/api/findings/${f.id}`, 400, {});
  await fail('PATCH', `/api/findings/${f.id}`, 400, { note: '   ' });
  await fail('PATCH', '/api/findings/nope', 404, { status: 'closed' });
  await fail('GET', '/api/findings/nope', 404);
  assert.match((await fail('GET', '/api/findings?status=open', 400)).error.message, /'status' must be among/);
  assert.match((await fail('GET', '/api/findings?since=soon', 400)).error.message, /'since' is not a datetime/);
  const since = await call<FindingsResponse>('GET', `/api/findings?since=${encodeURIComponent(hunt.run.asOf)}`);
  assert.ok(since.findings.every((x) => x.lastSeen >= hunt.run.asOf.slice(0, 19)));
});

test('findings come a page at a time (limit, offset) with the total and the allowed count of every match', async () => {
  const all = await call<FindingsResponse>('GET', '/api/findings');
  assert.ok(all.total >= 5, `enough findings to page (${all.total})`);
  assert.equal(all.findings.length, all.total);
  assert.equal(all.allowed, all.findings.filter((f) => f.suppressed).length);
  const first = await call<FindingsResponse>('GET', '/api/findings?limit=2');
  const second = await call<FindingsResponse>('GET', '/api/findings?limit=2&offset=2');
  assert.deepEqual([...first.findings, ...second.findings].map((f) => f.id), all.findings.slice(0, 4).map((f) => f.id));
  assert.equal(first.total, all.total);
  assert.deepEqual(first.facets, all.facets, 'facets count every match, not the page');
  const past = await call<FindingsResponse>('GET', `/api/findings?offset=${all.total}&limit=10`);
  assert.deepEqual([past.findings.length, past.total], [0, all.total]);
  assert.match((await fail('GET', '/api/findings?limit=-1', 400)).error.message, /'limit' must be a whole number/);
  assert.match((await fail('GET', '/api/findings?offset=x', 400)).error.message, /'offset' must be a whole number/);
});

test('timeline: a finding without event times in its evidence counts once in its hour, not twice (first = last seen)', async () => {
  const hour = (t: string) => t.slice(0, 13);
  const single = hunt.findings.find((f) => f.device && hour(f.firstSeen) === hour(f.lastSeen));
  assert.ok(single, 'a finding seen within one hour');
  const tl = await call<TimelineResponse>('GET', `/api/timeline?device=${encodeURIComponent(single.device!)}`);
  // what the device's findings say, finding by finding: each sample time once, else each distinct hour of first/last seen once
  let expected = 0;
  for (const f of tl.findings) {
    const d = await call<FindingDetail>('GET', `/api/findings/${f.id}`);
    const times = d.sample.filter((r) => typeof (r['Timestamp'] ?? r['TimeGenerated']) === 'string').length;
    expected += times || new Set([hour(f.firstSeen), hour(f.lastSeen)]).size;
  }
  assert.equal(tl.points.reduce((n, p) => n + p.count, 0), expected);
});

test('timeline: hourly points per tool for a device, per device for a tool; exactly one subject', async () => {
  const f = hunt.findings.find((x) => x.tool === 'AnyDesk' && x.device)!;
  const byDevice = await call<TimelineResponse>('GET', `/api/timeline?device=${encodeURIComponent(f.device!)}`);
  assert.ok(byDevice.points.length > 0 && byDevice.points.some((p) => p.series === 'AnyDesk'));
  assert.ok(byDevice.points.every((p) => /^\d{4}-\d\d-\d\dT\d\d:00:00\.0000000Z$/.test(p.time) && p.count > 0));
  const byTool = await call<TimelineResponse>('GET', '/api/timeline?tool=AnyDesk');
  assert.ok(byTool.points.some((p) => p.series === f.device));
  await fail('GET', '/api/timeline', 400);
  await fail('GET', '/api/timeline?tool=a&device=b', 400);
});

test('coverage: the full ATT&CK matrix with T1219 covered and marked with findings; Navigator layer download', async () => {
  const c = await call<CoverageResponse>('GET', '/api/coverage');
  assert.equal(c.tactics.length, 14);
  const c2 = c.tactics.find((t) => t.shortname === 'command-and-control')!;
  const t1219 = c2.techniques.find((t) => t.id === 'T1219')!;
  assert.ok(t1219.validRules > 500 && t1219.findings > 0);
  assert.ok(c.totals.techniques > 150 && c.totals.covered >= 1 && c.totals.withFindings >= 1);
  const nav = await app.inject({ url: '/api/coverage/navigator' });
  assert.equal(nav.statusCode, 200);
  assert.match(String(nav.headers['content-disposition']), /attachment/);
  const layer = nav.json() as { domain: string; techniques: { techniqueID: string }[] };
  assert.equal(layer.domain, 'enterprise-attack');
  assert.ok(layer.techniques.some((t) => t.techniqueID === 'T1219'));
});

test('inventory and suppressions: allow a tool on a device (reason required), it shows sanctioned, revoke', async () => {
  const inv = await call<InventoryResponse>('GET', '/api/inventory');
  const action1 = inv.entries.find((e) => e.tool === 'Action1')!;
  assert.equal(action1.state, 'observed');
  assert.match((await fail('POST', '/api/suppressions', 400, { target: 'Action1', reason: '  ' })).error.message, /'reason' is required/);
  assert.match((await fail('POST', '/api/suppressions', 400, { target: 'Action1' })).error.message, /reason/);
  assert.match((await fail('POST', '/api/suppressions', 400, { target: 'NotARealTool', reason: 'x' })).error.message, /not a tool of the RMM catalog/);
  assert.match((await fail('POST', '/api/suppressions', 400, { target: 'Action1', reason: 'x', expires: 'someday' })).error.message, /'expires' is not a date/);
  const s = await call<Suppression>('POST', '/api/suppressions', { target: 'action1', device: action1.device, reason: 'sanctioned RMM of IT', expires: '2099-01-01' }, 201);
  assert.equal(s.target, 'Action1');
  assert.equal(s.targetKind, 'tool');
  assert.equal(s.active, true);
  const after1 = await call<InventoryResponse>('GET', '/api/inventory');
  assert.equal(after1.entries.find((e) => e.tool === 'Action1' && e.device === action1.device)!.state, 'sanctioned');
  const supp = await call<FindingsResponse>('GET', '/api/findings?suppressed=only');
  assert.ok(supp.total > 0 && supp.findings.every((f) => f.suppressed && f.suppressedBy === s.id));
  const revoked = await call<Suppression>('DELETE', `/api/suppressions/${s.id}`);
  assert.ok(revoked.revokedAt && !revoked.active);
  await fail('DELETE', `/api/suppressions/${s.id}`, 400);
  await fail('DELETE', '/api/suppressions/999', 404);
});

test('one count of findings: the header\'s (status.active) and the rule cards\' both leave suppressed findings out', async () => {
  const s = await call<Suppression>('POST', '/api/suppressions', { target: 'Action1', reason: 'patching tool' }, 201);
  try {
    const status = await call<StatusResponse>('GET', '/api/status');
    const all = await call<FindingsResponse>('GET', '/api/findings');
    const suppressed = all.findings.filter((f) => f.suppressed).length;
    assert.ok(suppressed > 0);
    assert.equal(status.findings.total, all.total);
    assert.equal(status.findings.suppressed, suppressed);
    assert.equal(status.findings.active, all.total - suppressed);
    const cards = await call<RulesResponse>('GET', '/api/rules');
    assert.equal(cards.rules.reduce((n, r) => n + r.findings, 0), status.findings.active);
    assert.equal(cards.rules.find((r) => r.id === ACTION1_NET)!.findings, 0);
  } finally {
    await call<Suppression>('DELETE', `/api/suppressions/${s.id}`);
  }
});

test('the feed sorts by name, findings, severity or last change; anything else is a 400', async () => {
  const by = async (sort: string) => (await call<RulesResponse>('GET', `/api/rules?sort=${sort}&technique=T1219`)).rules;
  const name = await by('name');
  assert.deepEqual(name.map((r) => r.name), [...name.map((r) => r.name)].sort((a, b) => a.localeCompare(b)));
  const findings = await by('findings');
  assert.ok(findings[0]!.findings > 0 && findings.every((r, i) => i === 0 || findings[i - 1]!.findings >= r.findings));
  const rank = { informational: 0, low: 1, medium: 2, high: 3 };
  const severity = await by('severity');
  assert.ok(severity.every((r, i) => i === 0 || rank[severity[i - 1]!.severity] >= rank[r.severity]));
  const updated = await by('updated');
  assert.ok(updated.every((r) => /^\d{4}-\d\d-\d\d/.test(r.updated ?? '')));
  assert.ok(updated.every((r, i) => i === 0 || (updated[i - 1]!.updated ?? '') >= (r.updated ?? '')));
  assert.match((await fail('GET', '/api/rules?sort=random', 400)).error.message, /'sort' must be one of name, findings, severity, updated/);
});

test('a run has its own address: GET /api/hunts/:id with its rules and the findings it touched; findings say what sets them apart', async () => {
  const r = await call<HuntResponse>('GET', `/api/hunts/${hunt.run.id}`);
  assert.equal(r.run.id, hunt.run.id);
  assert.equal(r.rules.length, hunt.rules.length);
  assert.deepEqual(r.findings.map((f) => f.id).sort(), hunt.findings.map((f) => f.id).sort());
  await fail('GET', '/api/hunts/999999', 404);
  await fail('GET', '/api/hunts/abc', 404);
  const net = r.findings.filter((f) => f.ruleId === ACTION1_NET);
  assert.ok(net.length >= 2 && net.every((f) => f.what.length === 1 && f.what[0]!.column === 'RemoteUrl' && f.what[0]!.value.includes('action1')));
  const sameDevice = net.filter((f) => f.device === net[0]!.device);
  assert.equal(new Set(sameDevice.map((f) => f.what[0]!.value)).size, sameDevice.length, 'one rule on one device: told apart by RemoteUrl');
});

test('schema: workspace tables first-class, the other Defender tables known for completion', async () => {
  const s = await call<SchemaResponse>('GET', '/api/schema');
  assert.ok(s.tables.find((t) => t.name === 'DeviceNetworkEvents')!.inWorkspace);
  const reg = s.tables.find((t) => t.name === 'DeviceRegistryEvents');
  assert.ok(reg && !reg.inWorkspace && reg.columns.length > 5);
  // the documented advanced-hunting tables beyond the device ones are listed too, with their types
  const alerts = s.tables.find((t) => t.name === 'AlertInfo');
  assert.ok(alerts && !alerts.inWorkspace);
  assert.deepEqual(alerts.columns.slice(0, 2), [{ name: 'Timestamp', type: 'datetime' }, { name: 'AlertId', type: 'string' }]);
  for (const name of ['CloudAppEvents', 'IdentityInfo', 'EmailEvents', 'MessageEvents', 'DeviceTvmSoftwareInventory', 'ExposureGraphEdges']) assert.ok(s.tables.some((t) => t.name === name), name);
});

test('query: v2-encoded rows, now() bound to the latest event by default or to asOf, truncation, diagnostics with positions', async () => {
  const r = await call<QueryResponse>('POST', '/api/query', { query: 'print n = now(), t = 1d, d = dynamic({"a":[1]}), x = long(null)' });
  assert.deepEqual(r.tables[0]!.columns.map((c) => c.type), ['datetime', 'timespan', 'dynamic', 'long']);
  assert.deepEqual(r.tables[0]!.rows, [[r.asOf, '1.00:00:00', { a: [1] }, null]]);
  const status = await call<StatusResponse>('GET', '/api/status');
  assert.equal(r.asOf, status.latestEvent);
  // longs are exact integer literals in the body, beyond 2^53 too (REST v2)
  const exact = await app.inject({ method: 'POST', url: '/api/query', payload: { query: 'print h = hash("World")' } });
  assert.match(exact.body, /"rows":\[\[1846988464401551951\]\]/);
  assert.match(String(exact.headers['content-type']), /^application\/json/);
  const at = await call<QueryResponse>('POST', '/api/query', { query: 'print now()', asOf: '2024-05-10T12:00:00Z' });
  assert.deepEqual(at.tables[0]!.rows, [['2024-05-10T12:00:00.0000000Z']]);
  const big = await call<QueryResponse>('POST', '/api/query', { query: 'DeviceNetworkEvents | project Timestamp, DeviceName', maxRows: 5 });
  assert.equal(big.tables[0]!.rows.length, 5);
  assert.ok(big.tables[0]!.truncated && big.tables[0]!.totalRows > 5);
  const bad = await fail('POST', '/api/query', 400, { query: 'DeviceNetworkEvents\n| where RemoteUrll has "anydesk"' });
  const d = bad.error.diagnostics![0]!;
  assert.deepEqual([d.code, d.line, d.column, d.start, d.end, d.suggestion], ['KQL2001', 2, 9, 28, 38, d.suggestion]);
  assert.match(d.message, /RemoteUrll/);
  assert.match(d.rendered, /\^{10}/);
  const unsupported = await fail('POST', '/api/query', 400, { query: 'DeviceNetworkEvents | externaldata' });
  assert.ok(unsupported.error.diagnostics!.length > 0);
  await fail('POST', '/api/query', 400, { query: '' });
  await fail('POST', '/api/query', 400, { query: 'print 1', maxRows: 0 });
  await fail('POST', '/api/query', 400, { query: 'print 1', clientId: '../x' });
  await fail('POST', '/api/query', 400, {});
  await fail('POST', '/api/query', 400, { query: 'print 1', asOf: 'noon' });
});

test('query limits: a query over its time limit is stopped (408), a running query can be cancelled (409)', async () => {
  // seconds of CPU with little memory: the engine checks its deadline between operators, the pool kills the thread
  const heavy = 'range i from 1 to 10000000 step 1 | where tostring(i) matches regex "^(1|2)+9$" | count';
  const timed = await fail('POST', '/api/query', 408, { query: heavy, timeoutMs: 300 });
  // the engine's own deadline (checked inside row loops) or, failing that, the thread's hard stop
  assert.match(timed.error.message, /time limit|limit of 300 ms/);
  const running = app.inject({ method: 'POST', url: '/api/query', payload: { query: heavy, clientId: 'c-1' } });
  await new Promise((r) => setTimeout(r, 300));
  const c = await call<{ cancelled: boolean }>('POST', '/api/query/c-1/cancel');
  assert.equal(c.cancelled, true);
  const res = await running;
  assert.equal(res.statusCode, 409);
  assert.match((res.json() as ApiError).error.message, /cancelled/);
  assert.deepEqual(await call('POST', '/api/query/c-unknown/cancel'), { cancelled: false });
  // the pool recovered: queries run again
  const ok = await call<QueryResponse>('POST', '/api/query', { query: 'print 1' });
  assert.deepEqual(ok.tables[0]!.rows, [[1]]);
});

test('unknown API routes and methods are JSON 404s; oversized bodies are refused', async () => {
  assert.match((await fail('GET', '/api/nope', 404)).error.message, /no API route GET \/api\/nope/);
  await fail('DELETE', '/api/rules', 404);
  const r = await app.inject({ method: 'POST', url: '/api/query', payload: { query: 'x'.repeat(2 * 1024 * 1024) } });
  assert.equal(r.statusCode, 413);
  assert.ok((r.json() as ApiError).error.message);
});

test('data: the tables with rows, extents, time range and size; quarantined records by table, limited', async () => {
  const before = await call<DataResponse>('GET', '/api/data');
  assert.deepEqual(before.tables.map((t) => t.name), ['DeviceFileCertificateInfo', 'DeviceInfo', 'DeviceNetworkEvents', 'DeviceProcessEvents']);
  assert.ok(before.tables.every((t) => t.rows > 0 && t.extents > 0 && t.bytesOnDisk > 0 && t.minTime && t.maxTime && t.quarantined === 0));
  assert.deepEqual(before.quarantine, { total: 0, records: [] });
  // an export with bad records, ingested into the served workspace
  const f = join(root, 'DeviceInfo_bad.ndjson');
  writeFileSync(f, ['{"Timestamp":"2026-11-01T00:00:00Z","DeviceName":"ok"}', '{not json', '{"Timestamp":"yesterday","DeviceName":"x"}', '{"Timestamp":"2026-11-01T00:00:01Z","DeviceName":"ok2"}'].join('\n'));
  await ingestPaths(Workspace.open(join(root, 'ws')), [f]);
  const after = await call<DataResponse>('GET', '/api/data');
  assert.equal(after.tables.find((t) => t.name === 'DeviceInfo')!.quarantined, 2);
  assert.equal(after.quarantine.total, 2);
  assert.deepEqual(after.quarantine.records.map((r) => [r.file.split('/').pop(), r.line, r.table]), [['DeviceInfo_bad.ndjson', 2, 'DeviceInfo'], ['DeviceInfo_bad.ndjson', 3, 'DeviceInfo']]);
  assert.match(after.quarantine.records[1]!.reason, /Timestamp/);
  assert.equal(after.quarantine.records[1]!.raw, '{"Timestamp":"yesterday","DeviceName":"x"}');
  const one = await call<DataResponse>('GET', '/api/data?table=deviceinfo&limit=1');
  assert.deepEqual([one.quarantine.total, one.quarantine.records.length], [2, 1]);
  assert.equal((await call<DataResponse>('GET', '/api/data?table=DeviceNetworkEvents')).quarantine.total, 0);
  await fail('GET', '/api/data?limit=0', 400);
  await fail('GET', '/api/data?limit=lots', 400);
});
