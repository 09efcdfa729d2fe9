/**
 * Extents of files still being read, journalled under `pending/` so that an ingest killed part way (SIGKILL,
 * power loss: no chance to undo) leaves no extents behind without a ledger entry. Each file being read has a
 * journal `pending/<pid>-<thread>-<n>.ndjson` listing its extents as they are written; it is removed when the
 * file is committed to the ledger (just before, so a kill in between leaves extents, never a ledger entry
 * without them) or undone. The next ingest drops the extents of journals whose process is gone, and the
 * partial quarantine files those processes left.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { Workspace } from './workspace.js';

let journals = 0;

export class PendingJournal {
  private path: string | undefined;

  constructor(private readonly ws: Workspace) {}

  /** Where this file's journal is (once it has an extent). */
  get file(): string | undefined {
    return this.path;
  }

  record(table: string, id: string): void {
    if (!this.path) {
      const dir = insideWorkspace(this.ws.dir, 'pending');
      mkdirSync(dir, { recursive: true });
      this.path = insideWorkspace(dir, `${process.pid}-${threadId}-${++journals}.ndjson`);
    }
    appendFileSync(this.path, JSON.stringify([table, id]) + '\n');
  }

  clear(): void {
    if (this.path) rmSync(this.path, { force: true });
    this.path = undefined;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Drops what ingests that died part way left: their journalled extents and partial quarantine files. */
export function cleanAbandoned(ws: Workspace): number {
  let dropped = 0;
  const dir = insideWorkspace(ws.dir, 'pending');
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const pid = Number(name.split('-')[0]);
      if (!Number.isInteger(pid) || alive(pid)) continue;
      const path = insideWorkspace(dir, name);
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        const [table, id] = JSON.parse(line) as [string, string];
        if (existsSync(insideWorkspace(ws.dir, 'tables', table, id))) {
          ws.dropExtent(table, id);
          dropped++;
        }
      }
      rmSync(path, { force: true });
    }
  }
  const q = insideWorkspace(ws.dir, 'quarantine');
  if (existsSync(q)) {
    for (const name of readdirSync(q)) {
      const m = /^\.partial-(\d+)-/.exec(name);
      if (m && !alive(Number(m[1]))) rmSync(insideWorkspace(q, name), { force: true });
    }
  }
  return dropped;
}
