/**
 * Garbage collection, run by a writer as it takes the lock (so no other writer is at work): whatever a writer
 * that died or failed left on disk and no manifest lists is removed — extent folders of uncommitted files,
 * temporary files, partial quarantine files, ledger and quarantine segments of a commit that did not happen,
 * table folders no table uses — and extents retired by a compaction long enough ago that no query can still be
 * reading them. Only names kqlite makes are touched: anything else in the workspace is left alone.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import { EXTENT_ID, MANIFEST_FILE, TABLE_NAME, type Manifest } from './manifest.js';

/** How long an extent replaced by a compaction stays on disk for queries that listed it before. */
export const RETIRED_GRACE_MS = 10 * 60_000;

const TEMP = /\.tmp(-|$)|^pending-.*\.tmp$|\.tmp-drop$/;

/** Removes what no manifest lists; returns the retired extents still kept (too recent to remove). */
export function collectGarbage(dir: string, m: Manifest, now = Date.now()): Manifest['retired'] {
  const keep = new Set<string>();
  for (const t of m.tables) for (const e of t.extents) keep.add(`${t.name}/${e.id}`);
  const retired = m.retired.filter((r) => now - Date.parse(r.since) < RETIRED_GRACE_MS);
  for (const r of retired) keep.add(`${r.table}/${r.id}`);
  const tables = new Set(m.tables.map((t) => t.name));

  const tablesDir = insideWorkspace(dir, 'tables');
  for (const folder of list(tablesDir)) {
    if (!TABLE_NAME.test(folder)) continue;
    const td = insideWorkspace(tablesDir, folder);
    if (!isDir(td)) continue;
    for (const name of list(td)) {
      const garbage = (EXTENT_ID.test(name) && !keep.has(`${folder}/${name}`)) || TEMP.test(name) || (name === 'schema.json' && !tables.has(folder));
      if (garbage) rmSync(insideWorkspace(td, name), { recursive: true, force: true });
    }
    if (!tables.has(folder) && list(td).length === 0) rmSync(td, { recursive: true, force: true });
  }

  const segments = (sub: string, listed: readonly string[]) => {
    const d = insideWorkspace(dir, sub);
    const wanted = new Set(listed);
    for (const name of list(d)) {
      const ours = name.endsWith('.ndjson') || TEMP.test(name) || (sub === 'quarantine' && name === 'index.json');
      if (ours && !wanted.has(name)) rmSync(insideWorkspace(d, name), { force: true });
    }
  };
  segments('quarantine', m.quarantine.segments);
  segments('ledger', m.ledger);
  for (const name of list(dir)) if (name.startsWith(`${MANIFEST_FILE}.tmp`) || name.startsWith('ingest-log.json')) rmSync(insideWorkspace(dir, name), { force: true });
  // from before the manifest: the ledger (now in ledger/) and the journals of ingests that did not finish
  // (their extents were left out when the manifest was made)
  rmSync(insideWorkspace(dir, 'pending'), { recursive: true, force: true });
  return retired;
}

function list(d: string): string[] {
  try {
    return readdirSync(d);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
