/**
 * The benchmark's telemetry: the demo organisation (src/ingest/demo) scaled up, written as Advanced Hunting
 * CSV exports, one file per table per day (as exports arrive), so both engines read the same files.
 * DeviceNetworkEvents, DeviceProcessEvents and DeviceFileCertificateInfo together hold about `rows` rows.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../../src/engine/format/encode.js';
import { DEMO_END, generateDemo } from '../../src/ingest/demo/generate.js';

export const BENCH_TABLES = ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'] as const;
/** The generator's rows per device and day over the three tables: 24 + 6 + 1/3. */
const ROWS_PER_DEVICE_DAY = 24 + 6 + 1 / 3;
const MAX_DEVICES = 5000;
const DAY = 864_000_000_000n;

export interface DataSet {
  dir: string;
  rows: number;
  devices: number;
  days: number;
  /** `now()` of every query: the end of the last day. */
  now: bigint;
  perTable: Record<string, number>;
  csvBytes: number;
}

export function shapeFor(rows: number): { devices: number; days: number } {
  const days = Math.max(30, Math.ceil(rows / ROWS_PER_DEVICE_DAY / MAX_DEVICES));
  return { days, devices: Math.max(14, Math.round(rows / ROWS_PER_DEVICE_DAY / days)) };
}

/** Generates the CSV files under `root` (reused when a previous run made the same size). */
export function ensureData(root: string, rows: number): DataSet {
  const { devices, days } = shapeFor(rows);
  const dir = join(root, `rows-${rows}`);
  const manifest = join(dir, 'dataset.json');
  if (existsSync(manifest)) {
    const ds = JSON.parse(readFileSync(manifest, 'utf8')) as Omit<DataSet, 'now'> & { now: string };
    return { ...ds, now: BigInt(ds.now) };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'csv'), { recursive: true });
  const perTable: Record<string, number> = {};
  let csvBytes = 0;
  let reportId = 10_000;
  for (let d = 0; d < days; d++) {
    // one day per slice, oldest first; same devices every day (deviceSeed), new events (seed)
    const end = DEMO_END - BigInt(days - 1 - d) * DAY;
    const demo = generateDemo({ devices, days: 1, seed: 1000 + d, deviceSeed: 7, end, firstReportId: reportId });
    for (const t of demo.tables) {
      if (!(BENCH_TABLES as readonly string[]).includes(t.name)) continue;
      const text = toCsv(t.table);
      writeFileSync(join(dir, 'csv', `${t.name}_${String(d).padStart(3, '0')}.csv`), text);
      perTable[t.name] = (perTable[t.name] ?? 0) + t.table.length;
      csvBytes += Buffer.byteLength(text);
    }
    for (const t of demo.tables) reportId += t.table.length;
  }
  const total = Object.values(perTable).reduce((a, b) => a + b, 0);
  const ds: DataSet = { dir, rows: total, devices, days, now: DEMO_END, perTable, csvBytes };
  writeFileSync(manifest, JSON.stringify({ ...ds, now: ds.now.toString() }, null, 1));
  return ds;
}

export function csvFiles(ds: DataSet, table?: string): string[] {
  return readdirSync(join(ds.dir, 'csv')).filter((f) => !table || f.startsWith(`${table}_`)).sort().map((f) => join(ds.dir, 'csv', f));
}
