/**
 * `kqlite ingest`: files, folders and globs of exports into the workspace. Per file: decompress, detect the
 * format, read records, place each in its table, coerce to the table's schema, and write one extent per
 * table. A record that cannot be read or coerced goes to quarantine with its file, line/offset and reason;
 * `read N = loaded L + quarantined Q` holds exactly. Content hashes make re-ingesting a file a no-op.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, appendFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { insideWorkspace } from '../common/workspace-dir.js';
import { buildColumn } from '../engine/storage/builders.js';
import type { Value } from '../engine/values/value.js';
import { DEFENDER_TABLES } from '../kql/semantics/catalog.js';
import type { ColumnSchema, TableSchema } from '../kql/semantics/types.js';
import { CoercionError, coerce, inferType } from './coerce.js';
import { detectFormat, FORMATS, readParquet, readText, type Format, type RecordItem } from './readers.js';
import type { Workspace } from './workspace.js';

export interface FileReport {
  file: string;
  format?: Format;
  read: number;
  loaded: number;
  quarantined: number;
  tables: Record<string, number>;
  skipped?: string;
  refused?: string;
  /** Columns outside the known schema, kept, per table. */
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

export interface IngestOptions {
  table?: string;
  format?: string;
  force?: boolean;
  onFile?: (file: string, index: number, total: number, bytes: number) => void;
}

const KNOWN = new Map(DEFENDER_TABLES.map((t) => [(t.name ?? '').toLowerCase(), t]));
const EXPORT_FILE = /\.(json|jsonl|ndjson|csv|tsv|parquet)(\.gz)?$/i;

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

interface Pending {
  schema: TableSchema;
  known: boolean;
  values: Map<string, Value[]>;
  rows: number;
  extra: string[];
}

function ledgerPath(ws: Workspace): string {
  return insideWorkspace(ws.dir, 'ingest-log.json');
}

function readLedger(ws: Workspace): Record<string, { file: string; at: string; loaded: number; quarantined: number }> {
  const p = ledgerPath(ws);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : {};
}

export async function ingestPaths(ws: Workspace, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestReport> {
  if (opts.format && opts.format !== 'auto' && !(FORMATS as readonly string[]).includes(opts.format)) {
    throw new Error(`--format must be auto or one of ${FORMATS.join(', ')}, not '${opts.format}'`);
  }
  if (opts.table && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.table)) throw new Error(`'${opts.table}' is not a valid table name`);
  const { files, missing } = expandPaths(paths);
  if (missing.length) throw new Error(`no such file or folder: ${missing.join(', ')}`);
  const report: IngestReport = { files: [], read: 0, loaded: 0, quarantined: 0, refusedFiles: 0, skippedFiles: 0 };
  const ledger = readLedger(ws);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    let bytes: Uint8Array = readFileSync(file);
    opts.onFile?.(file, i, files.length, bytes.byteLength);
    const fr: FileReport = { file, read: 0, loaded: 0, quarantined: 0, tables: {}, extraColumns: {}, inferredTables: [] };
    report.files.push(fr);
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (ledger[hash] && !opts.force) {
      fr.skipped = `already ingested on ${ledger[hash]!.at} (same content as ${ledger[hash]!.file}); use --force to load it again`;
      report.skippedFiles++;
      continue;
    }
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes);
      } catch (e) {
        fr.refused = `cannot decompress: ${(e as Error).message}`;
        report.refusedFiles++;
        continue;
      }
    }
    const format = (opts.format && opts.format !== 'auto' ? opts.format : detectFormat(file, format0(bytes))) as Format;
    fr.format = format;
    let items: Iterable<RecordItem>;
    try {
      items = format === 'parquet' ? await readParquet(bytes) : readText(Buffer.from(bytes).toString('utf8'), format);
    } catch (e) {
      fr.refused = `cannot read as ${format}: ${(e as Error).message}`;
      report.refusedFiles++;
      continue;
    }
    const fallbackTable = opts.table ?? tableFromFileName(file);
    const pending = new Map<string, Pending>();
    const quarantine: { file: string; line?: number; offset?: number; table?: string; reason: string; raw?: string }[] = [];
    let refused: string | undefined;
    for (const item of items) {
      const table = item.table ?? fallbackTable;
      if (!item.problem && !table) {
        refused = `cannot tell which table the rows belong to: the records name none (no Defender 'category', no Sentinel 'Type'), the file name does not start with a known table name, and no --table was given`;
        break;
      }
      fr.read++;
      if (item.problem) {
        quarantine.push({ file, ...at(item), ...(table ? { table } : {}), reason: item.problem, ...(item.raw ? { raw: item.raw } : {}) });
        continue;
      }
      const p = pendingFor(pending, table!, item.row!);
      try {
        addRow(p, item.row!);
      } catch (e) {
        if (!(e instanceof CoercionError)) throw e;
        quarantine.push({ file, ...at(item), table: table!, reason: e.message, raw: JSON.stringify(item.row).slice(0, 2000) });
      }
    }
    if (refused) {
      fr.refused = refused;
      fr.read = 0;
      report.refusedFiles++;
      continue;
    }
    for (const [name, p] of pending) {
      if (!p.rows) continue;
      const table = { columns: p.schema.columns.map((c) => ({ name: c.name, column: buildColumn(c.type, p.values.get(c.name)!) })), length: p.rows };
      ws.append(name, p.schema, table, basename(file));
      fr.tables[name] = p.rows;
      fr.loaded += p.rows;
      if (p.extra.length) fr.extraColumns[name] = p.extra;
      if (!p.known) fr.inferredTables.push(name);
    }
    fr.quarantined = quarantine.length;
    if (quarantine.length) writeQuarantine(ws, hash, quarantine);
    ledger[hash] = { file, at: new Date().toISOString(), loaded: fr.loaded, quarantined: fr.quarantined };
    writeJsonAtomic(ledgerPath(ws), ledger);
    report.read += fr.read;
    report.loaded += fr.loaded;
    report.quarantined += fr.quarantined;
  }
  return report;
}

const format0 = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 64 * 1024)).toString('utf8');
const at = (item: RecordItem) => ({ ...(item.line !== undefined ? { line: item.line } : {}), ...(item.offset !== undefined ? { offset: item.offset } : {}) });

function pendingFor(pending: Map<string, Pending>, name: string, firstRow: Record<string, unknown>): Pending {
  let p = pending.get(name);
  if (p) return p;
  const known = KNOWN.get(name.toLowerCase());
  const columns: ColumnSchema[] = known ? known.columns.map((c) => ({ name: c.name, type: c.type })) : Object.entries(firstRow).map(([k, v]) => ({ name: k, type: inferType(v) }));
  p = { schema: { name: known?.name ?? name, columns }, known: !!known, values: new Map(columns.map((c) => [c.name, []])), rows: 0, extra: [] };
  pending.set(name, p);
  return p;
}

function addRow(p: Pending, row: Record<string, unknown>): void {
  for (const k of Object.keys(row)) {
    if (p.values.has(k) || row[k] === undefined) continue;
    // a column outside the schema: kept (typed from its first value), earlier rows null, reported once
    p.schema.columns.push({ name: k, type: inferType(row[k] ?? '') });
    p.values.set(k, new Array(p.rows).fill(null));
    p.extra.push(k);
  }
  const vals: Value[] = [];
  for (const c of p.schema.columns) {
    let v: unknown = row[c.name];
    if (c.type !== 'dynamic' && v !== null && typeof v === 'object' && c.type === 'string') v = JSON.stringify(v);
    try {
      vals.push(coerce(v, c.type, c.name));
    } catch (e) {
      // a column whose type was inferred from one row widens to string instead of losing the record
      if (!p.known || p.extra.includes(c.name)) {
        c.type = 'string';
        const col = p.values.get(c.name)!;
        for (let i = 0; i < col.length; i++) col[i] = col[i] === null ? null : typeof col[i] === 'object' ? JSON.stringify(col[i]) : String(col[i]);
        vals.push(coerce(v, 'string', c.name));
      } else throw e;
    }
  }
  p.schema.columns.forEach((c, i) => p.values.get(c.name)!.push(vals[i]!));
  p.rows++;
}

function writeQuarantine(ws: Workspace, hash: string, entries: { table?: string }[]): void {
  const dir = insideWorkspace(ws.dir, 'quarantine');
  mkdirSync(dir, { recursive: true });
  appendFileSync(insideWorkspace(dir, `${hash.slice(0, 16)}.ndjson`), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const indexFile = insideWorkspace(dir, 'index.json');
  const index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, number>) : {};
  for (const e of entries) index[e.table ?? '(no table)'] = (index[e.table ?? '(no table)'] ?? 0) + 1;
  writeJsonAtomic(indexFile, index);
}

function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(file + '.tmp', JSON.stringify(value, null, 1));
  renameSync(file + '.tmp', file);
}

/** All quarantined records of the workspace (for `kqlite tables --quarantine` and tests). */
export function readQuarantine(ws: Workspace): Record<string, unknown>[] {
  const dir = insideWorkspace(ws.dir, 'quarantine');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort().flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
}
