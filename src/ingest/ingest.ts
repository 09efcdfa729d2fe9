/**
 * `kqlite ingest`: files, folders and globs of exports into the workspace. Each file is streamed (gunzipped
 * on the fly, hashed as it flows): detect the format, read records in batches, place each in its table,
 * coerce to the table's schema, and write an extent whenever a table has `rowsPerExtent` rows pending (or
 * all pending cells reach a budget), so memory stays bounded whatever the file's size. A record that cannot
 * be read or coerced goes to quarantine with its file, line/offset and reason: `read N = loaded L +
 * quarantined Q` holds exactly. Content hashes make re-ingesting a file a no-op; a file that fails part way
 * is undone (its extents dropped, its quarantine discarded), so the workspace holds whole files only.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { insideWorkspace } from '../common/workspace-dir.js';
import { VALID_TABLE } from './file-load.js';
import { emptyReport, readFileIntoExtents, type FileResult } from './ingest-file.js';
import { IngestPool } from './ingest-pool.js';
import { SPLIT_MIN_BYTES, type SplitOptions } from './ingest-split.js';
import { cleanAbandoned } from './pending.js';
import { publishQuarantine, writeJsonAtomic } from './quarantine.js';
import { FORMATS, type Format } from './readers.js';
import { fingerprint, hashFile } from './source.js';
import type { Workspace } from './workspace.js';

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
}

export interface IngestReport {
  files: FileReport[];
  read: number;
  loaded: number;
  quarantined: number;
  refusedFiles: number;
  skippedFiles: number;
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
}

const EXPORT_FILE = /\.(json|jsonl|ndjson|csv|tsv|parquet)(\.gz)?$/i;
export { MAX_GZIPPED_PARQUET_BYTES } from './ingest-file.js';
export { tableFromFileName } from './file-load.js';

/** Files named by the arguments: files, folders (recursively) and `*`/`?` globs in the last path part. */
export function expandPaths(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (EXPORT_FILE.test(e.name)) files.push(p);
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    if (/[*?]/.test(basename(abs))) {
      const re = new RegExp('^' + basename(abs).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
      const dir = dirname(abs);
      const hits = existsSync(dir) ? readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => join(dir, n)) : [];
      if (!hits.length) missing.push(p);
      files.push(...hits);
    } else if (!existsSync(abs)) missing.push(p);
    else if (statSync(abs).isDirectory()) walk(abs);
    else files.push(abs);
  }
  return { files: [...new Set(files)], missing };
}

interface LedgerEntry {
  file: string;
  at: string;
  loaded: number;
  quarantined: number;
  /** Size and SHA-256 of the first MiB: a new file is told apart without hashing it first. */
  size?: number;
  fingerprint?: string;
}
type Ledger = Record<string, LedgerEntry>;

const ledgerPath = (ws: Workspace) => insideWorkspace(ws.dir, 'ingest-log.json');
function readLedger(ws: Workspace): Ledger {
  const p = ledgerPath(ws);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Ledger) : {};
}

const PARALLEL_MIN_BYTES = 16 << 20;

export async function ingestPaths(ws: Workspace, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestReport> {
  if (opts.format && opts.format !== 'auto' && !(FORMATS as readonly string[]).includes(opts.format)) {
    throw new Error(`--format must be auto or one of ${FORMATS.join(', ')}, not '${opts.format}'`);
  }
  if (opts.table && !VALID_TABLE.test(opts.table)) throw new Error(`'${opts.table}' is not a valid table name`);
  const { files, missing } = expandPaths(paths);
  if (missing.length) throw new Error(`no such file or folder: ${missing.join(', ')}`);
  const sizes = files.map((f) => statSync(f).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const workers = Math.max(1, Math.min(files.length, opts.workers ?? (files.length > 1 && total >= PARALLEL_MIN_BYTES ? availableParallelism() : 1)));
  cleanAbandoned(ws);
  const books = new Books(ws, files, sizes, opts);
  if (workers > 1) await ingestInParallel(books, workers);
  else {
    // files read one after another: a large one is split across threads (ingest-split.ts)
    const threads = opts.workers ?? availableParallelism();
    const minBytes = opts.splitMinBytes ?? SPLIT_MIN_BYTES;
    const pool = threads > 1 && sizes.some((s) => s >= minBytes) ? new IngestPool(ws.dir, threads) : undefined;
    const split = pool && { pool, threads, minBytes, ...(opts.splitBlockBytes ? { blockBytes: opts.splitBlockBytes } : {}) };
    try {
      for (let i = 0; i < files.length; i++) await ingestHere(books, i, split);
    } finally {
      await pool?.close();
    }
  }
  return books.report();
}

/** One file read in this thread (sequential ingest, and files that must run alone after a parallel pass). */
async function ingestHere(books: Books, i: number, split?: SplitOptions): Promise<void> {
  const seen = await books.seenBefore(i);
  if (seen.skipped) return books.done(i, { fr: seen.skipped }, seen);
  const read = (s?: SplitOptions) => readFileIntoExtents(books.ws, books.files[i]!, books.sizes[i]!, books.readOptions(false), (bytes, records) => books.progress(i, bytes, records), seen.hash, s);
  let res = await read(split);
  // a split file whose lines add a table or a column is read again by this thread alone
  if (res.needsAlone) res = await read();
  books.done(i, res, seen);
}

/**
 * Files on worker threads, several at once. Each loads with the table schemas frozen: a file that would add
 * a table or a column is given up by its worker (nothing kept) and read again afterwards, alone and in order,
 * so every schema change happens as in a sequential ingest and the files loaded beside each other do not
 * depend on each other's order. Two files that may hold the same content (same size and first MiB) never run
 * at once: the later one waits and is then told a re-ingest by the ledger, as it would be sequentially.
 */
async function ingestInParallel(books: Books, workers: number): Promise<void> {
  const pool = new IngestPool(books.ws.dir, workers);
  const alone: number[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  try {
    for (let i = 0; i < books.files.length; i++) {
      while (running.size >= workers) await Promise.race(running);
      const key = `${books.sizes[i]}:${fingerprint(books.files[i]!)}`;
      const before = inFlight.get(key);
      const job = (async () => {
        if (before) await before;
        const seen = await books.seenBefore(i);
        if (seen.skipped) return books.done(i, { fr: seen.skipped }, seen);
        const res = await pool.run(books.files[i]!, books.sizes[i]!, books.readOptions(true), seen.hash, (bytes, records) => books.progress(i, bytes, records));
        if (res.needsAlone) alone.push(i);
        else books.done(i, res, seen);
      })();
      inFlight.set(key, job);
      const tracked = job.finally(() => running.delete(tracked));
      running.add(tracked);
    }
    await Promise.all(running);
  } finally {
    await pool.close();
  }
  for (const i of alone.sort((a, b) => a - b)) await ingestHere(books, i);
}

/** The run's books: ledger, per-file reports, progress. Only this thread writes the ledger and quarantine index. */
class Books {
  private readonly ledger: Ledger;
  private readonly reports: (FileReport | undefined)[];
  private readonly live = new Map<number, { bytes: number; records: number }>();
  private bytesDone = 0;
  private recordsDone = 0;

  constructor(readonly ws: Workspace, readonly files: string[], readonly sizes: number[], private readonly opts: IngestOptions) {
    this.ledger = readLedger(ws);
    this.reports = files.map(() => undefined);
  }

  readOptions(frozen: boolean) {
    const o = this.opts;
    return {
      ...(o.table ? { table: o.table } : {}), ...(o.format ? { format: o.format } : {}), ...(o.rowsPerExtent ? { rowsPerExtent: o.rowsPerExtent } : {}),
      ...(o.cellsPerFlush ? { cellsPerFlush: o.cellsPerFlush } : {}), ...(o.columnar === false ? { columnar: false } : {}), schemaFrozen: frozen,
    };
  }

  /** Whether the ledger already holds this content; hashes the file up front only when it may. */
  async seenBefore(i: number): Promise<{ hash?: string; fingerprint: string; skipped?: FileReport }> {
    const file = this.files[i]!;
    const size = this.sizes[i]!;
    const fp = fingerprint(file);
    // entries written before fingerprints existed have no size: any file may match them
    const maybe = Object.values(this.ledger).some((e) => e.size === undefined || (e.size === size && e.fingerprint === fp));
    if (!maybe || this.opts.force) return { fingerprint: fp };
    const hash = await hashFile(file);
    const entry = this.ledger[hash];
    if (!entry) return { hash, fingerprint: fp };
    const fr = emptyReport(file);
    fr.skipped = `already ingested on ${entry.at} (same content as ${entry.file}); use --force to load it again`;
    return { hash, fingerprint: fp, skipped: fr };
  }

  progress(i: number, bytes: number, records: number): void {
    this.live.set(i, { bytes: Math.min(bytes, this.sizes[i]!), records });
    if (!this.opts.onProgress) return;
    let b = this.bytesDone;
    let r = this.recordsDone;
    for (const l of this.live.values()) {
      b += l.bytes;
      r += l.records;
    }
    this.opts.onProgress({ bytesDone: b, bytesTotal: this.sizes.reduce((a, x) => a + x, 0), records: r, file: this.files[i]!, fileIndex: i, files: this.files.length });
  }

  /** A file is finished: a whole one is committed (quarantine published, ledger entry), any other reported. */
  done(i: number, res: FileResult, seen: { fingerprint: string }): void {
    const { fr } = res;
    if (res.hash && !fr.refused && !fr.skipped) {
      if (res.quarantine) publishQuarantine(this.ws, res.quarantine, res.hash);
      if (res.journal) rmSync(res.journal, { force: true });
      this.ledger[res.hash] = { file: fr.file, at: new Date().toISOString(), loaded: fr.loaded, quarantined: fr.quarantined, size: this.sizes[i]!, fingerprint: seen.fingerprint };
      writeJsonAtomic(ledgerPath(this.ws), this.ledger);
    }
    this.live.delete(i);
    this.bytesDone += this.sizes[i]!;
    this.recordsDone += fr.read;
    this.reports[i] = fr;
  }

  report(): IngestReport {
    const report: IngestReport = { files: [], read: 0, loaded: 0, quarantined: 0, refusedFiles: 0, skippedFiles: 0 };
    for (const fr of this.reports) {
      if (!fr) continue;
      report.files.push(fr);
      if (fr.skipped) report.skippedFiles++;
      else if (fr.refused) report.refusedFiles++;
      report.read += fr.read;
      report.loaded += fr.loaded;
      report.quarantined += fr.quarantined;
    }
    return report;
  }
}

export { readQuarantine } from './quarantine.js';
