/**
 * `kqlite ingest`: files, folders and globs of exports into the workspace. Each file is streamed (gunzipped
 * on the fly, hashed as it flows): detect the format, read records in batches, place each in its table,
 * coerce to the table's schema, and write an extent whenever a table has `rowsPerExtent` rows pending (or
 * all pending cells reach a budget), so memory stays bounded whatever the file's size. A record that cannot
 * be read or coerced goes to quarantine with its file, line/offset and reason: `read N = loaded L +
 * quarantined Q` holds exactly. Content hashes make re-ingesting a file a no-op; a file that fails part way
 * is undone (its extents dropped, its quarantine discarded), so the workspace holds whole files only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { insideWorkspace } from '../common/workspace-dir.js';
import { DEFENDER_TABLES } from '../kql/semantics/catalog.js';
import { CoercionError } from './coerce.js';
import { TableAccumulator } from './accumulate.js';
import { QuarantineWriter, writeJsonAtomic } from './quarantine.js';
import { detectFormat, FORMATS, readParquet, readRecords, type Format, type RecordItem } from './readers.js';
import { fingerprint, hashFile, openSource, UnreadableFileError, type Source } from './source.js';
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
  skipped?: string;
  refused?: string;
  /** Columns outside the table's schema, kept, per table. */
  extraColumns: Record<string, string[]>;
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
}

const KNOWN = new Map(DEFENDER_TABLES.map((t) => [(t.name ?? '').toLowerCase(), t]));
const EXPORT_FILE = /\.(json|jsonl|ndjson|csv|tsv|parquet)(\.gz)?$/i;
/** Parquet needs random access: a gzipped one is decompressed in memory, so only up to this size. */
export const MAX_GZIPPED_PARQUET_BYTES = 512 << 20;

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

/** A table name from a file name such as `DeviceNetworkEvents.csv` or `DeviceProcessEvents_2024-05.json.gz`. */
export function tableFromFileName(file: string): string | undefined {
  const stem = basename(file).replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '');
  const m = /^([A-Za-z]+)/.exec(stem);
  const k = m?.[1]?.toLowerCase();
  return k && KNOWN.has(k) ? KNOWN.get(k)!.name : undefined;
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

export async function ingestPaths(ws: Workspace, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestReport> {
  if (opts.format && opts.format !== 'auto' && !(FORMATS as readonly string[]).includes(opts.format)) {
    throw new Error(`--format must be auto or one of ${FORMATS.join(', ')}, not '${opts.format}'`);
  }
  if (opts.table && !VALID_TABLE.test(opts.table)) throw new Error(`'${opts.table}' is not a valid table name`);
  const { files, missing } = expandPaths(paths);
  if (missing.length) throw new Error(`no such file or folder: ${missing.join(', ')}`);
  const sizes = files.map((f) => statSync(f).size);
  const progress = { bytesDone: 0, bytesTotal: sizes.reduce((a, b) => a + b, 0), records: 0, file: '', fileIndex: 0, files: files.length };
  const report: IngestReport = { files: [], read: 0, loaded: 0, quarantined: 0, refusedFiles: 0, skippedFiles: 0 };
  const ledger = readLedger(ws);
  for (let i = 0; i < files.length; i++) {
    const before = progress.bytesDone;
    Object.assign(progress, { file: files[i]!, fileIndex: i });
    const fr = await ingestFile(ws, files[i]!, sizes[i]!, ledger, opts, (bytes, records) => {
      progress.bytesDone = before + Math.min(bytes, sizes[i]!);
      progress.records = records;
      opts.onProgress?.({ ...progress });
    }, progress.records);
    progress.bytesDone = before + sizes[i]!;
    report.files.push(fr);
    if (fr.skipped) report.skippedFiles++;
    else if (fr.refused) report.refusedFiles++;
    report.read += fr.read;
    report.loaded += fr.loaded;
    report.quarantined += fr.quarantined;
  }
  return report;
}

/** Whether the ledger already holds this content; hashes the file up front only when it may. */
async function seenBefore(file: string, size: number, ledger: Ledger, force: boolean): Promise<{ hash?: string; entry?: LedgerEntry; fingerprint: string }> {
  const fp = fingerprint(file);
  // entries written before fingerprints existed have no size: any file may match them
  const maybe = Object.values(ledger).some((e) => e.size === undefined || (e.size === size && e.fingerprint === fp));
  if (!maybe || force) return { fingerprint: fp };
  const hash = await hashFile(file);
  return { hash, fingerprint: fp, ...(ledger[hash] ? { entry: ledger[hash] } : {}) };
}

async function ingestFile(ws: Workspace, file: string, size: number, ledger: Ledger, opts: IngestOptions, progress: (bytes: number, records: number) => void, recordsBefore: number): Promise<FileReport> {
  const fr: FileReport = { file, read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {}, inferredTables: [] };
  const seen = await seenBefore(file, size, ledger, !!opts.force);
  if (seen.entry && !opts.force) {
    fr.skipped = `already ingested on ${seen.entry.at} (same content as ${seen.entry.file}); use --force to load it again`;
    return fr;
  }
  const forced = opts.format && opts.format !== 'auto' ? (opts.format as Format) : undefined;
  let src: Source | undefined;
  let batches: AsyncGenerator<RecordItem[]>;
  try {
    if ((forced ?? detectFormat(file, '')) === 'parquet') {
      fr.format = 'parquet';
      batches = readParquet(parquetInput(file, size), (f) => progress(f * size, recordsBefore + fr.read));
    } else {
      src = await openSource(file, (bytes) => progress(bytes, recordsBefore + fr.read));
      fr.format = forced ?? detectFormat(file, src.head);
      batches = readRecords(src, fr.format, /\.tsv(\.gz)?$/i.test(file) ? '\t' : ',');
    }
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    fr.refused = e.message;
    return fr;
  }
  const load = new FileLoad(ws, file, fr, opts);
  try {
    for await (const batch of batches) {
      if (!load.add(batch)) break;
      if (src) progress(src.rawBytes, recordsBefore + fr.read); // Parquet reports per row group itself
    }
    if (fr.refused) {
      src?.close();
      load.undo();
      return fr;
    }
    if (src?.damage) load.damaged(src.damage.offset, src.damage.message);
    load.finish();
    const hash = seen.hash ?? (src ? await src.digest() : await hashFile(file));
    load.quarantine.commit(hash);
    ledger[hash] = { file, at: new Date().toISOString(), loaded: fr.loaded, quarantined: fr.quarantined, size, fingerprint: seen.fingerprint };
    writeJsonAtomic(ledgerPath(ws), ledger);
    return fr;
  } catch (e) {
    src?.close();
    load.undo();
    fr.refused = `${e instanceof Error ? e.message : String(e)} (nothing of this file was kept)`;
    return fr;
  }
}

function parquetInput(file: string, size: number): string | ArrayBuffer {
  if (!/\.gz$/i.test(file)) return file;
  if (size > MAX_GZIPPED_PARQUET_BYTES) throw new UnreadableFileError(`a gzipped Parquet file is read whole and ${file} is over ${MAX_GZIPPED_PARQUET_BYTES >> 20} MiB; decompress it first`);
  const bytes = gunzipSync(readFileSync(file));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const VALID_TABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const at = (item: RecordItem) => ({ ...(item.line !== undefined ? { line: item.line } : {}), ...(item.offset !== undefined ? { offset: item.offset } : {}) });

/** The records of one file on their way into the workspace: pending rows per table, extents written, quarantine. */
class FileLoad {
  readonly quarantine: QuarantineWriter;
  private readonly pending = new Map<string, TableAccumulator>();
  private readonly written: { table: string; id: string }[] = [];
  private readonly fallbackTable: string | undefined;
  private readonly rowsPerExtent: number;
  private readonly cellsPerFlush: number;
  private seenReadable = false;

  constructor(private readonly ws: Workspace, private readonly file: string, private readonly fr: FileReport, opts: IngestOptions) {
    this.quarantine = new QuarantineWriter(ws);
    this.fallbackTable = opts.table ?? tableFromFileName(file);
    this.rowsPerExtent = opts.rowsPerExtent ?? 1_000_000;
    this.cellsPerFlush = opts.cellsPerFlush ?? 32_000_000;
  }

  /** Takes a batch; false when the file is refused (no table can be told for its records). */
  add(batch: RecordItem[]): boolean {
    const fr = this.fr;
    for (const item of batch) {
      const table = item.table ?? this.fallbackTable;
      if (!item.problem && !table && !this.seenReadable) {
        fr.refused = `cannot tell which table the rows belong to: the records name none (no Defender 'category', no Sentinel 'Type'), the file name does not start with a known table name, and no --table was given`;
        fr.read = 0;
        return false;
      }
      fr.read++;
      if (item.problem || !table) {
        this.setAside(item, table, item.problem ?? 'the record names no table (no Defender category, no Sentinel Type) unlike the records before it');
        continue;
      }
      if (!VALID_TABLE.test(table)) {
        this.setAside({ ...item, raw: JSON.stringify(item.row).slice(0, 2000) }, undefined, `'${table}' is not a valid table name (letters, digits and _ only)`);
        continue;
      }
      this.seenReadable = true;
      let acc = this.pending.get(table);
      if (!acc) {
        acc = new TableAccumulator(table, this.ws.schema(table) ?? KNOWN.get(table.toLowerCase()), item.row!);
        this.pending.set(table, acc);
        if (!KNOWN.has(table.toLowerCase()) && !fr.inferredTables.includes(acc.schema.name!)) fr.inferredTables.push(acc.schema.name!);
      }
      try {
        acc.add(item.row!);
      } catch (e) {
        if (!(e instanceof CoercionError)) throw e;
        this.setAside({ ...item, raw: JSON.stringify(item.row).slice(0, 2000) }, table, e.message);
        continue;
      }
      if (acc.rows >= this.rowsPerExtent) this.flush(acc);
    }
    let cells = 0;
    for (const p of this.pending.values()) cells += p.rows * p.schema.columns.length;
    if (cells >= this.cellsPerFlush) for (const p of this.pending.values()) this.flush(p);
    return true;
  }

  private setAside(item: RecordItem, table: string | undefined, reason: string): void {
    this.quarantine.add({ file: this.file, ...at(item), ...(table ? { table } : {}), reason, ...(item.raw ? { raw: item.raw } : {}) });
    this.fr.quarantined++;
  }

  /** The compressed stream broke part way: what followed is one unreadable part of the file. */
  damaged(byte: number, message: string): void {
    this.fr.read++;
    this.quarantine.add({ file: this.file, byte, reason: `the compressed stream is damaged at byte ${byte} (${message}); the rest of the file could not be read` });
    this.fr.quarantined++;
  }

  private flush(acc: TableAccumulator): void {
    if (!acc.rows) return;
    const name = acc.schema.name!;
    const rows = acc.rows;
    const meta = this.ws.append(name, acc.schema, acc.take(), basename(this.file));
    this.written.push({ table: name, id: meta.id });
    const fr = this.fr;
    fr.extents++;
    fr.tables[name] = (fr.tables[name] ?? 0) + rows;
    fr.loaded += rows;
  }

  finish(): void {
    for (const p of this.pending.values()) {
      this.flush(p);
      if (p.extra.length) this.fr.extraColumns[p.schema.name!] = p.extra;
    }
  }

  /** Drops what this file wrote: its extents and its quarantine. */
  undo(): void {
    for (const w of this.written) this.ws.dropExtent(w.table, w.id);
    this.quarantine.discard();
    Object.assign(this.fr, { read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {} });
  }
}

export { readQuarantine } from './quarantine.js';
