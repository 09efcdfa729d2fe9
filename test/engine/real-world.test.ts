// Engine behaviours the run over real-world hunting queries exposed (scripts/corpus-run.ts) that need a
// source of stored tables (the rest are data: real-world-cases.jsonl). Each failed before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySource, runQuery } from '../../src/engine/index.js';
import { toCsv } from '../../src/engine/format/encode.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const LOGS: TableSchema = { name: 'SignIns', columns: [{ name: 'User', type: 'string' }, { name: 'IPAddress', type: 'string' }, { name: 'Tries', type: 'long' }] };

function source(): MemorySource {
  return new MemorySource(new Map([['SignIns', { schema: LOGS, extents: [tableFromRows(LOGS.columns, [{ User: 'alice', IPAddress: '10.0.0.1', Tries: 3 }, { User: 'bob', IPAddress: '10.0.0.2', Tries: 1 }, { User: 'bob', IPAddress: '10.0.0.3', Tries: 5 }])] }]]));
}

const csv = (q: string) => {
  const r = runQuery(q, { source: source(), now: 0n });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return toCsv(r.tables[0]!.table).trim();
};

test('table() reads the table its argument names: a literal, a let, a function parameter', () => {
  assert.equal(csv('table("SignIns") | count'), 'Count\n3');
  assert.equal(csv('let t = "SignIns"; table(t) | where User == "bob" | project IPAddress'), 'IPAddress\n10.0.0.2\n10.0.0.3');
  assert.equal(csv('let f = (name: string) { table(name) | summarize n = count() }; union f("SignIns"), f("SignIns")'), 'n\n3\n3');
});

test('table() of a name no table has fails with a KQL error naming it', () => {
  const r = runQuery('table("Nope") | count', { source: source(), now: 0n });
  assert.equal(r.ok, false);
  assert.match(r.diagnostics[0]!.code, /^KQL[24]/);
  assert.match(r.diagnostics[0]!.message, /Nope/);
});

test('arg_max(x, *) over a table the binder cannot know (table() of a parameter) names the columns it found', () => {
  const r = runQuery('let f = (name: string) { table(name) | extend Tries2 = Tries | summarize Last = arg_max(Tries, *) by User }; f("SignIns") | order by User asc', { source: source(), now: 0n });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.tables[0]!.columns.map((c) => `${c.name}:${c.type}`), ['User:string', 'Last:long', 'IPAddress:string', 'Tries2:long']);
  assert.equal(toCsv(r.tables[0]!.table).trim(), 'User,Last,IPAddress,Tries2\nalice,3,10.0.0.1,3\nbob,5,10.0.0.3,5');
});

test("Defender's invoke SeenBy() adds a dynamic SeenBy column (empty: a local workspace has no device discovery), with a warning", () => {
  const r = runQuery('SignIns | invoke SeenBy() | summarize rows = count(), seen = sum(array_length(SeenBy))', { source: source(), now: 0n });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(toCsv(r.tables[0]!.table).trim(), 'rows,seen\n3,0');
  assert.match(r.warnings.join('\n'), /SeenBy\(\): device discovery/);
  const s = runQuery('SignIns | invoke SeenBy() | getschema | project ColumnName, ColumnType', { source: source(), now: 0n });
  assert.equal(toCsv(s.tables[0]!.table).trim(), 'ColumnName,ColumnType\nUser,string\nIPAddress,string\nTries,long\nSeenBy,dynamic');
});
