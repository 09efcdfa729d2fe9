import assert from 'node:assert/strict';
import { MIGRATIONS } from '../../src/hunts/migrations.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { MemorySource } from '../../src/engine/index.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import {
  addSuppression, auditOf, buildInventory, groupColumnsOf, listFindings, listRuns, openFindingsDb, openMemoryDb, runHunt,
  schemaVersion, selectRules, triageFinding, type HuntRule, type HuntSource,
} from '../../src/hunts/index.js';

const COLUMNS = [
  { name: 'Timestamp', type: 'datetime' as const },
  { name: 'DeviceId', type: 'string' as const },
  { name: 'DeviceName', type: 'string' as const },
  { name: 'RemoteUrl', type: 'string' as const },
  { name: 'InitiatingProcessVersionInfoCompanyName', type: 'string' as const },
  { name: 'InitiatingProcessAccountUpn', type: 'string' as const },
  { name: 'ReportId', type: 'long' as const },
];
const t = (s: string) => parseDatetimeText(s)!;
type Row = [string, string, string, string, string, number];

function source(rows: Row[]): HuntSource {
  const table = tableFromRows(COLUMNS, rows.map(([ts, dev, url, company, upn, rid]) => ({
    Timestamp: t(ts), DeviceId: `id-${dev}`, DeviceName: dev, RemoteUrl: url, InitiatingProcessVersionInfoCompanyName: company, InitiatingProcessAccountUpn: upn, ReportId: rid,
  })));
  const mem = new MemorySource(new Map([['DeviceNetworkEvents', { schema: { name: 'DeviceNetworkEvents', columns: COLUMNS }, extents: [table] }]]));
  let max: bigint | undefined;
  for (const r of rows) if (max === undefined || t(r[0]) > max) max = t(r[0]);
  return Object.assign(mem, { maxTimestamp: () => max });
}

const netRule = (tool: string, domain: string, company: string): HuntRule => ({
  id: `net-${tool.toLowerCase()}`, name: `${tool} - Network Connection`, tool, severity: 'medium', status: 'valid', tables: ['DeviceNetworkEvents'],
  techniques: ['T1219'], tags: ['RMM'],
  query: `DeviceNetworkEvents
| where Timestamp between (ago(5d) .. now())
| where RemoteUrl has '${domain}' and InitiatingProcessVersionInfoCompanyName has '${company}'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Users=make_set(InitiatingProcessAccountUpn), Count=count() by DeviceId, DeviceName, RemoteUrl`,
});
const RULES = [netRule('AnyDesk', 'anydesk.com', 'AnyDesk'), netRule('Action1', 'action1.com', 'Action1')];

const BASE: Row[] = [
  ['2026-03-10T08:00:00Z', 'laptop-07', 'boot.net.anydesk.com', 'AnyDesk Software GmbH', 'j.doe@contoso.com', 1],
  ['2026-03-10T09:00:00Z', 'laptop-07', 'boot.net.anydesk.com', 'AnyDesk Software GmbH', 'j.doe@contoso.com', 2],
  ['2026-03-11T09:00:00Z', 'it-admin-01', 'server.action1.com', 'Action1 Corporation', 'svc-it@contoso.com', 3],
  ['2026-03-11T10:00:00Z', 'it-admin-01', 'relay.anydesk.com', 'AnyDesk Software GmbH', 'svc-it@contoso.com', 4],
  ['2026-03-11T11:00:00Z', 'laptop-09', 'notanydesk.com', 'AnyDesk Software GmbH', 'k.ng@contoso.com', 5],
  ['2026-02-01T11:00:00Z', 'laptop-10', 'boot.net.anydesk.com', 'AnyDesk Software GmbH', 'old@contoso.com', 6],
];

test('group columns come from the last summarize', () => {
  assert.deepEqual(groupColumnsOf(RULES[0]!.query), ['DeviceId', 'DeviceName', 'RemoteUrl']);
  assert.deepEqual(groupColumnsOf('T | summarize count() by bin(Timestamp, 1h), x = DeviceName | where count_ > 1'), ['Timestamp', 'x']);
  assert.equal(groupColumnsOf('T | where x > 1'), undefined);
});

test('a hunt binds now() to the latest event, records findings per group; a rerun over the same data changes nothing, new evidence updates', () => {
  const db = openMemoryDb();
  const src = source(BASE);
  const first = runHunt({ rules: RULES, source: src, db });
  assert.equal(first.asOf, '2026-03-11T11:00:00.0000000Z');
  assert.equal(first.asOfSource, 'latest-event');
  assert.equal(first.rulesRun, 2);
  assert.equal(first.findingsNew, 3); // laptop-07 anydesk, it-admin-01 anydesk, it-admin-01 action1; decoy and old row excluded
  const all = listFindings(db);
  assert.equal(all.length, 3);
  const l7 = all.find((f) => f.device === 'laptop-07')!;
  assert.equal(l7.count, 2);
  assert.deepEqual(l7.reportIds.sort(), ['1', '2']);
  assert.equal(l7.firstSeen, '2026-03-10T08:00:00.0000000Z');
  assert.equal(l7.lastSeen, '2026-03-10T09:00:00.0000000Z');
  assert.equal(l7.user, 'j.doe@contoso.com');
  assert.equal(l7.status, 'new');
  assert.ok(!all.some((f) => f.device === 'laptop-09' || f.device === 'laptop-10'));

  const again = runHunt({ rules: RULES, source: src, db });
  assert.deepEqual([again.findingsNew, again.findingsUpdated, again.findingsUnchanged], [0, 0, 3]);
  assert.deepEqual(Object.values(again.byTool).map((t) => t.unchanged), [2, 1]);
  assert.equal(listFindings(db).length, 3);
  assert.equal(listFindings(db).find((f) => f.device === 'laptop-07')!.count, 2);

  // more telemetry extends last seen and merges evidence
  const more = source([...BASE, ['2026-03-12T07:30:00Z', 'laptop-07', 'boot.net.anydesk.com', 'AnyDesk Software GmbH', 'j.doe@contoso.com', 7]]);
  const third = runHunt({ rules: RULES, source: more, db });
  assert.deepEqual([third.findingsNew, third.findingsUpdated, third.findingsUnchanged], [0, 1, 2]);
  // every run that saw a finding lists it; only the run that changed it updated it
  assert.equal(listFindings(db, { run: third.runId }).length, 3);
  assert.deepEqual(listFindings(db).filter((f) => f.updatedRun === third.runId).map((f) => f.device), ['laptop-07']);
  const l7b = listFindings(db).find((f) => f.device === 'laptop-07')!;
  assert.equal(l7b.lastSeen, '2026-03-12T07:30:00.0000000Z');
  assert.equal(l7b.count, 3);
});

test('rules are skipped with a reason when invalid or their table is missing; an empty source is an error', () => {
  const db = openMemoryDb();
  const bad: HuntRule = { ...RULES[0]!, id: 'bad', status: 'error', diagnostics: [{ message: "unknown column 'AccountUpn'" }] };
  const other: HuntRule = { ...RULES[0]!, id: 'proc', tables: ['DeviceProcessEvents'] };
  const s = runHunt({ rules: [bad, other], source: source(BASE), db });
  assert.equal(s.rulesSkipped, 2);
  assert.match(s.rules[0]!.reason!, /AccountUpn/);
  assert.match(s.rules[1]!.reason!, /no DeviceProcessEvents table/);
  assert.throws(() => runHunt({ rules: RULES, source: source([]), db }), /holds no events/);
});

test('suppressions are scoped, keep findings visible, and stop applying when they expire', () => {
  const db = openMemoryDb();
  runHunt({ rules: RULES, source: source(BASE), db });
  assert.throws(() => addSuppression(db, { target: 'Action1', targetKind: 'tool', reason: '  ' }, 'analyst'), /reason/);
  addSuppression(db, { target: 'action1', targetKind: 'tool', device: 'it-admin-*', reason: 'IT patching tool (CHG-1234)' }, 'analyst');
  let all = listFindings(db);
  assert.equal(all.length, 3);
  assert.deepEqual(all.filter((f) => f.suppressedBy !== undefined).map((f) => `${f.tool}@${f.device}`), ['Action1@it-admin-01']);
  addSuppression(db, { target: 'AnyDesk', targetKind: 'tool', device: 'it-admin-01', reason: 'trial, expired', expires: '2026-01-01T00:00:00Z' }, 'analyst');
  all = listFindings(db);
  assert.equal(all.filter((f) => f.suppressedBy !== undefined).length, 1);
  const inv = buildInventory(db);
  const anyAdmin = inv.find((e) => e.tool === 'AnyDesk' && e.device === 'it-admin-01')!;
  assert.equal(anyAdmin.state, 'observed');
  assert.deepEqual(anyAdmin.secondTool, { sanctioned: ['Action1'] });
  assert.equal(inv.find((e) => e.tool === 'Action1')!.state, 'sanctioned');
  const rerun = runHunt({ rules: RULES, source: source(BASE), db });
  assert.equal(rerun.findingsSuppressed, 1);
});

test('triage changes are validated and audited', () => {
  const db = openMemoryDb();
  runHunt({ rules: RULES, source: source(BASE), db });
  const f = listFindings(db)[0]!;
  assert.throws(() => triageFinding(db, f.id, { status: 'done' }, 'a'), /status must be one of/);
  const changed = triageFinding(db, f.id.slice(0, 8), { status: 'benign', assignee: 'alice', note: 'IT confirmed' }, 'alice');
  assert.equal(changed.status, 'benign');
  assert.equal(changed.assignee, 'alice');
  assert.deepEqual(auditOf(db, f.id).map((a) => a.action), ['status', 'assignee', 'note']);
  assert.equal(listFindings(db, { status: ['benign'] }).length, 1);
});

test('selectors pick rules by id, glob, tool, technique and table; unknown ones are reported', () => {
  assert.deepEqual(selectRules(RULES, ['tool:anydesk']).selected.map((r) => r.id), ['net-anydesk']);
  assert.deepEqual(selectRules(RULES, ['Action1*']).selected.map((r) => r.id), ['net-action1']);
  assert.equal(selectRules(RULES, ['technique:T1219']).selected.length, 2);
  assert.equal(selectRules(RULES, ['table:DeviceNetworkEvents']).selected.length, 2);
  assert.deepEqual(selectRules(RULES, ['nope']).unknown, ['nope']);
});

test('the findings database migrates an old file in place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-db-'));
  try {
    new Database(join(dir, 'findings.sqlite')).close(); // version 0: an empty file from an older build
    const db = openFindingsDb(dir);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    assert.ok(db.prepare("SELECT name FROM sqlite_master WHERE name = 'findings'").get());
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a version 1 database keeps its findings, and its run left running by a dead hunt ends as failed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-db-'));
  try {
    const old = new Database(join(dir, 'findings.sqlite'));
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO runs (id, started_at, finished_at, as_of, actor, rules, outcome) VALUES (1, 't', 't', 'a', 'x', '[]', 'completed'), (2, 't', NULL, 'a', 'x', '[]', 'running')").run();
    old.prepare(`INSERT INTO findings (id, rule_id, rule_name, severity, group_key, key_json, first_seen, last_seen, event_count, report_ids, sample, row, created_run, updated_run, created_at, updated_at)
      VALUES ('f1', 'r', 'R', 'low', 'g', '{}', 'a', 'b', 1, '[]', '[]', '{}', 1, 1, 't', 't')`).run();
    old.close();
    const db = openFindingsDb(dir);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    assert.deepEqual(listRuns(db).map((r) => [r.id, r.outcome, r.error !== undefined]), [[2, 'failed', true], [1, 'completed', false]]);
    assert.equal(listFindings(db, { run: 1 }).length, 1);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
