/**
 * The quarantine: records set aside at ingest. Entries stream to a hidden partial file while a file is read
 * (a file of nothing but bad lines must not fill memory); a commit writes the partial files of the files it
 * commits as one segment under `quarantine/`, which the manifest lists with the per-table counts, so the
 * records and the counts appear together with the rows, and an ingest that is undone or killed leaves none.
 */
import { appendFileSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { lazyPackage } from '../common/lazy-package.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import { fsyncPath } from './durable.js';
import { WorkspaceError } from './errors.js';

export interface QuarantineEntry {
  file: string;
  /** 1-based line (line formats, CSV). */
  line?: number;
  /** 0-based record index (JSON documents, Event Hubs messages within a line, Parquet). */
  offset?: number;
  /** Byte of the stored file where an unreadable part begins (a damaged .gz), and how many bytes it holds. */
  byte?: number;
  bytes?: number;
  table?: string;
  reason: string;
  raw?: string;
}

/** node:worker_threads on first use (a partial file's name): reading a workspace never loads it. */
const workerThreads = lazyPackage<typeof WorkerThreads>('node:worker_threads');

const BUFFERED = 1000;
let partials = 0;

export class QuarantineWriter {
  count = 0;
  private buffer: string[] = [];
  private readonly perTable = new Map<string, number>();
  private readonly dir: string;
  private readonly partial: string;

  constructor(wsDir: string) {
    this.dir = insideWorkspace(wsDir, 'quarantine');
    // the thread id too: worker threads share the pid and each counts its own partials
    this.partial = insideWorkspace(this.dir, `.partial-${process.pid}-${workerThreads().threadId}-${++partials}.ndjson`);
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

/**
 * Writes the sealed entries of the files of one commit as the segment `quarantine/<name>`, flushed (the
 * manifest that lists it is written after). One partial file is renamed into place; several are copied one
 * after the other. The partial files are removed by the caller once the commit is done.
 */
export function writeQuarantineSegment(dir: string, name: string, parts: readonly SealedQuarantine[]): void {
  const path = insideWorkspace(dir, 'quarantine', name);
  rmSync(path, { force: true });
  const full = parts.filter((q) => q.count);
  let linked = false;
  if (full.length === 1) {
    fsyncPath(full[0]!.partial);
    try {
      linkSync(full[0]!.partial, path);
      linked = true;
    } catch {
      // a file system without hard links: copied below
    }
  }
  if (!linked) {
    const to = openSync(path, 'wx');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (const q of full) {
        const from = openSync(q.partial, 'r');
        try {
          for (let got = readSync(from, buf); got > 0; got = readSync(from, buf)) writeSync(to, buf, 0, got);
        } finally {
          closeSync(from);
        }
      }
      fsyncSync(to);
    } finally {
      closeSync(to);
    }
  }
  fsyncPath(insideWorkspace(dir, 'quarantine'), true);
}

/** The committed quarantined records (`only`: of one table, case-insensitive, and/or files whose path holds a text), ingested file by ingested file, each one's by position in it. */
export function readQuarantine(ws: { dir: string; snapshot(): { quarantineSegments(): readonly string[] } }, only: { table?: string; file?: string } = {}): Record<string, unknown>[] {
  const table = only.table?.toLowerCase();
  const wanted = (e: Record<string, unknown>) => (!table || String(e['table'] ?? '').toLowerCase() === table) && (!only.file || String(e['file']).includes(only.file));
  return ws.snapshot().quarantineSegments().flatMap((f) => byPosition(readSegment(insideWorkspace(ws.dir, 'quarantine', f)).filter(wanted)));
}

function readSegment(path: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new WorkspaceError(`the quarantine file ${path} listed in the workspace manifest cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Restore it from a backup, or remove its name from "quarantine" in manifest.json (its records are then no longer shown).`);
  }
  const out: Record<string, unknown>[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (!l) continue;
    try {
      out.push(JSON.parse(l) as Record<string, unknown>);
    } catch (err) {
      throw new WorkspaceError(`the quarantine file ${path} is damaged at line ${line} (${(err as Error).message}). Restore it from a backup, or delete that line.`);
    }
  }
  return out;
}

/**
 * A segment's entries file by file (in the order the files come), each file's by where they are in it: line
 * (or record index), then the unreadable parts of a damaged file by byte. Entries come in that order from one
 * thread; a file split across threads (ingest-split.ts) writes each thread's in turn. Stable, so entries at
 * one position keep their order.
 */
function byPosition(entries: Record<string, unknown>[]): Record<string, unknown>[] {
  const files = new Map<unknown, number>();
  for (const e of entries) if (!files.has(e['file'])) files.set(e['file'], files.size);
  const at = (e: Record<string, unknown>) => (typeof e['line'] === 'number' ? e['line'] : typeof e['offset'] === 'number' ? e['offset'] : Number.MAX_SAFE_INTEGER);
  const by = (e: Record<string, unknown>) => (typeof e['byte'] === 'number' ? e['byte'] : 0);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => files.get(a.e['file'])! - files.get(b.e['file'])! || at(a.e) - at(b.e) || by(a.e) - by(b.e) || a.i - b.i)
    .map((x) => x.e);
}
