/**
 * The workspace manifest (`manifest.json`): the committed state of the workspace, in one file replaced
 * atomically (durable.ts) by each commit. It lists each table's schema and committed extents (with what
 * pruning and `kqlite tables` need: rows, bytes, Timestamp range), the ledger and quarantine segments, and
 * extents retired by a compaction that queries begun before it may still read. Readers see exactly the
 * extents a manifest lists; anything else on disk is an unfinished or abandoned write, invisible to them and
 * removed by the next writer (gc.ts).
 */
import { insideWorkspace } from '../common/workspace-dir.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { isWindowsDeviceName, WINDOWS_DEVICE_NAMES } from '../common/file-names.js';
import { writeFileDurable } from './durable.js';
import { readJsonFile } from './errors.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'kqlite-workspace/1';

export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The longest table name a new table may have: its folder's name must fit every file system (255 bytes). */
export const MAX_TABLE_NAME = 128;

/**
 * Why a name cannot be a table's folder (undefined when it can): letters, digits and `_` only, starting
 * with a letter or `_` (no path can be spelt), at most MAX_TABLE_NAME characters, and no Windows device name,
 * so a workspace made on one system opens on another.
 */
export function tableNameProblem(name: string): string | undefined {
  const shown = name.length > 40 ? `${name.slice(0, 40)}...` : name;
  if (!TABLE_NAME.test(name)) return `'${shown}' is not a valid table name (letters, digits and _ only)`;
  if (name.length > MAX_TABLE_NAME) return `a table name is at most ${MAX_TABLE_NAME} characters ('${shown}' has ${name.length})`;
  if (isWindowsDeviceName(name)) return `'${name}' cannot be a table name: Windows reserves it for a device (${WINDOWS_DEVICE_NAMES}), so its folder could not exist there`;
  return undefined;
}
export const EXTENT_ID = /^e-[A-Za-z0-9-]+$/;
export const SEGMENT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.ndjson$/;

export interface ExtentEntry {
  id: string;
  rows: number;
  bytes: number;
  /** Ticks since 1970 as decimal strings (bigint does not survive JSON). */
  minTimestamp?: string;
  maxTimestamp?: string;
  /** When the extent was written (its meta.json's createdAt): what ingestion_time() reports. */
  createdAt?: string;
}

export interface TableEntry {
  name: string;
  schema: TableSchema;
  extents: ExtentEntry[];
}

export interface Manifest {
  format: string;
  /** Counts commits: each one writes the next. */
  generation: number;
  committedAt: string;
  tables: TableEntry[];
  /** Files under quarantine/ holding the records set aside, in commit order, and records per table. */
  quarantine: { segments: string[]; counts: [table: string, records: number][] };
  /** Files under ledger/ holding the ingested files' entries, in commit order. */
  ledger: string[];
  /** Extents no table lists any more (compacted) but a query begun before may still read: deleted later. */
  retired: { table: string; id: string; since: string }[];
}

export function emptyManifest(): Manifest {
  return { format: MANIFEST_FORMAT, generation: 0, committedAt: new Date(0).toISOString(), tables: [], quarantine: { segments: [], counts: [] }, ledger: [], retired: [] };
}

export const manifestPath = (dir: string) => insideWorkspace(dir, MANIFEST_FILE);

const WAY_OUT = 'Restore it from a backup, or move it aside: the next `kqlite ingest` then rebuilds it from the table folders (extents an interrupted ingest left behind come back with them).';

export function readManifest(dir: string): Manifest {
  return readJsonFile<Manifest>(manifestPath(dir), 'the workspace manifest', WAY_OUT, checkManifest);
}

export function writeManifest(dir: string, m: Manifest): void {
  writeFileDurable(manifestPath(dir), JSON.stringify(m), 'commit-manifest-temp');
}

const isInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isTicks = (v: unknown) => v === undefined || (typeof v === 'string' && /^-?\d{1,20}$/.test(v));

/** What is wrong with a parsed manifest, or undefined. Every name that becomes a path is checked here. */
function checkManifest(v: unknown): string | undefined {
  const m = v as Manifest;
  if (!m || typeof m !== 'object') return 'not an object';
  if (m.format !== MANIFEST_FORMAT) return typeof m.format === 'string' && m.format.startsWith('kqlite-workspace/') ? `format ${m.format} is newer than this kqlite understands; upgrade kqlite` : 'no kqlite-workspace format';
  if (!isInt(m.generation)) return 'no generation';
  if (!Array.isArray(m.tables)) return 'no tables';
  for (const t of m.tables) {
    if (!t || typeof t.name !== 'string' || !TABLE_NAME.test(t.name)) return `a table named ${JSON.stringify(t?.name)}`;
    if (!t.schema || !Array.isArray(t.schema.columns) || t.schema.columns.some((c) => !c || typeof c.name !== 'string' || typeof c.type !== 'string')) return `table ${t.name} has no readable schema`;
    if (!Array.isArray(t.extents)) return `table ${t.name} has no extent list`;
    for (const e of t.extents) {
      if (!e || typeof e.id !== 'string' || !EXTENT_ID.test(e.id)) return `table ${t.name} lists an extent named ${JSON.stringify(e?.id)}`;
      if (!isInt(e.rows) || !isInt(e.bytes) || !isTicks(e.minTimestamp) || !isTicks(e.maxTimestamp)) return `extent ${t.name}/${e.id} has unreadable counts`;
    }
  }
  const q = m.quarantine;
  if (!q || !Array.isArray(q.segments) || !Array.isArray(q.counts)) return 'no quarantine list';
  if (q.segments.some((s) => typeof s !== 'string' || !SEGMENT_NAME.test(s))) return 'a quarantine segment with an unsafe name';
  if (q.counts.some((c) => !Array.isArray(c) || typeof c[0] !== 'string' || !isInt(c[1]))) return 'unreadable quarantine counts';
  if (!Array.isArray(m.ledger) || m.ledger.some((s) => typeof s !== 'string' || !SEGMENT_NAME.test(s))) return 'a ledger segment with an unsafe name';
  if (!Array.isArray(m.retired) || m.retired.some((r) => !r || !TABLE_NAME.test(String(r.table)) || !EXTENT_ID.test(String(r.id)))) return 'an unreadable list of retired extents';
  return undefined;
}
