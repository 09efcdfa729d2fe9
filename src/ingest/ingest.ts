/**
 * `kqlite ingest`: files, folders and globs of exports into the workspace. Each file is streamed (gunzipped
 * on the fly, hashed as it flows): detect the format, read records in batches, place each in its table,
 * coerce to the table's schema, and write an extent whenever a table has `rowsPerExtent` rows pending (or
 * all pending cells reach a budget), so memory stays bounded whatever the file's size. A record that cannot
 * be read or coerced goes to quarantine with its file, line/offset and reason: `read N = loaded L +
 * quarantined Q` holds exactly. Content hashes make re-ingesting a file a no-op; a file that fails part way
 * is undone (its extents dropped, its quarantine discarded), so the workspace holds whole files only. The run
 * holds the workspace's writer (one at a time, src/store/writer.ts): finished files are committed in groups,
 * each commit one atomic step covering their rows, quarantine and ledger entries.
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { emptyReport, readFileIntoExtents } from './ingest-file.js';
import { IngestPool } from './ingest-pool.js';
import { SPLIT_MIN_BYTES, type SplitOptions } from './ingest-split.js';
import type { Workspace } from '../store/workspace.js';
import { WorkspaceWriter } from '../store/writer.js';
import { tableNameProblem } from '../store/manifest.js';
import { FORMATS, type Format } from './readers.js';
import { Books, type Head } from './ingest-books.js';

export interface FileReport {
  file: string;
  format?: Format;
  read: number;
  loaded: number;
  quarantined: number;
  tables: Record<string, number>;
  /** Extents written for this file. */
  extents: number;
  /** Threads that read the file, when it was split across several (ingest-split.ts). */
  threads?: number;
  skipped?: string;
  refused?: string;
  /** Columns outside the table's schema, kept, per table. */
  extraColumns: Record<string, string[]>;
  /** Rows written beside a record's own row (a Windows event's Defender row): in `tables`, not in `loaded`. */
  derived?: number;
  /** Tables without a known schema whose schema was inferred from the data. */
  inferredTables: string[];
  /** What the user should know of how the file was read (bytes that are not UTF-8, a file read from where it grew). */
  notes?: string[];
}

export interface IngestReport {
  files: FileReport[];
  read: number;
  loaded: number;
  quarantined: number;
  refusedFiles: number;
  skippedFiles: number;
  /** Why the run stopped before the end (the disk failed): files not committed are reported as refused. */
  stopped?: string;
  /** What the run changed from what was asked (e.g. fewer threads than --threads), said once. */
  notes?: string[];
}

export interface IngestProgress {
  /** Bytes of the files as stored (compressed for .gz) done so far, over all files. */
  bytesDone: number;
  bytesTotal: number;
  /** Records read so far, over all files. */
  records: number;
  file: string;
  fileIndex: number;
  files: number;
}

export interface IngestOptions {
  table?: string;
  format?: string;
  force?: boolean;
  /** Rows of one table pending before they are written as an extent (default 1,000,000). */
  rowsPerExtent?: number;
  /** Pending cells (rows × columns, all tables) before everything pending is written (default 32M). */
  cellsPerFlush?: number;
  /** Called often while reading (after every batch): throttle before drawing. */
  onProgress?: (p: IngestProgress) => void;
  /** Files read at once on worker threads (default: the cores, when there are several files and 16 MiB or
   * more; 1 reads in this thread). The result is the same either way, up to the order of extents. */
  workers?: number;
  /** false: CSV through the generic record path (a reference for tests of the columnar one). */
  columnar?: boolean;
  /** A single NDJSON file of a known table at least this large (as stored) is read by several threads
   * (default 16 MiB; the threads are `workers`, default the cores). */
  splitMinBytes?: number;
  /** Decoded bytes per block of a split file (default 4 MiB; tests make it small). */
  splitBlockBytes?: number;
  /** How long to wait for another writer of the workspace to finish (default 10 s). */
  waitMs?: number;
}

const EXPORT_FILE = /\.(json|jsonl|ndjson|csv|tsv|parquet|evtx|xml)(\.gz)?$/i;
export { MAX_GZIPPED_PARQUET_BYTES } from './ingest-file.js';
export { tableFromFileName } from './file-load.js';

/**
 * Files named by the arguments: files, folders (recursively) and `*`/`?` globs in the last path part. A path
 * that does not exist or cannot be read (a folder that cannot be listed, a broken link) is a problem, reported
 * by the caller; the others are still read.
 */
export function expandPaths(paths: readonly string[]): { files: string[]; problems: { path: string; reason: string }[] } {
  const files: string[] = [];
  const problems: { path: string; reason: string }[] = [];
  const why = (e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  const list = (d: string): string[] | undefined => {
    try {
      return readdirSync(d).sort((a, b) => a.localeCompare(b));
    } catch (e) {
      problems.push({ path: d, reason: why(e) });
      return undefined;
    }
  };
  const visit = (p: string, named: boolean) => {
    const export_ = named || EXPORT_FILE.test(basename(p));
    let st;
    try {
      // inside a folder a link to a folder is not followed (no loops); a named path always is
      st = named ? statSync(p) : lstatSync(p);
      if (st.isSymbolicLink()) {
        st = statSync(p);
        if (st.isDirectory()) return;
      }
    } catch (e) {
      if (export_) problems.push({ path: p, reason: why(e) });
      return;
    }
    if (st.isDirectory()) for (const n of list(p) ?? []) visit(join(p, n), false);
    else if (export_) files.push(p);
  };
  for (const p of paths) {
    const abs = resolve(p);
    if (/[*?]/.test(basename(abs))) {
      const re = new RegExp('^' + basename(abs).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
      const dir = dirname(abs);
      const hits = existsSync(dir) ? (list(dir) ?? []).filter((n) => re.test(n)).map((n) => join(dir, n)) : [];
      if (!hits.length) problems.push({ path: p, reason: 'no such file or folder' });
      for (const h of hits) visit(h, true);
    } else visit(abs, true);
  }
  return { files: [...new Set(files)], problems };
}

const PARALLEL_MIN_BYTES = 16 << 20;

export async function ingestPaths(ws: Workspace, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestReport> {
  if (opts.format && opts.format !== 'auto' && !(FORMATS as readonly string[]).includes(opts.format)) {
    throw new Error(`--format must be auto or one of ${FORMATS.join(', ')}, not '${opts.format}'`);
  }
  const tableProblem = opts.table ? tableNameProblem(opts.table) : undefined;
  if (tableProblem) throw new Error(tableProblem);
  const { files, problems } = expandPaths(paths);
  const unread = problems.map((p) => ({ ...emptyReport(p.path), refused: p.reason }));
  if (!files.length) return { files: unread, read: 0, loaded: 0, quarantined: 0, refusedFiles: unread.length, skippedFiles: 0 };
  const sizes = files.map((f) => statSync(f).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const workers = Math.max(1, Math.min(files.length, opts.workers ?? (files.length > 1 && total >= PARALLEL_MIN_BYTES ? availableParallelism() : 1)));
  const writer = WorkspaceWriter.open(ws.dir, { command: 'ingest', ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}) });
  const books = new Books(writer, files, sizes, opts);
  try {
    if (workers > 1) await ingestInParallel(books, workers);
    else {
      // files read one after another: a large one is split across threads (ingest-split.ts)
      const threads = opts.workers ?? availableParallelism();
      const minBytes = opts.splitMinBytes ?? SPLIT_MIN_BYTES;
      const pool = threads > 1 && sizes.some((s) => s >= minBytes) ? new IngestPool(ws.dir, threads) : undefined;
      const split = pool && { pool, threads, minBytes, ...(opts.splitBlockBytes ? { blockBytes: opts.splitBlockBytes } : {}) };
      try {
        for (let i = 0; i < files.length && !books.aborted; i++) await ingestHere(books, i, split);
      } finally {
        await pool?.close();
      }
    }
    books.commit(true);
    if (!books.aborted) books.compact(opts.rowsPerExtent);
  } finally {
    writer.close();
  }
  const report = books.report();
  return unread.length ? { ...report, files: [...unread, ...report.files], refusedFiles: report.refusedFiles + unread.length } : report;
}

/** One file read in this thread (sequential ingest, and files that must run alone after a parallel pass). */
async function ingestHere(books: Books, i: number, split?: SplitOptions, known?: Head): Promise<void> {
  const head = known ?? (await books.head(i));
  if (!('anchor' in head)) return books.unreadable(i, head);
  const seen = await books.seenBefore(i, head);
  if (seen.skipped) return books.done(i, { fr: seen.skipped }, seen);
  const read = (s?: SplitOptions) => readFileIntoExtents(books.writer, books.files[i]!, books.sizes[i]!, books.readOptions(false), (bytes, records) => books.progress(i, bytes, records), seen.cont, s);
  let res = await read(split);
  // a split file whose lines add a table or a column is read again by this thread alone
  if (res.needsAlone) res = await read();
  books.done(i, res, seen);
}

/**
 * Files on worker threads, several at once. Each loads with the table schemas frozen: a file that would add
 * a table or a column is given up by its worker (nothing kept) and read again afterwards, alone and in order,
 * so every schema change happens as in a sequential ingest and the files loaded beside each other do not
 * depend on each other's order. Two files that may hold the same content, or one the start of the other,
 * (their first lines agree, identity.ts) never run at once: the later one waits and is then told a re-ingest
 * or a grown file by the ledger, as it would be sequentially.
 */
async function ingestInParallel(books: Books, workers: number): Promise<void> {
  const pool = new IngestPool(books.writer.dir, workers);
  const alone: number[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  try {
    for (let i = 0; i < books.files.length && !books.aborted; i++) {
      while (running.size >= workers) await Promise.race(running);
      if (books.aborted) break;
      const head = await books.head(i);
      if (!('anchor' in head)) {
        books.unreadable(i, head);
        continue;
      }
      const before = [...head.hashes].flatMap((h) => inFlight.get(h) ?? []);
      const job = (async () => {
        await Promise.all(before);
        const seen = await books.seenBefore(i, head);
        if (seen.skipped) return books.done(i, { fr: seen.skipped }, seen);
        const res = await pool.run(books.files[i]!, books.sizes[i]!, books.readOptions(true), seen.cont, books.writer.schemas(), (bytes, records) => books.progress(i, bytes, records));
        if (res.needsAlone) alone.push(i);
        else books.done(i, res, seen);
      })();
      inFlight.set(head.anchor, job);
      const forget = () => void (inFlight.get(head.anchor) === job && inFlight.delete(head.anchor));
      job.then(forget, forget);
      const tracked = job.finally(() => running.delete(tracked));
      running.add(tracked);
    }
    await Promise.all(running);
  } finally {
    await pool.close();
  }
  for (const i of alone.sort((a, b) => a - b)) if (!books.aborted) await ingestHere(books, i);
}

export { readQuarantine } from '../store/quarantine.js';
