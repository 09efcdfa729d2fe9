// The default catalog makes each table's schema when first asked for (src/kql/semantics/catalog.ts): what it
// gives must equal the catalog built whole from the schema files, as before, whichever way it is read.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogFromSchemas, DEFENDER_TABLES, defaultCatalog, mergeCatalogs, sentinelTableLines, type TableSchema } from '../../../src/kql/semantics/index.js';

/** The default catalog built eagerly from the files: Sentinel's tables, then each Defender table over its namesake. */
function builtWhole(): Map<string, TableSchema> {
  const sentinel = JSON.parse(readFileSync('src/kql/semantics/schemas/azure-monitor-tables.json', 'utf8')) as { table: string; columns: string[][] }[];
  const tables = new Map<string, TableSchema>();
  for (const t of sentinel) tables.set(t.table, { name: t.table, columns: t.columns.map(([name, type]) => ({ name: name!, type: type as TableSchema['columns'][number]['type'] })) });
  for (const d of DEFENDER_TABLES) {
    const s = tables.get(d.name!);
    const own = new Set(d.columns.map((c) => c.name));
    tables.set(d.name!, s ? { ...d, columns: [...d.columns, ...s.columns.filter((c) => !own.has(c.name))] } : d);
  }
  return tables;
}

test('the default catalog equals the catalog built whole: names in order, every schema, asked for one by one or iterated', () => {
  const whole = builtWhole();
  const lazy = defaultCatalog().tables;
  assert.equal(lazy.size, whole.size);
  assert.deepEqual([...lazy.keys()], [...whole.keys()]);
  // asked for singly first (DeviceNetworkEvents: Defender's columns, then those its Sentinel namesake adds)
  const dne = lazy.get('DeviceNetworkEvents')!;
  assert.deepEqual(dne, whole.get('DeviceNetworkEvents'));
  assert.ok(dne.columns.some((c) => c.name === 'TimeGenerated') && dne.columns[0]!.name === 'Timestamp');
  assert.equal(lazy.get('DeviceNetworkEvents'), dne, 'made once');
  assert.equal(lazy.get('NoSuchTable'), undefined);
  assert.equal(lazy.has('SigninLogs'), true);
  assert.deepEqual(new Map(lazy), whole);
  assert.deepEqual([...lazy.values()], [...whole.values()]);
  const seen: string[] = [];
  lazy.forEach((schema, name, map) => { if (map === lazy && schema === lazy.get(name)) seen.push(name); });
  assert.deepEqual(seen, [...whole.keys()]);
});

test('merged catalogs: a later catalog wins on the same name, each schema taken from its own catalog', () => {
  const mine: TableSchema = { name: 'DeviceNetworkEvents', columns: [{ name: 'Only', type: 'string' }] };
  const extra: TableSchema = { name: 'MyTable', columns: [{ name: 'X', type: 'long' }] };
  const merged = mergeCatalogs(defaultCatalog(), catalogFromSchemas([mine, extra])).tables;
  assert.equal(merged.get('DeviceNetworkEvents'), mine);
  assert.equal(merged.get('MyTable'), extra);
  assert.equal(merged.get('SigninLogs'), defaultCatalog().tables.get('SigninLogs'));
  assert.equal(merged.size, defaultCatalog().tables.size + 1);
  assert.deepEqual([...merged.keys()].slice(-1), ['MyTable']);
});

test('the Sentinel tables file read line by line gives every table as parsing it whole does, however it is spaced', () => {
  const text = readFileSync('src/kql/semantics/schemas/azure-monitor-tables.json', 'utf8');
  const whole = JSON.parse(text) as { table: string }[];
  const parsed = (lines: Map<string, string>) => [...lines].map(([name, line]) => [name, JSON.parse(line)] as const);
  const expected = whole.map((t) => [t.table, t] as const);
  assert.deepEqual(parsed(sentinelTableLines(text)), expected);
  // as tsc copies it into dist/: spaces after the punctuation, one table per line
  const spaced = '[\n' + whole.map((t) => '    ' + JSON.stringify(t).replace(/([:,])/g, '$1 ').replace(/^\{/, '{ ').replace(/\}$/, ' }')).join(',\n') + '\n]\n';
  assert.deepEqual(parsed(sentinelTableLines(spaced)), expected);
  // tables broken over several lines: read whole
  assert.deepEqual(parsed(sentinelTableLines(JSON.stringify(whole, null, 2))), expected);
  // the copy the built CLI reads
  const built = 'dist/kql/semantics/schemas/azure-monitor-tables.json';
  if (existsSync(built)) assert.deepEqual(parsed(sentinelTableLines(readFileSync(built, 'utf8'))), expected);
});
