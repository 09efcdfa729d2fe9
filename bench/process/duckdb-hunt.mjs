// The DuckDB side of the whole-process benchmark: a plain Node process (no TypeScript loader) that opens the
// prepared database file, runs the seed hunts' SQL one after another, and prints each result's row count,
// as `kqlite hunt` opens its workspace, runs the rules and reports.
//   node bench/process/duckdb-hunt.mjs <database file> <queries.json: [{id, sql}]>
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [file, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(queriesFile, 'utf8'));
const instance = await DuckDBInstance.create(file);
const conn = await instance.connect();
for (const q of queries) {
  const reader = await conn.runAndReadAll(q.sql);
  process.stdout.write(`${q.id}: ${reader.getRowObjectsJson().length} rows\n`);
}
conn.closeSync();
