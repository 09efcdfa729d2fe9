// Test helper: what a workspace holds, as plain values to compare two ingests of the same files.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { readCell } from '../../src/engine/storage/builders.js';
import { readQuarantine, Workspace } from '../../src/ingest/index.js';
import { readCommittedLedger, type LedgerEntry } from '../../src/store/ledger.js';
import { readManifest } from '../../src/store/manifest.js';

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

/** The workspace's committed ledger entries. */
export function ledgerOf(ws: Workspace): LedgerEntry[] {
  return readCommittedLedger(ws.dir);
}

/** What an ingest must never leave behind: partial quarantine files, legacy journals, and extent folders
 * (or table folders) that no committed manifest lists (as in a table or retired by a compaction). */
export function leftovers(ws: Workspace): string[] {
  const out: string[] = [];
  const q = join(ws.dir, 'quarantine');
  if (existsSync(q)) out.push(...readdirSync(q).filter((f) => f.startsWith('.partial')).map((f) => `quarantine/${f}`));
  if (existsSync(join(ws.dir, 'pending'))) out.push('pending/');
  const listed = new Set<string>();
  if (existsSync(join(ws.dir, 'manifest.json'))) {
    const m = readManifest(ws.dir);
    for (const t of m.tables) for (const e of t.extents) listed.add(`${t.name}/${e.id}`);
    // extents a compaction replaced stay a while for queries that listed them
    for (const r of m.retired) listed.add(`${r.table}/${r.id}`);
  }
  const tables = join(ws.dir, 'tables');
  if (existsSync(tables)) {
    for (const t of readdirSync(tables)) {
      if (!statSync(join(tables, t)).isDirectory()) continue;
      for (const e of readdirSync(join(tables, t))) if (e !== 'schema.json' && !listed.has(`${t}/${e}`)) out.push(`tables/${t}/${e}`);
    }
  }
  return out;
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
