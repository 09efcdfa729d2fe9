/**
 * One measured child process of the engine benchmark, so each engine's peak RSS is its own:
 *   worker.ts <kqlite|duckdb> ingest  <dataset.json> <out.json>   load the CSV files into a fresh store
 *   worker.ts <kqlite|duckdb> queries <dataset.json> <out.json> <runs>   reopen the store, run every line
 * It writes timings, peak RSS and (queries) the canonical results of the first run for the checker.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runQuery } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import { Workspace } from '../../src/store/workspace.js';
import { DEFENDER_TABLES } from '../../src/kql/semantics/catalog.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import { BENCH_TABLES, csvFiles, type DataSet } from './data.js';
import { benchLines } from './queries.js';

export type Cell = string | string[] | null;
export type Rows = Record<string, Cell>[];
export interface QueryOutput { reloadMs: number; lines: { name: string; ms: number[]; results: Record<string, Rows> }[]; peakRssMiB: number }
export interface IngestOutput { ms: number; peakRssMiB: number; bytesOnDisk?: number }

const [engine, phase, dsFile, outFile, runsArg] = process.argv.slice(2) as [string, string, string, string, string?];
const raw = JSON.parse(readFileSync(dsFile, 'utf8')) as DataSet & { now: string };
const ds: DataSet = { ...raw, now: BigInt(raw.now) };
const runs = Number(runsArg ?? 3);
const wsDir = join(ds.dir, 'kqlite-workspace');
const duckFile = join(ds.dir, 'duckdb.db');
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

const DUCK_TYPES: Record<string, string> = { string: 'VARCHAR', guid: 'VARCHAR', dynamic: 'VARCHAR', datetime: 'TIMESTAMP_NS', long: 'BIGINT', int: 'INTEGER', real: 'DOUBLE', decimal: 'DOUBLE', bool: 'BOOLEAN', timespan: 'BIGINT' };

async function duckIngest(conn: DuckDBConnection): Promise<void> {
  for (const table of BENCH_TABLES) {
    const schema = DEFENDER_TABLES.find((t) => t.name === table)!;
    const files = csvFiles(ds, table).map((f) => `'${f}'`).join(', ');
    const cols = schema.columns.map((c) => `'${c.name}': '${DUCK_TYPES[c.type] ?? 'VARCHAR'}'`).join(', ');
    // Kusto strings are never null: an empty CSV field is '' as in kqlite
    const select = schema.columns.map((c) => (c.type === 'string' ? `coalesce("${c.name}", '') AS "${c.name}"` : `"${c.name}"`)).join(', ');
    await conn.run(`CREATE TABLE "${table}" AS SELECT ${select} FROM read_csv([${files}], header = true, columns = {${cols}})`);
  }
  await conn.run('CHECKPOINT');
}

/** kqlite cells in the checker's form: datetimes as ticks, sets as sorted strings, numbers as text. */
function kqliteRows(r: ReturnType<typeof runQuery>): Rows {
  const t = r.tables[0]!;
  return encodedRows(t.table).map((row) => Object.fromEntries(t.columns.map((c, i) => {
    const v = row[i];
    if (v === null || v === undefined) return [c.name, null];
    if (c.type === 'datetime') return [c.name, parseDatetimeText(String(v))!.toString()];
    if (Array.isArray(v)) return [c.name, v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).sort()];
    return [c.name, String(v)];
  })));
}

function duckRows(rows: Record<string, unknown>[]): Rows {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : Array.isArray(v) ? v.map(String).sort() : String(v)])));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
void median;

async function main(): Promise<void> {
  if (phase === 'ingest') {
    const started = performance.now();
    if (engine === 'kqlite') {
      rmSync(wsDir, { recursive: true, force: true });
      const ws = Workspace.open(wsDir, { create: true });
      const rep = await ingestPaths(ws, csvFiles(ds));
      if (rep.quarantined || rep.refusedFiles) throw new Error(`ingest set ${rep.quarantined} records aside and refused ${rep.refusedFiles} files`);
      const out: IngestOutput = { ms: performance.now() - started, peakRssMiB: peakRssMiB(), bytesOnDisk: ws.tables().reduce((s, t) => s + t.bytesOnDisk, 0) };
      writeFileSync(outFile, JSON.stringify(out));
    } else {
      rmSync(duckFile, { force: true });
      rmSync(duckFile + '.wal', { force: true });
      const inst = await DuckDBInstance.create(duckFile);
      const conn = await inst.connect();
      await duckIngest(conn);
      const out: IngestOutput = { ms: performance.now() - started, peakRssMiB: peakRssMiB() };
      conn.closeSync();
      writeFileSync(outFile, JSON.stringify(out));
    }
    return;
  }
  const lines = benchLines(ds.now);
  const out: QueryOutput = { reloadMs: 0, lines: [], peakRssMiB: 0 };
  if (engine === 'kqlite') {
    // reload = open the workspace and make it queryable, as DuckDB's open + count: the engine counts each
    // table (which reads every extent's meta.json; columns are read later, when a query first needs them)
    const started = performance.now();
    const ws = Workspace.open(wsDir);
    for (const t of BENCH_TABLES) {
      const r = runQuery(`${t} | count`, { source: ws, now: ds.now });
      if (!r.ok || r.tables[0]?.table.length !== 1) throw new Error(`${t} | count failed`);
    }
    out.reloadMs = performance.now() - started;
    for (const line of lines) {
      const ms: number[] = [];
      const results: Record<string, Rows> = {};
      for (let run = 0; run < runs; run++) {
        const sharedScans = line.fused ? new Map() : undefined;
        const t0 = performance.now();
        // a hunt's rules share one view of the workspace, as runHunt's do; other lines are separate queries
        const source = line.fused ? ws.snapshot() : ws;
        for (const q of line.queries) {
          const r = runQuery(q.kql, { source, now: ds.now, ...(sharedScans ? { sharedScans } : {}) });
          if (!r.ok) throw new Error(`${q.id}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
          if (run === 0) results[q.id] = kqliteRows(r);
        }
        ms.push(performance.now() - t0);
      }
      out.lines.push({ name: line.name, ms, results });
    }
  } else {
    const started = performance.now();
    const inst = await DuckDBInstance.create(duckFile);
    const conn = await inst.connect();
    for (const t of BENCH_TABLES) await conn.runAndReadAll(`SELECT count(*) FROM "${t}"`);
    out.reloadMs = performance.now() - started;
    for (const line of lines) {
      const ms: number[] = [];
      const results: Record<string, Rows> = {};
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        for (const q of line.queries) {
          const reader = await conn.runAndReadAll(q.sql.sql);
          if (run === 0) results[q.id] = duckRows(reader.getRowObjectsJson() as Record<string, unknown>[]);
        }
        ms.push(performance.now() - t0);
      }
      out.lines.push({ name: line.name, ms, results });
    }
    conn.closeSync();
  }
  out.peakRssMiB = peakRssMiB();
  mkdirSync(join(outFile, '..'), { recursive: true });
  writeFileSync(outFile, JSON.stringify(out));
}

await main();
