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
import { FileLoad, SchemaChangeError, type LoadOptions } from './file-load.js';
import type { FileReport } from './ingest.js';
import type { SealedQuarantine } from './quarantine.js';
import { readLinesInParts, SPLIT_MIN_BYTES, type SplitOptions } from './ingest-split.js';
import { NdjsonColumns } from './json-columns.js';
import { detectFormat, isDocumentLayout, readParquet, readRecords, type Format, type RecordItem } from './readers.js';
import { LineBytes } from './splitters.js';
import { hashFile, openSource, UnreadableFileError, type Source } from './source.js';
import { readEvtxRecords, windowsJsonRecords } from './windows/records.js';
import type { Workspace } from './workspace.js';

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
  /** Content hash (SHA-256 of the file as stored), when the file was read to the end. */
  hash?: string;
  quarantine?: SealedQuarantine;
  /** The file's pending-extents journal (pending.ts), removed by whoever commits the file. */
  journal?: string;
  /** Loading beside other files would have changed a schema: nothing was kept; read it again alone. */
  needsAlone?: boolean;
}

export function emptyReport(file: string): FileReport {
  return { file, read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {}, inferredTables: [] };
}

/**
 * Reads `file` into extents; `progress(bytes, records)` is called after every batch or chunk. With `split`, a
 * large NDJSON file of a known table is read by several threads (ingest-split.ts).
 */
export async function readFileIntoExtents(ws: Workspace, file: string, size: number, opts: ReadOptions, progress: (bytes: number, records: number) => void, knownHash?: string, split?: SplitOptions): Promise<FileResult> {
  const fr = emptyReport(file);
  const forced = opts.format && opts.format !== 'auto' ? (opts.format as Format) : undefined;
  let src: Source | undefined;
  let batches: AsyncGenerator<RecordItem[]> | undefined;
  try {
    if ((forced ?? detectFormat(file, '')) === 'parquet') {
      fr.format = 'parquet';
      batches = readParquet(parquetInput(file, size), (f) => progress(f * size, fr.read));
    } else {
      src = await openSource(file, (bytes) => progress(bytes, fr.read));
      fr.format = forced ?? detectFormat(file, src.head);
    }
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    fr.refused = e.message;
    return { fr };
  }
  const load = new FileLoad(ws, file, fr, opts);
  try {
    const delimiter = /\.tsv(\.gz)?$/i.test(file) ? '\t' : ',';
    if (src && fr.format === 'csv' && opts.columnar !== false && load.fallbackTable) {
      const splitter = new CsvSplitter(delimiter.charCodeAt(0), new CsvColumns(load, load.fallbackTable, !!opts.schemaFrozen));
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
      const lines = new LineBytes((buf, s, e, line) => rows.line(buf, s, e, line), (l) => rows.generic(l));
      for await (const chunk of src.chunks()) {
        lines.push(chunk);
        load.afterBatch();
        progress(src.rawBytes, fr.read);
      }
      lines.end();
    } else {
      if (src && fr.format === 'evtx') batches = readEvtxRecords(src, file);
      else if (src && fr.format === 'windows-json') batches = windowsJsonRecords(readRecords(src, 'ndjson'), file);
      batches ??= readRecords(src!, fr.format, delimiter);
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
    if (src?.damage) load.damaged(src.damage.offset, src.damage.message);
    load.finish();
    const hash = knownHash ?? (src ? await src.digest() : await hashFile(file));
    return { fr, hash, quarantine: load.quarantine.seal(), ...(load.journal.file ? { journal: load.journal.file } : {}) };
  } catch (e) {
    src?.close();
    load.undo();
    if (e instanceof SchemaChangeError) return { fr, needsAlone: true };
    fr.refused = `${e instanceof Error ? e.message : String(e)} (nothing of this file was kept)`;
    return { fr };
  }
}

function parquetInput(file: string, size: number): string | ArrayBuffer {
  if (!/\.gz$/i.test(file)) return file;
  if (size > MAX_GZIPPED_PARQUET_BYTES) throw new UnreadableFileError(`a gzipped Parquet file is read whole and ${file} is over ${MAX_GZIPPED_PARQUET_BYTES >> 20} MiB; decompress it first`);
  const bytes = gunzipSync(readFileSync(file));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
