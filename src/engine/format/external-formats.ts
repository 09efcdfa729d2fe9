/**
 * The data formats `externaldata` reads (Kusto's ingestion formats that make sense for a reference list):
 * the delimited ones (csv, tsv, tsve, psv, scsv, sohsv) through csv-parse, txt (a record per non-empty
 * line), raw (the whole text as one record), json (a JSON value per line) and multijson (JSON values one
 * after another, or arrays of them, over any number of lines). Each record comes out as the cells of the
 * declared columns, still untyped (text from the delimited formats, JSON values from the JSON ones).
 */
import type * as CsvParseSync from 'csv-parse/sync';
import { lazyPackage } from '../../common/lazy-package.js';
import type { DynamicValue } from '../values/value.js';
import { ownValue } from '../../common/own-keys.js';

const csvParseSync = lazyPackage<typeof CsvParseSync>('csv-parse/sync');

export const EXTERNAL_FORMATS = ['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt', 'raw', 'json', 'multijson'] as const;
export type ExternalFormat = (typeof EXTERNAL_FORMATS)[number];

const DELIMITERS: Partial<Record<ExternalFormat, string>> = { csv: ',', tsv: '\t', tsve: '\t', psv: '|', scsv: ';', sohsv: '\x01' };

/** The format a URL's file name implies (`.csv.gz` is csv), or undefined. */
export function formatFromUrl(uri: string): string | undefined {
  let path = uri;
  try {
    path = new URL(uri).pathname;
  } catch {
    /* not a URL: the caller reports that */
  }
  const name = path.toLowerCase().replace(/\.(gz|gzip)$/, '');
  const m = /\.([a-z]+)$/.exec(name);
  if (!m) return undefined;
  const ext = m[1]!;
  return (EXTERNAL_FORMATS as readonly string[]).includes(ext) ? ext : ext === 'jsonl' || ext === 'ndjson' ? 'json' : ext;
}

/** How a column is read from a record: the JSON path of a json record, or the field of a delimited one. */
export interface ColumnSource {
  path?: (string | number)[];
  ordinal?: number;
  constant?: string;
}

export class FormatError extends Error {}

/** A record as one cell per declared column (undefined: the record does not have it). */
export type Cells = (DynamicValue | undefined)[];

export function parseRecords(text: string, format: ExternalFormat, columns: { name: string }[], mapping: Map<string, ColumnSource> | undefined): Cells[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  switch (format) {
    case 'txt':
      return text.split(/\r?\n/).filter((l) => l !== '').map((l) => [l]);
    case 'raw':
      return [[text]];
    case 'json':
    case 'multijson': {
      const values = format === 'json' ? jsonLines(text) : jsonSequence(text);
      return values.map((v) => jsonCells(v, columns, mapping));
    }
    default: {
      let rows: string[][];
      try {
        rows = csvParseSync().parse(text, { delimiter: DELIMITERS[format]!, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, escape: format === 'tsve' ? '\\' : '"' }) as string[][];
      } catch (e) {
        throw new FormatError((e as Error).message);
      }
      return rows.map((fields) => columns.map((c, i) => {
        const src = mapping?.get(c.name);
        if (src?.constant !== undefined) return src.constant;
        return fields[src?.ordinal ?? i];
      }));
    }
  }
}

function jsonLines(text: string): DynamicValue[] {
  const out: DynamicValue[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as DynamicValue);
    } catch (e) {
      throw new FormatError(`line ${i + 1} is not JSON (${(e as Error).message}); for JSON spread over lines use format='multijson'`);
    }
  });
  return out;
}

/** Top-level JSON values one after another (whitespace between them); an array's elements are records. */
function jsonSequence(text: string): DynamicValue[] {
  const out: DynamicValue[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const end = valueEnd(text, i);
    let v: DynamicValue;
    try {
      v = JSON.parse(text.slice(i, end)) as DynamicValue;
    } catch (e) {
      throw new FormatError(`the JSON value at character ${i} cannot be read (${(e as Error).message})`);
    }
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
    i = end;
  }
  return out;
}

/** Where the JSON value starting at `i` ends: brackets counted outside strings; a scalar runs to whitespace. */
function valueEnd(text: string, i: number): number {
  const open = text[i];
  if (open !== '{' && open !== '[') {
    if (open === '"') {
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '"') return j + 1;
      }
      return text.length;
    }
    let j = i;
    while (j < text.length && !/[\s{["]/.test(text[j]!)) j++;
    return j;
  }
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (inString) {
      if (ch === '\\') j++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      if (--depth === 0) return j + 1;
    }
  }
  return text.length;
}

function jsonCells(v: DynamicValue, columns: { name: string }[], mapping: Map<string, ColumnSource> | undefined): Cells {
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  return columns.map((c, i) => {
    const src = mapping?.get(c.name);
    if (src?.constant !== undefined) return src.constant;
    if (src?.path) return follow(v, src.path);
    if (!isObject) return i === 0 && !mapping ? v : undefined;
    const bag = v as Record<string, DynamicValue>;
    if (Object.hasOwn(bag, c.name)) return bag[c.name];
    // a property spelled with another case (Kusto's json mapping by name is exact; exports vary)
    const key = Object.keys(bag).find((k) => k.toLowerCase() === c.name.toLowerCase());
    return key === undefined ? undefined : bag[key];
  });
}

function follow(v: DynamicValue, path: (string | number)[]): DynamicValue | undefined {
  let cur: DynamicValue | undefined = v;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = typeof step === 'number' ? (Array.isArray(cur) ? cur[step < 0 ? cur.length + step : step] : undefined) : Array.isArray(cur) ? undefined : ownValue(cur as Record<string, DynamicValue>, step);
  }
  return cur;
}
