import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery, type TableSource } from '../../src/engine/index.js';
import { MemorySource } from '../../src/engine/source.js';
import { QueryError } from '../../src/engine/values/value.js';
import { readExtent, readExtentMeta, writeExtent } from '../../src/store/extent-format.js';
import { Workspace } from '../../src/store/workspace.js';
import { SAMPLE_SCHEMA, sampleDays, sampleTable } from '../helpers/sample-tables.js';

const root = mkdtempSync(join(tmpdir(), 'kqlite-lazy-'));
after(() => rmSync(root, { recursive: true, force: true }));
const FORMAT_1 = join(import.meta.dirname, 'fixtures/workspace-format-1');
/** Written by the format-2 writer (commit before format 3) from sampleTable(day, 40) for days 0-2, as format 1's. */
const FORMAT_2 = join(import.meta.dirname, 'fixtures/workspace-format-2');
/** Written by the format-4 writer (commit before format 5) the same way; format 3's are the same extents
 * without their checksums (format 4 is format 3 plus `checks`). */
const FORMAT_3 = join(import.meta.dirname, 'fixtures/workspace-format-3');
const FORMAT_4 = join(import.meta.dirname, 'fixtures/workspace-format-4');
const FORMAT_NOTES = ['', 'dictionaries in dicts.json', 'the in-memory layout as is', 'narrowed buffers', 'narrowed buffers with checksums'];

/** Queries touching columns in every way a scan can be read: `*`, later operators only, project-away,
 * union, join sides, sub-queries and cross-row functions in a where (which run over merged extents). */
const QUERIES = [
  'Sample',
  'Sample | count',
  "Sample | where RemoteUrl has 'anydesk.com'",
  "Sample | where Timestamp between (datetime(2026-01-02) .. datetime(2026-01-03)) | where DeviceName == 'host-3' | project Timestamp, Note, Bag",
  'Sample | where Port == 443 | project-away Bag, Took',
  "Sample | where Note has 'café' or Note startswith 'lone' | extend L = strlen(Note) | summarize n=count(), s=sum(L) by DeviceName | order by DeviceName asc",
  'Sample | where Ok == true | summarize count() by DeviceId | order by DeviceId asc',
  'union Sample, (Sample | where Port == 80 | extend X = 1)',
  "Sample | where RemoteUrl == 'example.org' | join kind=inner (Sample | where RemoteUrl == 'a.b.c' | project DeviceName, Other=Timestamp) on DeviceName | summarize count(), max(Other) by DeviceName | order by DeviceName asc",
  "Sample | where RemoteUrl in~ ('X', 'A.B.C') | join kind=leftouter (Sample | where Port == 8080) on DeviceId | project DeviceName, Port, Port1, Note1",
  'Sample | where prev(Port) == Port | count',
  "Sample | where Port in ((Sample | where RemoteUrl == 'x' | project Port)) | summarize count() by Port | order by Port asc",
  'Sample | where Timestamp > datetime(2026-01-02) | take 5 | project Timestamp',
  "Sample | project-rename U = RemoteUrl | where U has 'anydesk' | project DeviceName, U, Bag",
  'Sample | where Bag.k == 1 | project Tags = Bag.tags, Took',
  "Sample | where Note contains '🚀' or Note has 'テキスト' | project Note",
  "Sample | where Empty == '' and Score > 50 | summarize avg(Score), max(Took), count() by Ok | order by Ok asc",
  'Sample | where DeviceId == guid(00000000-0000-0000-0000-000000000003) | where isnull(Port) | count',
  "Sample | where RemoteUrl has 'nothing-matches' | project DeviceName",
  "Sample | where RemoteUrl !has 'anydesk' | where DeviceName in ('host-1', 'host-2') | extend H = hash(Note) | summarize sum(H), dcount(RemoteUrl) by DeviceName | order by DeviceName asc",
];

function results(source: TableSource, q: string, sharedScans?: Map<string, never>): unknown {
  const r = runQuery(q, { source, now: 17_674_000_000_000_000n, ...(sharedScans ? { sharedScans } : {}) });
  return { ok: r.ok, diagnostics: r.diagnostics.map((d) => d.message), tables: r.tables.map((t) => toJsonResult(t.table)) };
}

/** The days' rows in memory as one table: the reference (no extents to prune, merge or run through one by one). */
function memory(days: number[], rows: number): MemorySource {
  return new MemorySource(new Map([['Sample', { schema: SAMPLE_SCHEMA, extents: [sampleDays(days, rows)] }]]));
}

function workspace(name: string, days: number[], rows: number): string {
  const dir = join(root, name);
  const ws = Workspace.open(dir, { create: true });
  for (const d of days) ws.append('Sample', SAMPLE_SCHEMA, sampleTable(d, rows));
  return dir;
}

for (const [format, dir] of [[1, FORMAT_1], [2, FORMAT_2], [3, FORMAT_3], [4, FORMAT_4]] as const) {
  test(`format ${format} extents (${FORMAT_NOTES[format]}) still load, equal to the tables they were written from`, () => {
    const ws = Workspace.open(dir);
    const extents = readdirSync(join(dir, 'tables/Sample')).filter((n) => n.startsWith('e-'));
    assert.equal(extents.length, 3);
    for (const e of extents) assert.equal(readExtentMeta(join(dir, 'tables/Sample', e)).format, `kqlite-extent/${format}`);
    const mem = memory([0, 1, 2], 40);
    for (const q of QUERIES) assert.deepEqual(results(ws, q), results(mem, q), q);
    // and each extent holds exactly its day's rows
    extents.sort().forEach((e, d) => assert.deepEqual(toJsonResult(readExtent(join(dir, 'tables/Sample', e), SAMPLE_SCHEMA)), toJsonResult(sampleTable(d, 40))));
  });
}

test('a format-4 workspace takes format-5 extents beside its own, and queries read both alike', () => {
  const dir = join(root, 'mixed');
  cpSync(FORMAT_4, dir, { recursive: true });
  Workspace.open(dir).append('Sample', SAMPLE_SCHEMA, sampleTable(3, 40));
  const formats = readdirSync(join(dir, 'tables/Sample')).filter((n) => n.startsWith('e-')).map((e) => readExtentMeta(join(dir, 'tables/Sample', e)).format).sort();
  assert.deepEqual(formats, ['kqlite-extent/4', 'kqlite-extent/4', 'kqlite-extent/4', 'kqlite-extent/5']);
  const ws = Workspace.open(dir);
  const mem = memory([0, 1, 2, 3], 40);
  for (const q of QUERIES) assert.deepEqual(results(ws, q), results(mem, q), q);
});

test('format 5 keeps dictionaries in data.bin (a lone surrogate as JSON), and reads back every value', () => {
  const dir = join(root, 'extent-5');
  const table = sampleTable(0, 200);
  const meta = writeExtent(dir, table, {});
  assert.equal(meta.format, 'kqlite-extent/5');
  assert.deepEqual(readdirSync(dir).sort(), ['data.bin', 'meta.json']);
  const col = (n: string) => meta.columns.find((c) => c.name === n)!;
  assert.ok(col('RemoteUrl').dictText && col('RemoteUrl').dictLengths && !col('RemoteUrl').dictJson);
  assert.ok(col('Note').dictJson && !col('Note').dictText, 'a dictionary with a lone surrogate is stored as JSON');
  assert.equal(col('Empty').packedCodes!.width, 0, 'a single-valued string column has no code bytes');
  const back = readExtent(dir, SAMPLE_SCHEMA);
  assert.deepEqual(toJsonResult(back), toJsonResult(table));
  const noLone = sampleTable(1, 200, { lone: false });
  const m2 = writeExtent(join(root, 'extent-5b'), noLone, {});
  assert.ok(m2.columns.find((c) => c.name === 'Note')!.dictText, 'non-ASCII text without lone surrogates is UTF-8');
  assert.deepEqual(toJsonResult(readExtent(join(root, 'extent-5b'), SAMPLE_SCHEMA)), toJsonResult(noLone));
});

test('lazily loaded workspace queries equal the same queries over the rows in memory as one table, with any cache budget, alone or sharing scans', () => {
  const days = [0, 1, 2, 3, 4];
  const dir = workspace('equal', days, 300);
  const mem = memory(days, 300);
  const sizes = QUERIES.map((q) => (results(mem, q) as { tables: { rows: unknown[] }[] }).tables[0]?.rows.length ?? 0);
  assert.ok(sizes.filter((n) => n > 0).length >= QUERIES.length - 3, `most queries return rows: ${sizes.join(',')}`);
  for (const cacheBytes of [undefined, 1, 64 * 1024]) {
    const ws = Workspace.open(dir, cacheBytes === undefined ? {} : { cacheBytes });
    const shared = new Map<string, never>();
    for (const q of QUERIES) {
      const want = results(mem, q);
      assert.deepEqual(results(ws, q), want, `${q} (cache ${cacheBytes})`);
      assert.deepEqual(results(ws, q, shared), want, `${q} (cache ${cacheBytes}, shared scans)`);
    }
    if (cacheBytes !== undefined) assert.ok(ws.columns.bytes <= Math.max(cacheBytes, 64 * 1024), 'the cache stays within its budget (beyond the last column loaded)');
  }
  // and the same as datatable rows: a workspace query equals the query over its rows written as a literal
  const ws = Workspace.open(dir);
  const rows = toJsonResult(runQuery("Sample | where RemoteUrl has 'anydesk' | project DeviceName, Port, Timestamp", { source: ws }).tables[0]!.table).rows;
  const dt = `datatable(DeviceName:string, Port:long, Timestamp:datetime) [${rows.map((r) => `${JSON.stringify(r[0])}, ${r[1] === null ? 'long(null)' : r[1]}, datetime(${r[2]})`).join(', ')}]`;
  const q = '| summarize n=count(), p=sum(Port), t=max(Timestamp) by DeviceName | order by DeviceName asc';
  assert.ok(rows.length > 10);
  assert.deepEqual(results(ws, `Sample | where RemoteUrl has 'anydesk' ${q}`), results(ws, `${dt} ${q}`));
});

test('a scan reads only the columns a query reads, and only extents in its time range', () => {
  const dir = workspace('projection', [0, 1, 2, 3, 4], 200);
  const loaded = (ws: Workspace) => [...new Set(ws.columns.keys().map((k) => k.slice(k.lastIndexOf('/') + 1)))].sort();
  const extentsRead = (ws: Workspace) => new Set(ws.columns.keys().map((k) => k.split('/')[1])).size;
  let ws = Workspace.open(dir);
  assert.equal(results(ws, 'Sample | count').toString(), '[object Object]');
  assert.deepEqual(loaded(ws), [], 'counting reads no column');
  results(ws, "Sample | where RemoteUrl has 'anydesk' | project DeviceName");
  assert.deepEqual(loaded(ws), ['DeviceName:string', 'RemoteUrl:string']);
  results(ws, "Sample | where RemoteUrl has 'anydesk' | extend N = strlen(Note) | summarize sum(N) by DeviceName");
  assert.deepEqual(loaded(ws), ['DeviceName:string', 'Note:string', 'RemoteUrl:string'], 'extend copies only the columns read after it');
  ws = Workspace.open(dir);
  results(ws, "Sample | project-rename U = RemoteUrl | where U has 'anydesk' | project DeviceName");
  assert.deepEqual(loaded(ws), ['DeviceName:string', 'RemoteUrl:string'], 'a scan without a where right above it (merged) reads only what is used too');
  ws = Workspace.open(dir);
  results(ws, 'Sample | where Timestamp >= datetime(2026-01-04) | summarize max(Port)');
  assert.deepEqual(loaded(ws), ['Port:long', 'Timestamp:datetime']);
  assert.equal(extentsRead(ws), 2, 'only the extents of the last two days (2026-01-04 and -05) are read');
  const before = ws.columns.loads;
  results(ws, 'Sample | where Timestamp >= datetime(2026-01-04) | summarize max(Port)');
  assert.equal(ws.columns.loads, before, 'a repeated query reads nothing again');
});

test('a reader queries while another process appends extents: it sees whole extents only, never fewer rows', async () => {
  const rows = 100;
  const dir = workspace('concurrent', [0], rows);
  const reader = Workspace.open(dir);
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/append-extents.ts'), dir, '20', String(rows)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let done = false;
  void exited.then(() => (done = true));
  let last = 0;
  let seen = 0;
  while (!done) {
    const r = runQuery('Sample | summarize n=count(), ports=countif(isnotnull(Port)) by DeviceName | summarize sum(n)', { source: reader });
    assert.ok(r.ok, r.diagnostics.map((d) => d.message).join('; '));
    const n = Number(toJsonResult(r.tables[0]!.table).rows[0]?.[0] ?? 0);
    assert.equal(n % rows, 0, `${n} rows: only whole extents`);
    assert.ok(n >= last);
    last = n;
    seen++;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await exited, 0, stderr);
  assert.ok(seen > 1);
  const fresh = Workspace.open(dir);
  assert.deepEqual(results(reader, 'Sample | count'), results(fresh, 'Sample | count'));
  assert.equal(JSON.parse(readFileSync(join(dir, 'tables/Sample/schema.json'), 'utf8')).columns.length, SAMPLE_SCHEMA.columns.length);
});

test('an extent removed after a scan listed it (an ingest undoing a file) ends the query with a diagnostic', () => {
  const dir = workspace('dropped', [0, 1], 50);
  const reader = Workspace.open(dir);
  const extents = reader.scan('Sample');
  assert.equal(extents.length, 2);
  const id = readdirSync(join(dir, 'tables/Sample')).filter((n) => n.startsWith('e-')).sort()[0]!;
  Workspace.open(dir).dropExtent('Sample', id);
  assert.throws(() => extents[0]!.columns[1]!.column, (e: Error) => e instanceof QueryError && /was removed while the query read it/.test(e.message));
  assert.deepEqual(results(reader, 'Sample | count'), results(memory([1], 50), 'Sample | count'), 'the next query no longer lists it');
});
