// Time-range pushdown and shared scans must never change a result: every query here runs over a source that
// prunes extents by the range it is given and over one that ignores it, and the results must be equal; the
// pruning source must also have skipped extents where the query bounds Timestamp. Rows sit on the range
// edges (to the tick) so an off-by-one in `>` vs `>=` would show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource, type TableSource } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import type { TimeRange } from '../../src/engine/source.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const t = (s: string) => parseDatetimeText(s)!;
const SCHEMA: TableSchema = {
  name: 'DeviceNetworkEvents',
  columns: [
    { name: 'Timestamp', type: 'datetime' }, { name: 'DeviceName', type: 'string' }, { name: 'RemoteUrl', type: 'string' },
    { name: 'ReportId', type: 'long' }, { name: 'Tags', type: 'dynamic' },
  ],
};
const NOW = t('2026-03-20T00:00:00Z');

/** One extent per day, 1-19 March; each day has rows at 00:00:00, 00:00:00.0000001, 12:00 and 23:59:59.9999999. */
function extents(): Table[] {
  const out: Table[] = [];
  let id = 1;
  for (let d = 1; d <= 19; d++) {
    const day = `2026-03-${String(d).padStart(2, '0')}`;
    const times = [`${day}T00:00:00Z`, `${day}T00:00:00.0000001Z`, `${day}T12:00:00Z`, `${day}T23:59:59.9999999Z`];
    out.push(tableFromRows(SCHEMA.columns, times.map((ts, k) => ({
      Timestamp: t(ts), DeviceName: `host-${(d + k) % 5}`, RemoteUrl: k % 2 ? `relay-${d}.net.anydesk.com` : 'server.action1.com',
      ReportId: id++, Tags: k === 3 ? null : { day: d, k },
    }))));
  }
  return out;
}

/** Prunes extents like the workspace does, and remembers how many it returned. */
class PruningSource implements TableSource {
  returned = 0;
  constructor(private readonly parts: Table[]) {}
  tableNames() { return ['DeviceNetworkEvents']; }
  schema(name: string) { return name === 'DeviceNetworkEvents' ? SCHEMA : undefined; }
  scan(_name: string, range?: TimeRange): Table[] {
    const kept = this.parts.filter((p) => {
      const ts = p.columns[0]!.column as Extract<Table['columns'][number]['column'], { type: 'datetime' }>;
      const min = BigInt(ts.hi[0]!) * 10_000n + BigInt(ts.lo[0]!);
      const max = BigInt(ts.hi[p.length - 1]!) * 10_000n + BigInt(ts.lo[p.length - 1]!);
      return !(range?.min !== undefined && max < range.min) && !(range?.max !== undefined && min > range.max);
    });
    this.returned += kept.length;
    return kept;
  }
}

const QUERIES: [string, boolean][] = [
  ['DeviceNetworkEvents | where Timestamp between (ago(5d) .. now())', true],
  ['let Time_start = now(-5d); let Time_end = now(); DeviceNetworkEvents | where Timestamp between (Time_start .. Time_end) | where RemoteUrl has "anydesk.com" | summarize c=count(), ids=make_set(ReportId) by DeviceName | order by DeviceName asc', true],
  ['DeviceNetworkEvents | where Timestamp > datetime(2026-03-10T00:00:00Z)', true],
  ['DeviceNetworkEvents | where Timestamp >= datetime(2026-03-10T00:00:00Z) and Timestamp < datetime(2026-03-12T00:00:00.0000001Z)', true],
  ['DeviceNetworkEvents | where datetime(2026-03-18T23:59:59.9999999Z) < Timestamp', true],
  ['DeviceNetworkEvents | where Timestamp <= datetime(2026-03-02T00:00:00Z) | project ReportId, Tags', true],
  ['DeviceNetworkEvents | where Timestamp == datetime(2026-03-07T12:00:00Z)', true],
  ['DeviceNetworkEvents | where Timestamp between (datetime(2026-03-05) .. 1d)', true],
  ['DeviceNetworkEvents | where RemoteUrl has "action1" | where Timestamp > ago(3d) | count', true],
  ['DeviceNetworkEvents | where Timestamp !between (ago(5d) .. now()) | count', false],
  ['DeviceNetworkEvents | where Timestamp > ago(5d) or ReportId == 1 | count', false],
  ['DeviceNetworkEvents | where Timestamp > ago(2d) + ReportId * 1s | count', false],
  ['DeviceNetworkEvents | where Timestamp < datetime(2020-01-01) | count', true],
  ['DeviceNetworkEvents | where Timestamp > datetime(2026-03-15) | where Timestamp < datetime(2026-03-10) | count', true],
  ['let T = DeviceNetworkEvents | where Timestamp > ago(1d); T | count', true],
  ['DeviceNetworkEvents | where isnotnull(Tags) and Timestamp between (ago(2d) .. ago(1d)) | project ReportId', true],
];

const resultOf = (q: string, source: TableSource, sharedScans?: Map<string, never>) => {
  const r = runQuery(q, { source, now: NOW, ...(sharedScans ? { sharedScans } : {}) });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.tables.map((x) => ({ columns: x.columns, rows: encodedRows(x.table) }));
};

test('pruned scans give the same results as full scans, and prune where Timestamp is bounded', () => {
  const parts = extents();
  const full = new MemorySource(new Map([['DeviceNetworkEvents', { schema: SCHEMA, extents: parts }]]));
  for (const [q, prunes] of QUERIES) {
    const pruning = new PruningSource(parts);
    assert.deepEqual(resultOf(q, pruning), resultOf(q, full), q);
    if (prunes) assert.ok(pruning.returned < parts.length, `${q}: expected pruning, scanned ${pruning.returned} of ${parts.length} extents`);
    else assert.equal(pruning.returned, parts.length, `${q}: must not prune`);
  }
});

test('queries sharing a scan cache give the same results as alone, and reuse the shared pass', () => {
  const parts = extents();
  const full = new MemorySource(new Map([['DeviceNetworkEvents', { schema: SCHEMA, extents: parts }]]));
  const shared = new Map<string, never>();
  const pruning = new PruningSource(parts);
  for (const [q] of [...QUERIES, ...QUERIES]) assert.deepEqual(resultOf(q, pruning, shared), resultOf(q, full), q);
  // the second round finds every chain in the cache: no extent is asked for again
  const before = pruning.returned;
  for (const [q] of QUERIES) resultOf(q, pruning, shared);
  assert.equal(pruning.returned, before);
  assert.ok(shared.size > 0);
});

test('a shared cache keys on the values of lets, not only on their names', () => {
  const parts = extents();
  const pruning = new PruningSource(parts);
  const full = new MemorySource(new Map([['DeviceNetworkEvents', { schema: SCHEMA, extents: parts }]]));
  const shared = new Map<string, never>();
  for (const days of [1, 3, 7, 3, 1]) {
    const q = `let Start = ago(${days}d); DeviceNetworkEvents | where Timestamp > Start | where RemoteUrl has 'anydesk.com' | count`;
    assert.deepEqual(resultOf(q, pruning, shared), resultOf(q, full), q);
  }
  // a different `now` must not reuse another hunt's rows either
  const q = 'DeviceNetworkEvents | where Timestamp > ago(1d) | count';
  const a = runQuery(q, { source: pruning, now: NOW, sharedScans: shared });
  const b = runQuery(q, { source: pruning, now: NOW - 864_000_000_000n * 5n, sharedScans: shared });
  const c = runQuery(q, { source: full, now: NOW - 864_000_000_000n * 5n });
  assert.notDeepEqual(encodedRows(a.tables[0]!.table), encodedRows(b.tables[0]!.table));
  assert.deepEqual(encodedRows(b.tables[0]!.table), encodedRows(c.tables[0]!.table));
});

test('the workspace prunes its on-disk extents with the same results', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Workspace } = await import('../../src/store/workspace.js');
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-prune-'));
  try {
    const ws = Workspace.open(dir, { create: true });
    const parts = extents();
    for (const p of parts) ws.append('DeviceNetworkEvents', SCHEMA, p);
    const full = new MemorySource(new Map([['DeviceNetworkEvents', { schema: SCHEMA, extents: parts }]]));
    for (const [q, prunes] of QUERIES) {
      const r = runQuery(q, { source: ws, now: NOW });
      assert.deepEqual(r.tables.map((x) => encodedRows(x.table)), resultOf(q, full).map((x) => x.rows), q);
      if (prunes && !q.includes('let T')) assert.ok(r.stats.rowsScanned < 19 * 4, `${q}: scanned ${r.stats.rowsScanned} rows`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules sharing a scan cache whose time filter is followed by an indexed test give the same results as alone', () => {
  // ten extents of 400 rows over ten days: the indexed RemoteUrl test keeps a few rows of each, so the time
  // filter runs on those alone (not cached for other rules); a rule whose second test has no index computes
  // the time filter for every row, and that prefix is then kept and reused
  const parts: Table[] = [];
  let id = 1;
  for (let d = 10; d <= 19; d++) {
    const rows = [];
    for (let i = 0; i < 400; i++) {
      rows.push({ Timestamp: t(`2026-03-${d}T00:00:00Z`) + BigInt(i) * 2_000_000_000n, DeviceName: `host-${i % 7}`, RemoteUrl: i % 97 === 3 ? 'server.action1.com' : i % 89 === 5 ? `relay-${d}.net.anydesk.com` : `cdn-${i % 40}.example.org`, ReportId: id++, Tags: null });
    }
    parts.push(tableFromRows(SCHEMA.columns, rows));
  }
  const full = new MemorySource(new Map([['DeviceNetworkEvents', { schema: SCHEMA, extents: parts }]]));
  const rules = [
    'let S = now(-5d); let E = now(); DeviceNetworkEvents | where Timestamp between (S .. E) | where RemoteUrl has "server.action1.com" | summarize c=count(), ids=make_set(ReportId) by DeviceName | order by DeviceName asc',
    'let S = now(-5d); let E = now(); DeviceNetworkEvents | where Timestamp between (S .. E) | where RemoteUrl has "anydesk.com" and DeviceName has "host-3" | summarize c=count() by RemoteUrl | order by RemoteUrl asc',
    'let S = now(-5d); let E = now(); DeviceNetworkEvents | where Timestamp between (S .. E) | where ReportId % 3 == 0 | count',
    'let S = now(-5d); let E = now(); DeviceNetworkEvents | where Timestamp between (S .. E) | where ReportId % 5 == 0 | count',
    'let S = now(-5d); let E = now(); DeviceNetworkEvents | where Timestamp between (S .. E) | where RemoteUrl has "server.action1.com" | count',
  ];
  const shared = new Map<string, never>();
  const pruning = new PruningSource(parts);
  for (const q of [...rules, ...rules]) assert.deepEqual(resultOf(q, pruning, shared), resultOf(q, full), q);
  for (const q of rules) assert.deepEqual(resultOf(q, new PruningSource(parts)), resultOf(q, full), q);
});
