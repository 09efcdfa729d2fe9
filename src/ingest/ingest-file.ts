/**
 * Reading one file into extents, on whichever thread: open (gunzip, hash as it flows), detect the format,
 * stream its records into a FileLoad — CSV of a known table straight into columns (csv-splitter.ts +
 * csv-columns.ts), everything else as record objects — and write its extents. The ledger and the published
 * quarantine are not touched here: the caller commits both once the file is whole (ingest.ts), so files can
 * be read on worker threads while one thread keeps the books. A file that fails is undone here.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CsvColumns } from './csv-columns.js';
import { CsvSplitter } from './csv-splitter.js';
import type { Table } from '../engine/storage/column.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { FileLoad, SchemaChangeError, type LoadOptions, type LoadTarget } from './file-load.js';
import type { FileReport } from './ingest.js';
import { diskProblem } from '../store/errors.js';
import type { SealedQuarantine } from '../store/quarantine.js';
import type { StagedExtent } from '../store/writer.js';
import { readLinesInParts, SPLIT_MIN_BYTES, type SplitOptions } from './ingest-split.js';
import { NdjsonColumns } from './json-columns.js';
import { detectFormat, isDocumentLayout, readParquet, readRecords, type Format, type RecordItem } from './readers.js';
import { LineBytes } from './splitters.js';
import { lineFormat, resumePoint, type ContentIdentity } from './identity.js';
import { identityOfBytes, identityOfFile, openSource, PrefixMismatch, SameContent, UnreadableFileError, type Continuation, type Source } from './source.js';
import { readEvtxRecords, windowsJsonRecords, type EvtxLosses } from './windows/records.js';
import { xmlEventRecords } from './windows/xml-events.js';

/** Parquet needs random access: a gzipped one is decompressed in memory, so only up to this size. */
export const MAX_GZIPPED_PARQUET_BYTES = 512 << 20;

export interface ReadOptions extends LoadOptions {
  /** A format name from FORMATS, or auto/undefined. */
  format?: string;
  /** false: CSV through the generic record path (csv-parse), as a reference for the columnar one. */
  columnar?: boolean;
}

export interface FileResult {
  fr: FileReport;
  /** The file's content (hashes, length, anchor), when it was read to the end. */
  identity?: ContentIdentity;
  /** Line formats: where a grown version of it would continue. */
  resume?: { byte: number; line: number };
  /** The content hash of the earlier file this one continued (only its new part was loaded). */
  continued?: string;
  /** It was exactly the content it was expected to continue: nothing loaded. */
  same?: boolean;
  /** The last line set aside (a part's, merged into its file's). */
  lastSetAside?: number;
  quarantine?: SealedQuarantine;
  /** Extents written (not committed), a small file's rows, and the columns of each table loaded into. */
  extents?: StagedExtent[];
  rows?: { schema: TableSchema; table: Table }[];
  schemas?: TableSchema[];
  /** Loading beside other files would have changed a schema: nothing was kept; read it again alone. */
  needsAlone?: boolean;
  /** The file failed because the disk did (full, read-only, I/O error): said in words. The run stops. */
  diskFailure?: string;
}

export function emptyReport(file: string): FileReport {
  return { file, read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {}, inferredTables: [] };
}

/**
 * Reads `file` into extents; `progress(bytes, records)` is called after every batch or chunk. With `split`, a
 * large NDJSON file of a known table is read by several threads (ingest-split.ts). With `cont`, the file is
 * expected to be a grown version of one ingested before: only what follows it is loaded; if the file turns
 * out to start otherwise it is read whole, and if it is exactly that content, `same` says so (nothing loaded).
 */
export async function readFileIntoExtents(ws: LoadTarget, file: string, size: number, opts: ReadOptions, progress: (bytes: number, records: number) => void, cont?: Continuation, split?: SplitOptions): Promise<FileResult> {
  if (cont) {
    try {
      return await readOnce(ws, file, size, opts, progress, cont, split);
    } catch (e) {
      if (e instanceof SameContent) return { fr: emptyReport(file), same: true };
      if (!(e instanceof PrefixMismatch)) throw e;
      // not the earlier content after all: the whole file is new
    }
  }
  return readOnce(ws, file, size, opts, progress, undefined, split);
}

async function readOnce(ws: LoadTarget, file: string, size: number, opts: ReadOptions, progress: (bytes: number, records: number) => void, cont: Continuation | undefined, split?: SplitOptions): Promise<FileResult> {
  const fr = emptyReport(file);
  const forced = opts.format && opts.format !== 'auto' ? (opts.format as Format) : undefined;
  let src: (Source & { headBytes: Buffer }) | undefined;
  let batches: AsyncGenerator<RecordItem[]> | undefined;
  let whole: Uint8Array | undefined;
  try {
    if ((forced ?? detectFormat(file, '')) === 'parquet') {
      fr.format = 'parquet';
      const input = parquetInput(file, size);
      if (typeof input !== 'string') whole = new Uint8Array(input);
      batches = readParquet(input, (f) => progress(f * size, fr.read));
    } else {
      src = await openSource(file, (bytes) => progress(bytes, fr.read), cont);
      fr.format = forced ?? detectFormat(file, src.head);
    }
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    fr.refused = e.message;
    return { fr };
  }
  const load = new FileLoad(ws, file, fr, opts);
  const losses: EvtxLosses = { records: 0, unknown: 0 };
  try {
    const delimiter = /\.tsv(\.gz)?$/i.test(file) ? '\t' : ',';
    const firstLine = src?.firstLine ?? 1;
    if (src && fr.format === 'csv' && opts.columnar !== false && load.fallbackTable) {
      const splitter = new CsvSplitter(delimiter.charCodeAt(0), new CsvColumns(load, load.fallbackTable, !!opts.schemaFrozen), undefined, firstLine > 1 ? firstLine : undefined);
      for await (const chunk of src.chunks()) {
        splitter.push(chunk);
        load.afterBatch();
        progress(src.rawBytes, fr.read);
      }
      splitter.end();
    } else if (src && fr.format === 'ndjson' && !isDocumentLayout(src.head) && opts.columnar !== false && load.fallbackTable && split && size >= (split.minBytes ?? SPLIT_MIN_BYTES)) {
      await readLinesInParts(ws, file, src, load, split, opts, progress);
    } else if (src && fr.format === 'ndjson' && !isDocumentLayout(src.head) && opts.columnar !== false && load.fallbackTable) {
      const rows = new NdjsonColumns(load, load.fallbackTable);
      const lines = new LineBytes((buf, s, e, line) => rows.line(buf, s, e, line), (l) => rows.generic(l), undefined, firstLine);
      for await (const chunk of src.chunks()) {
        lines.push(chunk);
        load.afterBatch();
        progress(src.rawBytes, fr.read);
      }
      lines.end();
    } else {
      if (src && fr.format === 'evtx') {
        src.binary();
        batches = readEvtxRecords(src, file, losses);
      }
      else if (src && fr.format === 'windows-json') batches = windowsJsonRecords(readRecords(src, 'ndjson'), file);
      else if (src && fr.format === 'windows-xml') batches = windowsJsonRecords(xmlEventRecords(src.chunks()), file);
      batches ??= readRecords(src!, fr.format, delimiter, !!load.fallbackTable);
      for await (const batch of batches) {
        if (!load.add(batch)) break;
        if (src) progress(src.rawBytes, fr.read); // Parquet reports per row group itself
      }
    }
    if (fr.refused) {
      src?.close();
      load.undo();
      return { fr };
    }
    for (const d of src?.damage ?? []) load.damaged(d.offset, d.length, d.message);
    load.finish();
    const identity = src ? await src.identity() : whole ? identityOfBytes(whole) : await identityOfFile(file);
    if (losses.records || losses.unknown) (fr.notes ??= []).push(evtxLossNote(losses));
    if (src?.textEncoding) (fr.notes ??= []).push(`read as ${src.textEncoding.toUpperCase()} text (transcoded to UTF-8)`);
    const bad = src?.invalidUtf8;
    if (bad) (fr.notes ??= []).push(`${bad.count} byte${bad.count === 1 ? ' is' : 's are'} not UTF-8 and ${bad.count === 1 ? 'was' : 'were'} read as U+FFFD (the first at line ${await lineOfByte(file, bad.firstByte)})`);
    const lineBased = lineFormat(fr.format, src ? isDocumentLayout(src.head) : true);
    const resume = lineBased ? resumePoint(identity, load.lastSetAside === identity.newlines + 1) : undefined;
    return { fr, identity, ...(resume ? { resume } : {}), ...(cont ? { continued: cont.prefix.content } : {}), ...loaded(load) };
  } catch (e) {
    src?.close();
    load.undo();
    if (e instanceof PrefixMismatch || e instanceof SameContent) throw e;
    if (e instanceof SchemaChangeError) return { fr, needsAlone: true };
    fr.refused = `${e instanceof Error ? e.message : String(e)} (nothing of this file was kept)`;
    const disk = diskProblem(e);
    return { fr, ...(disk ? { diskFailure: `${disk} writing to the workspace` } : {}) };
  }
}

/** What damaged EVTX chunks lost, in records (a quarantined item stands for a damaged place, not a record). */
function evtxLossNote(l: EvtxLosses): string {
  const known = l.records ? `${l.records} record${l.records === 1 ? '' : 's'} of damaged chunks could not be read (by their chunk headers' counts)` : '';
  const unknown = l.unknown ? `${l.unknown} damaged chunk${l.unknown === 1 ? '' : 's'} held an unknown number of records (the header is unreadable)` : '';
  return [known, unknown].filter(Boolean).join('; ');
}

/** The line of the decoded content that holds byte `at` (for a note; the file is read again up to there). */
async function lineOfByte(file: string, at: number): Promise<number> {
  const src = await openSource(file);
  let line = 1;
  let pos = 0;
  try {
    for await (const c of src.chunks()) {
      const end = Math.min(c.length, at - pos);
      for (let p = c.indexOf(0x0a); p >= 0 && p < end; p = c.indexOf(0x0a, p + 1)) line++;
      pos += c.length;
      if (pos > at) break;
    }
  } finally {
    src.close();
  }
  return line;
}

/** What a finished FileLoad hands to the writer. */
export function loaded(load: FileLoad): Pick<FileResult, 'quarantine' | 'extents' | 'rows' | 'schemas' | 'lastSetAside'> {
  return { quarantine: load.quarantine.seal(), extents: load.written, schemas: load.schemas(), lastSetAside: load.lastSetAside, ...(load.rows ? { rows: load.rows } : {}) };
}

function parquetInput(file: string, size: number): string | ArrayBuffer {
  if (!/\.gz$/i.test(file)) return file;
  if (size > MAX_GZIPPED_PARQUET_BYTES) throw new UnreadableFileError(`a gzipped Parquet file is read whole and ${file} is over ${MAX_GZIPPED_PARQUET_BYTES >> 20} MiB; decompress it first`);
  const bytes = gunzipSync(readFileSync(file));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
