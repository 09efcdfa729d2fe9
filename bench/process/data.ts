/**
 * The whole-process benchmark's prepared stores: about a million DeviceNetworkEvents rows of the demo
 * organisation (bench/engine/data.ts, the engine benchmark's CSV exports), loaded once into a kqlite
 * workspace (by `kqlite ingest`, as a user would) and into a DuckDB database file, and reused by later runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFENDER_TABLES } from '../../src/kql/semantics/catalog.js';
import { csvFiles, ensureData, type DataSet } from '../engine/data.js';

/** The engine benchmark's generator gives 24 of every 30⅓ rows to DeviceNetworkEvents. */
export const NETWORK_SHARE = 24 / (24 + 6 + 1 / 3);
const TABLE = 'DeviceNetworkEvents';

const DUCK_TYPES: Record<string, string> = { string: 'VARCHAR', guid: 'VARCHAR', dynamic: 'VARCHAR', datetime: 'TIMESTAMP_NS', long: 'BIGINT', int: 'INTEGER', real: 'DOUBLE', decimal: 'DOUBLE', bool: 'BOOLEAN', timespan: 'BIGINT' };

export interface Stores { ds: DataSet; networkRows: number; workspace: string; duckFile: string }

/** The CSV exports for `networkRows` network rows, the workspace and the DuckDB file (each made once). */
export async function ensureStores(root: string, networkRows: number, kqlite: string[]): Promise<Stores> {
  const ds = ensureData(root, Math.round(networkRows / NETWORK_SHARE));
  const workspace = join(ds.dir, 'process-bench-workspace');
  const duckFile = join(ds.dir, 'process-bench-duckdb.db');
  const files = csvFiles(ds, TABLE);
  if (!existsSync(join(workspace, '.prepared'))) {
    rmSync(workspace, { recursive: true, force: true });
    console.log(`  kqlite ingest of ${files.length} ${TABLE} files into ${workspace}`);
    const r = spawnSync(process.execPath, [...kqlite, 'ingest', ...files, '--workspace', workspace, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`kqlite ingest failed (exit ${r.status})`);
    spawnSync('touch', [join(workspace, '.prepared')]);
  }
  if (!existsSync(duckFile + '.prepared')) {
    rmSync(duckFile, { force: true });
    rmSync(duckFile + '.wal', { force: true });
    console.log(`  DuckDB load of the same files into ${duckFile}`);
    const schema = DEFENDER_TABLES.find((t) => t.name === TABLE)!;
    const cols = schema.columns.map((c) => `'${c.name}': '${DUCK_TYPES[c.type] ?? 'VARCHAR'}'`).join(', ');
    // Kusto strings are never null: an empty CSV field is '' as in kqlite
    const select = schema.columns.map((c) => (c.type === 'string' ? `coalesce("${c.name}", '') AS "${c.name}"` : `"${c.name}"`)).join(', ');
    const inst = await DuckDBInstance.create(duckFile);
    const conn = await inst.connect();
    await conn.run(`CREATE TABLE "${TABLE}" AS SELECT ${select} FROM read_csv([${files.map((f) => `'${f}'`).join(', ')}], header = true, columns = {${cols}})`);
    await conn.run('CHECKPOINT');
    conn.closeSync();
    // the database file stays locked while the instance is open: the measured processes open it next
    inst.closeSync();
    spawnSync('touch', [duckFile + '.prepared']);
  }
  return { ds, networkRows: ds.perTable[TABLE] ?? 0, workspace, duckFile };
}
