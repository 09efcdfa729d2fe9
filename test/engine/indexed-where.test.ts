// Index lookups in `where` must give exactly the rows a scan gives. Each predicate runs as written (the
// row index is used) and wrapped as `(predicate) == true` (no lookup applies to that shape, so every row
// is tested); results must be equal, over one in-memory extent, over several merged extents, and over a
// workspace (whose extents store no index: a lookup builds it from the codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuery, MemorySource, type TableSource } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import { hasPostings, postingsMade } from '../../src/engine/storage/postings.js';
import { Workspace } from '../../src/store/workspace.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const SCHEMA: TableSchema = {
  name: 'DeviceProcessEvents',
  columns: [
    { name: 'Timestamp', type: 'datetime' }, { name: 'FileName', type: 'string' }, { name: 'Company', type: 'string' },
    { name: 'Url', type: 'string' }, { name: 'Id', type: 'guid' }, { name: 'N', type: 'long' },
  ],
};
const FILES = ['AnyDesk.exe', 'anydesk.EXE', 'anydesk-theme-pack.exe', 'chrome.exe', 'msedge.exe', 'svchost.exe', 'explorer.exe', 'OUTLOOK.EXE', 'Teams.exe', 'zoom.exe', 'action1_agent.exe', ''];
const COMPANIES = ['AnyDesk Software GmbH', 'NotAnyDesk Software Ltd', 'Microsoft Corporation', 'Google LLC', 'Action1 Corporation', 'Zoom Video Communications, Inc.', '上海贝锐信息科技股份有限公司', 'Müller Äpfel GmbH'];
const URLS = ['https://server.action1.com/agent', 'https://notaction1.com/promo', 'boot.net.anydesk.com', 'https://myanydesk.com.example.org/x', 'https://www.bing.com/search', 'https://update.googleapis.com/service', 'https://SERVER.ACTION1.COM/API', 'wss://mesh.meshcentral.com:443/agent.ashx'];

function part(from: number, count: number): Table {
  const rows = [];
  for (let i = from; i < from + count; i++) {
    // a skewed mix: background strings are common, tool strings rare
    const rare = i % 17 === 0 || i % 29 === 0;
    rows.push({
      Timestamp: 17_900_000_000_000_000n + BigInt(i) * 600_000_000n,
      FileName: rare ? FILES[(i * 7) % FILES.length]! : FILES[4 + (i % 4)]!,
      Company: rare ? COMPANIES[(i * 3) % COMPANIES.length]! : COMPANIES[2 + (i % 2)]!,
      Url: rare ? URLS[(i * 5) % URLS.length]! : URLS[4 + (i % 2)]!,
      Id: `0000000${i % 23}-0000-0000-0000-000000000000`,
      N: i,
    });
  }
  return tableFromRows(SCHEMA.columns, rows);
}

const PREDICATES = [
  "FileName has 'anydesk.exe'",
  "FileName has_cs 'AnyDesk'",
  "FileName !has 'exe'",
  "Company has_any ('anydesk', 'Action1', '上海贝锐信息科技股份有限公司')",
  "Company has_all ('software', 'gmbh')",
  "FileName in~ ('anydesk.exe', 'ACTION1_AGENT.EXE')",
  "FileName !in~ ('chrome.exe', 'msedge.exe', 'svchost.exe', 'explorer.exe')",
  "FileName in ('AnyDesk.exe', 'zoom.exe')",
  "FileName == 'Teams.exe'",
  "FileName =~ 'OUTLOOK.exe'",
  "FileName != 'chrome.exe'",
  "FileName == ''",
  "Url startswith 'https://server'",
  "Url contains 'anydesk'",
  "Url hasprefix 'act'",
  "Url hassuffix 'ion1.com'",
  "Url matches regex '(?i)action1\\\\.com'",
  "Url has 'server.action1.com' and Company has 'Action1'",
  "(Company has_any ('anydesk') and FileName has 'anydesk') or FileName in~ ('action1_agent.exe')",
  "Url has 'anydesk.com' or N < 40",
  "Company has 'müller' and N > 100",
  "Id == '00000003-0000-0000-0000-000000000000'",
  "Id in ('00000005-0000-0000-0000-000000000000', '00000007-0000-0000-0000-000000000000') and FileName has 'exe'",
  "Timestamp between (datetime(2026-09-21) .. datetime(2026-09-25)) and Url has 'action1.com'",
];
const QUERIES = PREDICATES.flatMap((p) => [
  `DeviceProcessEvents | where ${p} | project N, FileName, Company, Url, Id`,
  `DeviceProcessEvents | where N % 3 != 1 | where ${p} | summarize c=count(), ids=make_list(N) by FileName`,
  `DeviceProcessEvents | sort by N desc | where ${p} | project N`,
]);

const run = (q: string, source: TableSource) => {
  const r = runQuery(q, { source, now: 17_960_000_000_000_000n });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.tables.map((t) => encodedRows(t.table));
};
const scanned = (q: string) => q.replace(/\| where ((?:(?!\| ).)*)\| (project|summarize)/, '| where ($1) == true | $2').replace(/(sort by N desc \| where )(.*)( \| project N)$/, '$1($2) == true$3');

function checkAll(source: TableSource) {
  for (const q of QUERIES) {
    const s = scanned(q);
    assert.notEqual(s, q, `the scan form of ${q} must differ`);
    assert.deepEqual(run(q, source), run(s, source), q);
  }
}

test('indexed where equals a full scan over one extent', () => {
  const t = part(0, 3000);
  checkAll(new MemorySource(new Map([['DeviceProcessEvents', { schema: SCHEMA, extents: [t] }]])));
  // the lookups really ran: the columns they used now have an index
  const col = t.columns[1]!.column;
  assert.ok(col.type === 'string' && hasPostings(col));
});

test('indexed where equals a full scan over merged extents and over a workspace (its index built from the codes)', () => {
  const parts = [part(0, 1000), part(1000, 1500), part(2500, 700)];
  checkAll(new MemorySource(new Map([['DeviceProcessEvents', { schema: SCHEMA, extents: parts }]])));
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-index-'));
  try {
    const ws = Workspace.open(dir, { create: true });
    for (const p of parts) ws.append('DeviceProcessEvents', SCHEMA, p);
    // format 5 stores no row index (formats 1-4 did; their fixtures are queried in test/store/lazy-workspace):
    // it is built from the codes, per extent, and merged for a merged column as a stored one was
    const indexed = (w: Workspace) => w.scan('DeviceProcessEvents').map((x) => { const c = x.columns[1]!.column; return c.type === 'string' && hasPostings(c); });
    assert.deepEqual(indexed(ws), [true, true, true], 'each extent offers an index, built when a lookup first needs it');
    checkAll(ws);
    const again = Workspace.open(dir);
    checkAll(again);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('term lookups on a large dictionary equal a full scan', () => {
  // 3,000 distinct command lines, so `has` goes through the term index
  const words = ['AnyDesk.exe', '--plain', 'İstanbul', 'server.action1.com', 'NotAnyDesk', 'action1', '-fullinstall', 'C:\\Users\\x\\Downloads', 'MeshAgent.exe', 'über', 'x.y.z'];
  const rows = [];
  for (let i = 0; i < 3000; i++) {
    const cmd = `"${words[i % words.length]}" ${words[(i * 7) % words.length]}${i % 5 === 0 ? '' : ` /id:${i}`} ${i % 13 === 0 ? words[(i * 3) % words.length] : 'run'}`;
    rows.push({ Timestamp: 17_900_000_000_000_000n + BigInt(i), FileName: cmd, Company: `c${i % 7}`, Url: `u${i}`, Id: null, N: i });
  }
  const t = tableFromRows(SCHEMA.columns, rows);
  const source = new MemorySource(new Map([['DeviceProcessEvents', { schema: SCHEMA, extents: [t] }]]));
  const needles = ["'anydesk.exe'", "'istanbul'", "'İstanbul'", "'i'", "'SERVER.ACTION1.COM'", "'action1'", "'-fullinstall'", "'Downloads'", "'/id:77'", "'77'", "'ÜBER'", "'y.z'", "'.exe'", "'--'"];
  for (const n of needles) {
    for (const p of [`FileName has ${n}`, `FileName has_any (${n}, 'meshagent')`, `FileName has_all (${n}, 'run')`, `FileName !has ${n}`]) {
      const q = `DeviceProcessEvents | where ${p} | project N`;
      assert.deepEqual(run(q, source), run(`DeviceProcessEvents | where (${p}) == true | project N`, source), q);
    }
  }
});

test("an `and` whose left side keeps few rows indexes only that side, and equals a full scan", () => {
  // 3,200 rows, the Url test keeps 10 of them (under 1/32): the Company test then runs on those 10 rows,
  // with no pass over the whole Company column to index it
  const rows = [];
  for (let i = 0; i < 3200; i++) {
    rows.push({ Timestamp: 17_900_000_000_000_000n + BigInt(i), FileName: 'x.exe', Company: i % 2 ? 'Action1 Corporation' : 'Microsoft Corporation', Url: i % 320 === 7 ? 'https://server.action1.com/agent' : `https://u${i % 50}.example.org`, Id: null, N: i });
  }
  const t = tableFromRows(SCHEMA.columns, rows);
  const source = new MemorySource(new Map([['DeviceProcessEvents', { schema: SCHEMA, extents: [t] }]]));
  const q = "DeviceProcessEvents | where Url has 'server.action1.com' and Company has 'Action1' | project N";
  const got = run(q, source);
  assert.deepEqual(got, run("DeviceProcessEvents | where (Url has 'server.action1.com' and Company has 'Action1') == true | project N", source));
  assert.equal(got[0]!.length, 10);
  const col = (i: number) => t.columns[i]!.column as Extract<Table['columns'][number]['column'], { type: 'string' }>;
  assert.ok(hasPostings(col(3)), 'the Url test used an index');
  assert.ok(!hasPostings(col(2)), 'the Company column was not indexed for 10 rows');
  // a left side that keeps many rows still lets the right side's index narrow them
  const wide = "DeviceProcessEvents | where Url !has 'server.action1.com' and Company has 'Action1' | project N";
  assert.deepEqual(run(wide, source), run("DeviceProcessEvents | where (Url !has 'server.action1.com' and Company has 'Action1') == true | project N", source));
  // a workspace extent offers every string column's index, built on first use: the Company one stays unbuilt
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-index-'));
  try {
    const ws = Workspace.open(dir, { create: true });
    ws.append('DeviceProcessEvents', SCHEMA, t);
    assert.deepEqual(run(q, ws), got);
    const stored = ws.scan('DeviceProcessEvents')[0]!;
    const made = (i: number) => { const c = stored.columns[i]!.column; return c.type === 'string' && postingsMade(c); };
    assert.deepEqual([made(3), made(2)], [true, false]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a time filter then an indexed test keeps ingestion_time() and extent_id(), as the scan does', () => {
  // the time filter runs on the index's rows (timeThenIndexed): those rows keep their ingestion time and
  // extent (the query failed with an internal error before), alone and with a hunt's shared cache
  const parts = [part(0, 1000), part(1000, 1500), part(2500, 700)];
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-index-'));
  try {
    const ws = Workspace.open(dir, { create: true });
    for (const p of parts) ws.append('DeviceProcessEvents', SCHEMA, p);
    const window = 'Timestamp between (datetime(2026-09-21T12:00:00Z) .. datetime(2026-09-22T20:00:00Z))';
    for (const test of ["Url has 'server.action1.com'", "Company has_any ('anydesk', 'Action1') and FileName has 'exe'", "Id == '00000003-0000-0000-0000-000000000000'"]) {
      const tail = '| project N, Url, Timestamp, t = ingestion_time(), e = extent_id()';
      const q = `DeviceProcessEvents | where ${window} | where ${test} ${tail}`;
      const want = run(`DeviceProcessEvents | where ${window} | where (${test}) == true ${tail}`, ws);
      assert.ok(want[0]!.length > 0, q);
      assert.deepEqual(run(q, ws), want, q);
      const shared = runQuery(q, { source: ws, now: 17_960_000_000_000_000n, sharedScans: new Map() });
      assert.deepEqual(shared.tables.map((t) => encodedRows(t.table)), want, `${q} (shared scans)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
