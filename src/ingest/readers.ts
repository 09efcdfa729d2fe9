/**
 * Export formats → records. Each reader yields records with where they sit in the file (line, or index for
 * JSON arrays) or a problem for a part it could not read, and never stops at the first bad line.
 * Formats: Defender streaming API (Event Hubs `{"records":[...]}` messages and storage blobs of one record
 * per line), Advanced Hunting CSV / JSON array / NDJSON, Sentinel exports (rows with `Type`), Parquet.
 */
import { csvRecords, CsvError } from './csv.js';

export const FORMATS = ['defender-stream', 'csv', 'json', 'ndjson', 'sentinel', 'parquet'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordItem {
  /** 1-based line, or for JSON arrays / Event Hubs messages the 0-based record index as `offset`. */
  line?: number;
  offset?: number;
  row?: Record<string, unknown>;
  /** Table named by the record itself (Defender `category`, Sentinel `Type`). */
  table?: string;
  problem?: string;
  raw?: string;
}

/** Picks the format from the extension and the first bytes. */
export function detectFormat(name: string, text: string): Format {
  const lower = name.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  const head = text.trimStart();
  if (head.startsWith('[')) return 'json';
  const firstLine = head.split('\n', 1)[0] ?? '';
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

/** Unwraps a Defender streaming record into its row and table; other rows pass through. */
function unwrap(o: Record<string, unknown>): { row?: Record<string, unknown>; table?: string; problem?: string } {
  const cat = o['category'];
  if (typeof cat === 'string' && /^AdvancedHunting-/i.test(cat)) {
    const table = cat.replace(/^AdvancedHunting-/i, '');
    let props = o['properties'];
    if (typeof props === 'string') {
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

function* fromObjects(items: unknown[], base: (i: number) => Partial<RecordItem>): Generator<RecordItem> {
  for (let i = 0; i < items.length; i++) {
    const o = items[i];
    const at = base(i);
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      yield { ...at, problem: 'record is not a JSON object', raw: JSON.stringify(o) };
      continue;
    }
    const u = unwrap(o as Record<string, unknown>);
    yield u.problem ? { ...at, problem: u.problem, raw: JSON.stringify(o).slice(0, 2000), ...(u.table ? { table: u.table } : {}) } : { ...at, row: u.row!, ...(u.table ? { table: u.table } : {}) };
  }
}

export function* readText(text: string, format: Format): Generator<RecordItem> {
  if (format === 'csv') {
    let header: string[] | undefined;
    try {
      for (const { fields, line } of csvRecords(text)) {
        if (!header) {
          header = fields;
          continue;
        }
        if (fields.length !== header.length) {
          yield { line, problem: `CSV row has ${fields.length} fields, the header has ${header.length}`, raw: fields.join(',') };
          continue;
        }
        const row: Record<string, unknown> = {};
        for (let j = 0; j < header.length; j++) row[header[j]!] = fields[j];
        yield { line, row };
      }
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      yield { line: e.line, problem: `CSV: ${e.message}` };
    }
    return;
  }
  if (format === 'json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      yield { line: 1, problem: `invalid JSON: ${(e as Error).message}` };
      return;
    }
    const items = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { records?: unknown }).records) ? (doc as { records: unknown[] }).records : [doc];
    yield* fromObjects(items, (i) => ({ offset: i }));
    return;
  }
  // ndjson, sentinel, defender-stream: one JSON value per line; a line may be a whole Event Hubs message
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      yield { line: i + 1, problem: `invalid JSON: ${(e as Error).message}`, raw: line.slice(0, 2000) };
      continue;
    }
    if (o && typeof o === 'object' && Array.isArray((o as { records?: unknown }).records)) {
      yield* fromObjects((o as { records: unknown[] }).records, (j) => ({ line: i + 1, offset: j }));
    } else {
      yield* fromObjects([o], () => ({ line: i + 1 }));
    }
  }
}

/** Parquet rows (hyparquet, pure JS). */
export async function readParquet(bytes: Uint8Array): Promise<RecordItem[]> {
  const { parquetReadObjects } = await import('hyparquet');
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
  return rows.map((r, i) => {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) row[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v;
    const u = unwrap(row);
    return { offset: i, row: u.row ?? row, ...(u.table ? { table: u.table } : {}) };
  });
}
