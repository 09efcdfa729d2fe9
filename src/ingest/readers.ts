/**
 * Export formats → records, streamed. Each reader yields batches of records with where they sit in the file
 * (line, or record index as `offset`) or a problem for a part it could not read, and never stops at the first
 * bad line. Formats: Defender streaming API (Event Hubs `{"records":[...]}` messages and storage blobs of one
 * record per line), Advanced Hunting CSV / JSON array / NDJSON, Sentinel exports (rows with `Type`), Parquet
 * (one row group at a time).
 */
import { jsonText, parseJson } from '../engine/values/json.js';
import { longOf } from '../engine/values/long.js';
import { pipeline, Readable } from 'node:stream';
import type * as CsvParse from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { lazyPackage } from '../common/lazy-package.js';
import { setOwn } from '../common/own-keys.js';
import type { Source } from './source.js';
import { MAX_RECORD_BYTES, splitJsonValues, splitLines, type Line } from './splitters.js';
import { jsonNestsDeeper, MAX_NESTING } from '../common/nesting.js';
import { windowsJsonKind } from './windows/event.js';

const csvParse = lazyPackage<typeof CsvParse>('csv-parse');

export const FORMATS = ['defender-stream', 'csv', 'json', 'ndjson', 'sentinel', 'parquet', 'evtx', 'windows-json', 'windows-xml'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordItem {
  /** 1-based line, or for JSON documents / Event Hubs messages the 0-based record index as `offset`. */
  line?: number;
  offset?: number;
  /** Byte of the file where the record starts (EVTX records and chunks). */
  byte?: number;
  row?: Record<string, unknown>;
  /** Table named by the record itself (Defender `category`, Sentinel `Type`). */
  table?: string;
  problem?: string;
  raw?: string;
  /** More rows the same record becomes (a Windows event's Defender row beside its Sentinel row): loaded with
   * it, and counted as rows of their tables but not as records read. */
  also?: { table: string; row: Record<string, unknown> }[];
}

const RAW_KEPT = 2000;

/** Sets a record's field; a column named `__proto__` is a field like any other, not the object's prototype. */
export function setField(row: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') setOwn(row, name, value);
  else row[name] = value;
}
const BATCH = 4096;

/** A CSV header's column name: the Azure portal's export names a datetime column `TimeGenerated [UTC]`, the
 * zone its values are shown in; UTC is the column itself (any other zone is left in the name: its values
 * cannot be placed in time). */
export function csvColumnName(header: string): string {
  return header.endsWith(' [UTC]') ? header.slice(0, -6) : header;
}

/** Picks the format from the extension and the first bytes. */
export function detectFormat(name: string, text: string): Format {
  const lower = name.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.parquet')) return 'parquet';
  if (text.startsWith('ElfFile\u0000') || lower.endsWith('.evtx')) return 'evtx';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  const head = text.trimStart();
  if (lower.endsWith('.xml') || /^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<Events?[\s>]/.test(head)) return 'windows-xml';
  if (/^\{\s*"Event"\s*:\s*\{/.test(head)) return 'windows-json';
  const firstLine = head.split('\n', 1)[0] ?? '';
  const firstValue = (head.startsWith('[') ? head.slice(1).trimStart().split('\n', 1)[0] ?? '' : firstLine).replace(/,\s*$/, '');
  try {
    if (windowsJsonKind(JSON.parse(firstValue))) return 'windows-json';
  } catch {
    // not one JSON value on the first line: decided below
  }
  if (head.startsWith('[')) return 'json';
  if (/^\{\s*"records"\s*:/.test(head)) return 'defender-stream';
  try {
    const o = JSON.parse(firstLine) as Record<string, unknown>;
    if (typeof o['category'] === 'string' && /^AdvancedHunting-/i.test(o['category'] as string)) return 'defender-stream';
    if (typeof o['Type'] === 'string' && 'TimeGenerated' in o) return 'sentinel';
  } catch {
    // not one JSON object per line at the top: treat as NDJSON and let the reader report the bad lines
  }
  if (head.startsWith('{') && !firstLine.trimEnd().endsWith('}')) return 'json';
  return 'ndjson';
}

/** A JSON text spread over lines (pretty-printed) rather than one value per line. */
export function isDocumentLayout(head: string): boolean {
  const h = head.trimStart();
  return h.startsWith('[') || (h.startsWith('{') && !(h.split('\n', 1)[0] ?? '').trimEnd().endsWith('}'));
}

/** Unwraps a Defender streaming record into its row and table; other rows pass through. */
function unwrap(o: Record<string, unknown>): { row?: Record<string, unknown>; table?: string; problem?: string } {
  const cat = o['category'];
  if (typeof cat === 'string' && /^AdvancedHunting-/i.test(cat)) {
    const table = cat.replace(/^AdvancedHunting-/i, '');
    let props = o['properties'];
    if (typeof props === 'string') {
      if (jsonNestsDeeper(props)) return { problem: `'properties': ${TOO_DEEP}`, table };
      try {
        props = JSON.parse(props);
      } catch {
        return { problem: "'properties' is a string that is not JSON", table };
      }
    }
    if (!props || typeof props !== 'object' || Array.isArray(props)) return { problem: "record has no 'properties' object", table };
    return { row: props as Record<string, unknown>, table };
  }
  if (typeof o['Type'] === 'string' && 'TimeGenerated' in o) {
    const { Type, ...rest } = o;
    return { row: rest, table: Type as string };
  }
  return { row: o };
}

function fromObject(o: unknown, at: Partial<RecordItem>, out: RecordItem[]): void {
  if (!o || typeof o !== 'object' || Array.isArray(o)) {
    out.push({ ...at, problem: 'record is not a JSON object', raw: String(jsonText(o)).slice(0, RAW_KEPT) });
    return;
  }
  const u = unwrap(o as Record<string, unknown>);
  out.push(u.problem ? { ...at, problem: u.problem, raw: jsonText(o).slice(0, RAW_KEPT), ...(u.table ? { table: u.table } : {}) } : { ...at, row: u.row!, ...(u.table ? { table: u.table } : {}) });
}

/**
 * The records of a text format (everything but Parquet). CSV rows name their own table (a Log Analytics
 * export's `Type` beside `TimeGenerated`, as the portal's `query_data.csv` has it) only when the file's table
 * is not known up front (`tableKnown`: its name or --table), so both CSV paths read a named file alike.
 */
export function readRecords(src: ReadSource, format: Format, delimiter = ',', tableKnown = true): AsyncGenerator<RecordItem[]> {
  if (format === 'csv') return readCsv(src, delimiter, !tableKnown);
  if (format === 'json' || isDocumentLayout(src.head)) return readJsonDocuments(src);
  return readJsonLines(src);
}

/** A record no later step could walk (every stage, and the engine, takes values MAX_NESTING deep). */
const TOO_DEEP = `JSON nested deeper than ${MAX_NESTING} levels`;
/** What the readers need of a source: its decoded bytes, its head, and the number of its first line. */
type ReadSource = Pick<Source, 'chunks' | 'head' | 'firstLine'>;

/** One JSON value per line; a line may be a whole Event Hubs message. */
async function* readJsonLines(src: ReadSource): AsyncGenerator<RecordItem[]> {
  for await (const lines of splitLines(src.chunks(), MAX_RECORD_BYTES, src.firstLine)) {
    const out: RecordItem[] = [];
    for (const l of lines) recordsOfLine(l, out);
    if (out.length) yield out;
  }
}

/** The records array of a wrapper object (as splitters.ts `recordsKeyOf` finds it in documents), else undefined. */
function wrappedRecords(o: unknown): unknown[] | undefined {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const w = o as Record<string, unknown>;
  if (Array.isArray(w['records'])) return w['records'];
  for (const [schema, results] of [['Schema', 'Results'], ['schema', 'results']] as const) {
    if (Array.isArray(w[schema]) && Array.isArray(w[results]) && Object.keys(w).indexOf(schema) < Object.keys(w).indexOf(results)) return w[results] as unknown[];
  }
  return undefined;
}

/** The records of one NDJSON line (none for a blank one, several for an Event Hubs message). */
export function recordsOfLine(l: Line, out: RecordItem[]): void {
  if (l.problem) {
    out.push({ line: l.line, problem: l.problem });
    return;
  }
  const text = l.text!.trim();
  if (!text) return;
  if (jsonNestsDeeper(text)) {
    out.push({ line: l.line, problem: TOO_DEEP, raw: text.slice(0, RAW_KEPT) });
    return;
  }
  let o: unknown;
  try {
    o = parseJson(text);
  } catch (e) {
    const why = `invalid JSON: ${(e as Error).message}`;
    out.push({ line: l.line, problem: l.unterminated ? `truncated last line (no newline at the end of the file): ${why}` : why, raw: text.slice(0, RAW_KEPT) });
    return;
  }
  const wrapped = wrappedRecords(o);
  if (wrapped) wrapped.forEach((r, j) => fromObject(r, { line: l.line, offset: j }, out));
  else fromObject(o, { line: l.line }, out);
}

/** JSON arrays, Event Hubs messages and objects, however they are laid out over lines. */
async function* readJsonDocuments(src: ReadSource): AsyncGenerator<RecordItem[]> {
  for await (const values of splitJsonValues(src.chunks())) {
    const out: RecordItem[] = [];
    for (const v of values) {
      if (v.problem) {
        out.push({ offset: v.offset, problem: v.problem, ...(v.text ? { raw: v.text.slice(0, RAW_KEPT) } : {}) });
        continue;
      }
      if (jsonNestsDeeper(v.text!)) {
        out.push({ offset: v.offset, problem: TOO_DEEP, raw: v.text!.slice(0, RAW_KEPT) });
        continue;
      }
      let o: unknown;
      try {
        o = parseJson(v.text!);
      } catch (e) {
        out.push({ offset: v.offset, problem: `invalid JSON: ${(e as Error).message}`, raw: v.text!.slice(0, RAW_KEPT) });
        continue;
      }
      fromObject(o, { offset: v.offset }, out);
    }
    if (out.length) yield out;
  }
}

/**
 * CSV through csv-parse's streaming parser as record objects; a malformed record is reported with its line
 * and skipped. Ingest reads CSV of a known table through the columnar path instead (csv-splitter.ts); this
 * one serves files whose table is not known up front and is the reference the columnar path is tested against.
 */
async function* readCsv(src: ReadSource, delimiter: string, routeByType: boolean): AsyncGenerator<RecordItem[]> {
  // a grown file continued: after its header line, lines are numbered on from where it was left
  const skipped = src.firstLine - 2;
  let batch: RecordItem[] = [];
  const parser = csvParse().parse({
    delimiter, relax_column_count: true, bom: true, skip_empty_lines: true, info: true, skip_records_with_error: true, max_record_size: MAX_RECORD_BYTES,
    on_skip: (err: CsvError | undefined) => void batch.push({ line: ((err as { lines?: number } | undefined)?.lines ?? 0) + (header ? Math.max(0, skipped) : 0), problem: `CSV: ${err?.message ?? 'unreadable record'}` }),
  });
  pipeline(Readable.from(src.chunks()), parser, () => {
    // errors surface through the iteration below
  });
  let header: string[] | undefined;
  let crs = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // csv-parse counts lines at the end of a record and takes every CR and LF inside quotes for a line end:
    // the physical line a record starts on (LF-counted, as editors show it) is worked back from that
    let lfs = 0;
    for (const f of record) {
      for (let k = f.indexOf('\r'); k >= 0; k = f.indexOf('\r', k + 1)) crs++;
      for (let k = f.indexOf('\n'); k >= 0; k = f.indexOf('\n', k + 1)) lfs++;
    }
    const line = info.lines - crs - lfs + (header ? Math.max(0, skipped) : 0);
    if (!header) header = record.map(csvColumnName);
    else if (record.length !== header.length) {
      batch.push({ line, problem: `CSV row has ${record.length} fields, the header has ${header.length}`, raw: record.join(',').slice(0, RAW_KEPT) });
    } else {
      const row: Record<string, unknown> = {};
      for (let j = 0; j < header.length; j++) setField(row, header[j]!, record[j]);
      const u = routeByType ? unwrap(row) : undefined;
      if (u?.problem) batch.push({ line, problem: u.problem, raw: record.join(',').slice(0, RAW_KEPT) });
      else batch.push({ line, row: u?.row ?? row, ...(u?.table ? { table: u.table } : {}) });
    }
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Parquet (hyparquet, pure JS), one row group at a time; `progress` gets the share of rows read. */
export async function* readParquet(file: string | ArrayBuffer, progress?: (fraction: number) => void): AsyncGenerator<RecordItem[]> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  const buffer = typeof file === 'string' ? await asyncBufferFromFile(file) : file;
  const metadata = await parquetMetadataAsync(buffer);
  const total = Number(metadata.num_rows);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = (await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd })) as Record<string, unknown>[];
    const out: RecordItem[] = rows.map((r, i) => {
      const row: Record<string, unknown> = {};
      // INT64 arrives as a bigint: kept exact (a number while it is a safe integer, as every long Value is)
      for (const [k, v] of Object.entries(r)) setField(row, k, typeof v === 'bigint' ? longOf(v) : v instanceof Date ? v.toISOString() : v);
      const u = unwrap(row);
      return { offset: rowStart + i, row: u.row ?? row, ...(u.table ? { table: u.table } : {}) };
    });
    rowStart = rowEnd;
    progress?.(total ? rowStart / total : 1);
    if (out.length) yield out;
  }
}
