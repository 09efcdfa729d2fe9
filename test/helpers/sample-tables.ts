/**
 * Small deterministic tables of every column type (nulls, single-valued strings, non-ASCII and lone
 * surrogate strings, dynamic values), for tests of the workspace's storage against in-memory tables.
 */
import { buildColumn } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import type { Value } from '../../src/engine/values/value.js';
import type { TableSchema } from '../../src/kql/semantics/types.js';

export const SAMPLE_SCHEMA: TableSchema = {
  name: 'Sample',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'DeviceName', type: 'string' },
    { name: 'RemoteUrl', type: 'string' },
    { name: 'Empty', type: 'string' },
    { name: 'Note', type: 'string' },
    { name: 'DeviceId', type: 'guid' },
    { name: 'Port', type: 'long' },
    { name: 'Score', type: 'real' },
    { name: 'Ok', type: 'bool' },
    { name: 'Took', type: 'timespan' },
    { name: 'Bag', type: 'dynamic' },
  ],
};

const URLS = ['boot.net.anydesk.com', 'server.action1.com', 'example.org', 'a.b.c', '', 'relay.screenconnect.com', 'mremoteng.org', 'ünïcode.example', 'x'];
const NOTES = ['plain', 'naïve café', '日本語のテキスト', 'emoji 🚀 ok', 'lone \ud800 high', 'lone \udc00 low', 'pair \ud83d\ude80', ''];
const DAY_TICKS = 864_000_000_000n;
/** 2026-01-01T00:00:00Z in ticks since 1970. */
export const SAMPLE_START = 17_672_256_000_000_000n;

/** `rows` rows of day `day` (0-based), the same for the same arguments. */
export function sampleTable(day: number, rows: number, opts: { lone?: boolean } = {}): Table {
  return tableOf(sampleValues(day, rows, opts), rows);
}

/** The rows of several days as one table (one extent: a reference that no per-extent code path touches). */
export function sampleDays(days: number[], rows: number, opts: { lone?: boolean } = {}): Table {
  const cols: Value[][] = SAMPLE_SCHEMA.columns.map(() => []);
  for (const d of days) sampleValues(d, rows, opts).forEach((vs, c) => cols[c]!.push(...vs));
  return tableOf(cols, rows * days.length);
}

function tableOf(cols: Value[][], rows: number): Table {
  return { length: rows, columns: SAMPLE_SCHEMA.columns.map((c, i) => ({ name: c.name, column: buildColumn(c.type, cols[i]!) })) };
}

function sampleValues(day: number, rows: number, opts: { lone?: boolean }): Value[][] {
  let seed = 12345 + day * 7919;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const notes = opts.lone === false ? NOTES.filter((s) => !/lone/.test(s)) : NOTES;
  const cols: Value[][] = SAMPLE_SCHEMA.columns.map(() => []);
  for (let i = 0; i < rows; i++) {
    const r: Value[] = [
      SAMPLE_START + BigInt(day) * DAY_TICKS + BigInt(i) * 36_000_000n + BigInt(rnd(10_000)),
      `host-${rnd(7)}`,
      URLS[rnd(URLS.length)]!,
      '',
      notes[rnd(notes.length)]!,
      rnd(5) === 0 ? null : `00000000-0000-0000-0000-${rnd(9).toString().padStart(12, '0')}`,
      rnd(6) === 0 ? null : [443, 80, 8080, 5938][rnd(4)]!,
      rnd(4) === 0 ? null : rnd(1000) / 8,
      rnd(3) === 0 ? null : rnd(2) === 0,
      rnd(5) === 0 ? null : BigInt(rnd(100_000)) * 10_000n,
      rnd(4) === 0 ? null : { k: rnd(3), tags: ['a', `t${rnd(4)}`] },
    ];
    r.forEach((v, c) => cols[c]!.push(v));
  }
  return cols;
}
