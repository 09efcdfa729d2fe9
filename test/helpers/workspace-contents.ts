// Test helper: what a workspace holds, as plain values to compare two ingests of the same files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { readCell } from '../../src/engine/storage/builders.js';
import { readQuarantine, Workspace } from '../../src/ingest/index.js';

const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

/** Every table's schema and rows (cells as JSON-able values, bigint ticks as text); `sortRows` for ingests
 * whose extents may come in another order (threads). */
export function contents(ws: Workspace, sortRows = false): Record<string, { schema: unknown; rows: unknown[] }> {
  const out: Record<string, { schema: unknown; rows: unknown[] }> = {};
  for (const name of ws.tableNames()) {
    const schema = ws.schema(name)!;
    const rows: unknown[] = [];
    for (const t of ws.scan(name)) {
      for (let i = 0; i < t.length; i++) {
        rows.push(t.columns.map((c) => {
          const v = readCell(c.column, i);
          return typeof v === 'bigint' ? v.toString() : v;
        }));
      }
    }
    if (sortRows) rows.sort(byJson);
    out[name] = { schema, rows };
  }
  return out;
}

/** The quarantined records with file names reduced to their base name; `sorted` for threaded ingests. */
export function quarantineOf(ws: Workspace, sorted = false): Record<string, unknown>[] {
  const q = readQuarantine(ws).map((e) => ({ ...e, file: String(e['file']).split('/').pop() }));
  return sorted ? q.sort(byJson) : q;
}

/**
 * A temporary folder for one test file, removed after its tests: `fresh()` opens a new empty workspace in it,
 * `file(name, data)` writes a file into it and returns its path.
 */
export function scratchArea(prefix: string): { root: string; fresh: () => Workspace; file: (name: string, data: string | Buffer) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return {
    root,
    fresh: () => Workspace.open(join(root, `ws${++n}`), { create: true }),
    file: (name, data) => {
      const p = join(root, name);
      writeFileSync(p, data);
      return p;
    },
  };
}
