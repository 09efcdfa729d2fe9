/**
 * The quarantine: records set aside at ingest, one NDJSON file per ingested file (named by its content hash)
 * plus per-table counts in `quarantine/index.json`. Entries stream to a hidden partial file while the file is
 * read (a file of nothing but bad lines must not fill memory) and are published by rename when it is done;
 * the counts change only then, so an ingest that is undone leaves no trace.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { Workspace } from './workspace.js';

export interface QuarantineEntry {
  file: string;
  /** 1-based line (line formats, CSV). */
  line?: number;
  /** 0-based record index (JSON documents, Event Hubs messages within a line, Parquet). */
  offset?: number;
  /** Byte of the stored file where an unreadable part begins (a damaged .gz). */
  byte?: number;
  table?: string;
  reason: string;
  raw?: string;
}

const BUFFERED = 1000;
let partials = 0;

export class QuarantineWriter {
  count = 0;
  private buffer: string[] = [];
  private readonly perTable = new Map<string, number>();
  private readonly dir: string;
  private readonly partial: string;

  constructor(private readonly ws: Workspace) {
    this.dir = insideWorkspace(ws.dir, 'quarantine');
    // the thread id too: worker threads share the pid and each counts its own partials
    this.partial = insideWorkspace(this.dir, `.partial-${process.pid}-${threadId}-${++partials}.ndjson`);
  }

  add(entry: QuarantineEntry): void {
    this.buffer.push(JSON.stringify(entry));
    this.count++;
    const t = entry.table ?? '(no table)';
    this.perTable.set(t, (this.perTable.get(t) ?? 0) + 1);
    if (this.buffer.length >= BUFFERED) this.flush();
  }

  private flush(): void {
    if (!this.buffer.length) return;
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(this.partial, this.buffer.join('\n') + '\n');
    this.buffer = [];
  }

  /** Publishes the entries under the file's content hash and adds them to the per-table counts. */
  commit(hash: string): void {
    publishQuarantine(this.ws, this.seal(), hash);
  }

  /** Everything written to the partial file: what `publishQuarantine` needs (possibly on another thread). */
  seal(): SealedQuarantine {
    this.flush();
    return { partial: this.partial, count: this.count, perTable: [...this.perTable] };
  }

  /** Takes over another writer's sealed entries (a part of this file read on another thread): appended to
   * this writer's partial file, in slices, and counted; the other partial file is removed. */
  absorb(q: SealedQuarantine): void {
    if (q.count) {
      this.flush();
      mkdirSync(this.dir, { recursive: true });
      const from = openSync(q.partial, 'r');
      const to = openSync(this.partial, 'a');
      try {
        const buf = Buffer.allocUnsafe(1 << 20);
        for (let got = readSync(from, buf); got > 0; got = readSync(from, buf)) writeSync(to, buf, 0, got);
      } finally {
        closeSync(from);
        closeSync(to);
      }
      this.count += q.count;
      for (const [t, n] of q.perTable) this.perTable.set(t, (this.perTable.get(t) ?? 0) + n);
    }
    rmSync(q.partial, { force: true });
  }

  discard(): void {
    this.buffer = [];
    rmSync(this.partial, { force: true });
  }
}

export interface SealedQuarantine {
  partial: string;
  count: number;
  perTable: [table: string, count: number][];
}

/** Renames a sealed partial file to the file's content hash and adds its counts to the index (one thread only). */
export function publishQuarantine(ws: Workspace, q: SealedQuarantine, hash: string): void {
  if (!q.count) return;
  const dir = insideWorkspace(ws.dir, 'quarantine');
  let name = `${hash.slice(0, 16)}.ndjson`;
  for (let n = 2; existsSync(join(dir, name)); n++) name = `${hash.slice(0, 16)}-${n}.ndjson`; // the same file loaded again (--force)
  renameSync(q.partial, insideWorkspace(dir, name));
  const indexFile = insideWorkspace(dir, 'index.json');
  const index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, number>) : {};
  for (const [t, n] of q.perTable) index[t] = (index[t] ?? 0) + n;
  writeJsonAtomic(indexFile, index);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(file + '.tmp', JSON.stringify(value, null, 1));
  renameSync(file + '.tmp', file);
}

/** The quarantined records of the workspace (`only`: of one table, case-insensitive, and/or files whose path holds a text), ingested file by ingested file, each one's by position in it. */
export function readQuarantine(ws: Workspace, only: { table?: string; file?: string } = {}): Record<string, unknown>[] {
  const dir = insideWorkspace(ws.dir, 'quarantine');
  if (!existsSync(dir)) return [];
  const table = only.table?.toLowerCase();
  const wanted = (e: Record<string, unknown>) => (!table || String(e['table'] ?? '').toLowerCase() === table) && (!only.file || String(e['file']).includes(only.file));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson') && !f.startsWith('.'))
    .sort()
    .flatMap((f) => byPosition(readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter(wanted)));
}

/**
 * One file's entries by where they are in it: line (or record index), then the unreadable rest of a damaged
 * file by byte. Entries come in that order from one thread; a file split across threads (ingest-split.ts)
 * writes each thread's in turn. Stable, so entries at one position keep their order.
 */
function byPosition(entries: Record<string, unknown>[]): Record<string, unknown>[] {
  const at = (e: Record<string, unknown>) => (typeof e['line'] === 'number' ? e['line'] : typeof e['offset'] === 'number' ? e['offset'] : Number.MAX_SAFE_INTEGER);
  return entries.map((e, i) => ({ e, i })).sort((a, b) => at(a.e) - at(b.e) || a.i - b.i).map((x) => x.e);
}
