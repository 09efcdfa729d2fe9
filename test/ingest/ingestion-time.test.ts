// ingestion_time(): each row's extent's ingest time (meta.json createdAt), kept through where, extend,
// project, sort and take (and the per-extent where chain); null where rows do not come from a stored table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuery } from '../../src/engine/index.js';
import { toCsv } from '../../src/engine/format/encode.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';
import { Workspace } from '../../src/ingest/index.js';

const SCHEMA: TableSchema = { name: 'Events', columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'Name', type: 'string' }] };
const T0 = 17_672_256_000_000_000n;

test('rows carry their extent ingest time; datatable and summarize results have none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-it-'));
  const ws = Workspace.open(dir, { create: true });
  const before = Date.now();
  ws.append('Events', SCHEMA, tableFromRows(SCHEMA.columns, [{ Timestamp: T0, Name: 'a' }, { Timestamp: T0 + 1n, Name: 'b' }]));
  await new Promise((r) => setTimeout(r, 30));
  const middle = Date.now();
  ws.append('Events', SCHEMA, tableFromRows(SCHEMA.columns, [{ Timestamp: T0 + 2n, Name: 'c' }]));
  const after = Date.now();
  const run = (q: string) => {
    const r = runQuery(q, { source: Workspace.open(dir), now: T0 });
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    return r.tables[0]!;
  };
  const per = run('Events | extend it = ingestion_time() | project Name, it | order by Name asc');
  const times = Array.from({ length: 3 }, (_, i) => (per.table.columns[1]!.column as { hi: Float64Array }).hi[i]!);
  assert.ok(times[0]! >= before && times[0]! <= middle, `${times[0]} in [${before}, ${middle}]`);
  assert.equal(times[1], times[0]);
  assert.ok(times[2]! >= middle && times[2]! <= after);
  // a where chain (run extent by extent) filtering on it, sort + take, project keep it
  const since = new Date(middle).toISOString();
  assert.equal(toCsv(run(`Events | where Timestamp >= datetime(2026-01-01) | where ingestion_time() >= datetime(${since}) | project Name`).table), 'Name\nc\n');
  assert.equal(toCsv(run(`Events | project Name | sort by Name desc | take 1 | extend late = ingestion_time() >= datetime(${since})`).table), 'Name,late\nc,true\n');
  assert.equal(toCsv(run('Events | summarize n = count(), first = min(ingestion_time())').table).split('\n')[1]!.split(',')[0], '3');
  // no stored table: null
  assert.equal(toCsv(run('datatable(a:long)[1] | extend t = ingestion_time(), none = isnull(ingestion_time())').table), 'a,t,none\n1,,true\n');
  assert.equal(toCsv(run('Events | summarize n = count() | extend none = isnull(ingestion_time())').table), 'n,none\n3,true\n');
});
