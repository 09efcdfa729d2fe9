/**
 * Compaction: runs of small extents of a table (a folder of small exports ingested one run after another,
 * or many small appends) merged into extents of up to a million rows, committed as one step by the writer
 * that holds the lock. Queries read fewer extents (each costs a meta read and a column read per column) and
 * `kqlite tables` stays readable. Rows keep their order: each run of neighbouring small extents becomes
 * extents in its place. The merged extents stay on disk a while for queries begun before (gc.ts). Every
 * column is read through its checksum, so a damaged extent stops a compaction instead of spreading.
 */
import { mergeExtents } from '../engine/storage/merge.js';
import type { Table } from '../engine/storage/column.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import { ExtentReader } from './extent-format.js';
import type { ExtentEntry } from './manifest.js';
import type { WorkspaceWriter } from './writer.js';

/** Extents with fewer rows than this are small. */
export const SMALL_EXTENT_ROWS = 65_536;
/** After an ingest, a table with more small extents than this is compacted. */
export const AUTO_COMPACT_EXTENTS = 8;

export interface CompactOptions {
  /** Only these tables (any case). */
  tables?: readonly string[];
  /** Rows per merged extent (default 1,000,000). */
  rowsPerExtent?: number;
  /** Compact a table only when it has more small extents than this (default 1: any run of two). */
  moreThan?: number;
}

export interface CompactedTable {
  name: string;
  extentsBefore: number;
  extentsAfter: number;
  rows: number;
}

/** Merges runs of small extents (stages them in the writer; the caller commits). */
export function compactSmallExtents(w: WorkspaceWriter, opts: CompactOptions = {}): CompactedTable[] {
  const only = opts.tables?.map((t) => t.toLowerCase());
  const perExtent = opts.rowsPerExtent ?? 1_000_000;
  const out: CompactedTable[] = [];
  for (const t of w.tableStates()) {
    if (only && !only.includes(t.name.toLowerCase())) continue;
    const small = t.extents.filter((e) => e.rows < SMALL_EXTENT_ROWS);
    if (small.length <= (opts.moreThan ?? 1)) continue;
    const before = t.extents.length;
    let rows = 0;
    for (const run of runs(t.extents)) {
      // each run in pieces of at most `perExtent` rows, read whole (small extents: bounded memory)
      for (let i = 0; i < run.length; ) {
        const piece: ExtentEntry[] = [];
        let n = 0;
        while (i < run.length && (piece.length === 0 || n + run[i]!.rows <= perExtent)) {
          n += run[i]!.rows;
          piece.push(run[i++]!);
        }
        if (piece.length < 2) continue;
        const tables = piece.map((e) => readWhole(w.dir, t.name, e, t.schema));
        const merged = mergeExtents(t.schema, tables);
        const table: Table = { length: merged.length, columns: merged.columns.map((c) => ({ name: c.name, column: c.column })) };
        const into = w.writeExtent(t.name, table, `${piece.length} extents compacted`);
        w.replaceExtents(t.name, piece.map((e) => e.id), [into]);
        rows += n;
      }
    }
    const after = w.tableStates().find((x) => x.name === t.name)!.extents.length;
    if (after < before) out.push({ name: t.name, extentsBefore: before, extentsAfter: after, rows });
  }
  return out;
}

/** Neighbouring small extents, in order (runs of one are left as they are). */
function runs(extents: readonly ExtentEntry[]): ExtentEntry[][] {
  const out: ExtentEntry[][] = [];
  let run: ExtentEntry[] = [];
  for (const e of extents) {
    if (e.rows < SMALL_EXTENT_ROWS) run.push(e);
    else {
      if (run.length > 1) out.push(run);
      run = [];
    }
  }
  if (run.length > 1) out.push(run);
  return out;
}

function readWhole(dir: string, table: string, e: ExtentEntry, schema: { columns: readonly { name: string; type: string }[] }): Table {
  const reader = new ExtentReader(insideWorkspace(dir, 'tables', table, e.id));
  return { length: reader.rows, columns: schema.columns.map(({ name, type }) => ({ name, column: reader.load(name, type as never).column })) };
}
