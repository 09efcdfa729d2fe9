/**
 * Workspaces written before the manifest existed: each table a folder with its `schema.json` and extent
 * folders, the ledger in `ingest-log.json`, the quarantine's counts in `quarantine/index.json`, the extents of
 * files being read journalled under `pending/`. Readers still read them this way (listing the folders, kept
 * between queries while a folder's modification time is unchanged and it has been quiet 2 s); the first
 * writer migrates such a workspace to a manifest (`legacyManifest`), after which only the manifest counts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { readJsonFile, WorkspaceError } from './errors.js';
import { readExtentMeta } from './extent-format.js';
import { emptyManifest, EXTENT_ID, TABLE_NAME, type ExtentEntry, type Manifest } from './manifest.js';
import type { Catalog, TableListing } from './workspace-snapshot.js';

const QUIET_NS = 2_000_000_000n;
const SCHEMA_WAY_OUT = 'Restore it from a backup, or write the table\'s columns back as {"name": ..., "columns": [{"name": ..., "type": ...}]}.';

export const shapeOf = (schema: TableSchema) => schema.columns.map((c) => `${c.name}:${c.type}`).join(',');

export function extentEntry(dir: string, id: string): ExtentEntry {
  const m = readExtentMeta(dir);
  return { id, rows: m.rows, bytes: m.bytes, ...(m.minTimestamp !== undefined ? { minTimestamp: m.minTimestamp } : {}), ...(m.maxTimestamp !== undefined ? { maxTimestamp: m.maxTimestamp } : {}), ...(m.createdAt ? { createdAt: m.createdAt } : {}) };
}

/** The folder listings of a legacy workspace, kept between snapshots while each folder is unchanged. */
export class LegacyListings {
  private readonly listings = new Map<string, { stamp: bigint; value: unknown }>();
  /** Folders seen holding a schema: a table stays one until its folder goes. */
  private readonly knownTables = new Set<string>();
  /** Each extent's entry (from its meta.json, which never changes), per table folder. */
  private readonly metas = new Map<string, Map<string, ExtentEntry>>();

  constructor(private readonly dir: string) {}

  private tablesDir(...parts: string[]): string {
    return insideWorkspace(this.dir, 'tables', ...parts);
  }

  /** `make()` of the folder `dir`, kept while the folder's modification time stays the same; undefined when it is gone. */
  private cached<T>(key: string, dir: string, make: () => T): T | undefined {
    let stamp: bigint;
    try {
      stamp = statSync(dir, { bigint: true }).mtimeNs;
    } catch {
      this.listings.delete(key);
      return undefined;
    }
    const hit = this.listings.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = make();
    // file times tick coarsely: a folder changed just now may change again within the same tick, so its
    // listing is only kept once the folder has been quiet for a while
    if (BigInt(Date.now()) * 1_000_000n - stamp > QUIET_NS) this.listings.set(key, { stamp, value });
    else this.listings.delete(key);
    return value;
  }

  /** A catalog for one snapshot: each folder read at most once, when first asked for. */
  catalog(quarantined: () => Map<string, number>): Catalog {
    let folders: readonly string[] | undefined;
    const tables = new Map<string, TableListing | undefined>();
    const table = (name: string) => {
      if (!tables.has(name)) {
        const t = this.readTable(name);
        if (t) this.knownTables.add(name);
        tables.set(name, t);
      }
      return tables.get(name);
    };
    const names = () => (folders ??= this.cached('tables', this.tablesDir(), () => readdirSync(this.tablesDir()).filter((n) => TABLE_NAME.test(n)).sort()) ?? []);
    return {
      // a folder once seen holding a table is one until it goes: no need to list each one for the names
      tableNames: () => names().filter((f) => (tables.has(f) ? tables.get(f) !== undefined : this.knownTables.has(f) || table(f) !== undefined)),
      table: (name) => (names().includes(name) ? table(name) : undefined),
      quarantined,
      cursor: () => {
        let newest = '';
        for (const t of names()) for (const e of table(t)?.extents ?? []) if (e.id > newest) newest = e.id;
        return newest;
      },
      quarantineSegments: () => legacySegments(this.dir),
    };
  }

  private readTable(folder: string): TableListing | undefined {
    const d = this.tablesDir(folder);
    // the extents are listed before the schema is read, and a schema only ever gains columns, so every
    // listed extent's columns are in the schema read
    const listing = this.cached(`table/${folder}`, d, (): { schema: TableSchema; ids: string[] } | null => {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return null; // a stray file beside the tables
        throw e;
      }
      if (!names.includes('schema.json')) return null;
      const ids = names.filter((n) => EXTENT_ID.test(n)).sort();
      try {
        return { schema: readJsonFile<TableSchema>(this.tablesDir(folder, 'schema.json'), `the schema of table ${folder}`, SCHEMA_WAY_OUT, checkSchema), ids };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; // the table was dropped meanwhile
        throw e;
      }
    });
    if (!listing) return undefined;
    // each extent's meta.json is read once per folder listing (kept with it)
    let metas = this.metas.get(folder);
    if (!metas) this.metas.set(folder, (metas = new Map()));
    const extents = listing.ids.map((id) => {
      let e = metas!.get(id);
      if (!e) metas!.set(id, (e = extentEntry(this.tablesDir(folder, id), id)));
      return e;
    });
    return { schema: listing.schema, shape: shapeOf(listing.schema), extents };
  }
}

export function checkSchema(v: unknown): string | undefined {
  const s = v as TableSchema;
  if (!s || typeof s !== 'object' || !Array.isArray(s.columns)) return 'no columns';
  return s.columns.some((c) => !c || typeof c.name !== 'string' || typeof c.type !== 'string') ? 'a column without a name or type' : undefined;
}

const QUARANTINE_WAY_OUT = 'It only holds per-table counts: delete it and the counts start again from zero.';

/** Quarantined records per table of a legacy workspace (quarantine/index.json). */
export function legacyQuarantineCounts(dir: string): Map<string, number> {
  const f = insideWorkspace(dir, 'quarantine', 'index.json');
  const m = new Map<string, number>();
  if (!existsSync(f)) return m;
  const index = readJsonFile<Record<string, number>>(f, 'the quarantine index', QUARANTINE_WAY_OUT, (v) => (v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'not an object'));
  for (const [k, v] of Object.entries(index)) if (Number.isSafeInteger(v)) m.set(k, v);
  return m;
}

/** The published quarantine files of a legacy workspace, in name order. */
export function legacySegments(dir: string): string[] {
  const q = insideWorkspace(dir, 'quarantine');
  return existsSync(q) ? readdirSync(q).filter((f) => f.endsWith('.ndjson') && !f.startsWith('.')).sort() : [];
}

/** Extents journalled under pending/ by ingests that did not finish: not part of the workspace. */
function journalled(dir: string): Set<string> {
  const out = new Set<string>();
  const p = insideWorkspace(dir, 'pending');
  if (!existsSync(p)) return out;
  for (const name of readdirSync(p)) {
    const path = insideWorkspace(p, name);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      // the last line may be cut by the kill that left the journal (its extent was not named yet)
      if (!line || i === lines.length - 1) return;
      try {
        const [table, id] = JSON.parse(line) as [string, string];
        out.add(`${table}/${id}`);
      } catch (e) {
        throw new WorkspaceError(`the ingest journal ${path} is damaged at line ${i + 1} (${(e as Error).message}): it lists extents of an ingest that did not finish. Remove the extents it names from tables/ by hand, or restore it from a backup, then delete it.`);
      }
    });
  }
  return out;
}

/** The manifest a legacy workspace's state comes to (its ledger entries are converted by the caller). */
export function legacyManifest(dir: string): Manifest {
  const m = emptyManifest();
  const skip = journalled(dir);
  const tables = insideWorkspace(dir, 'tables');
  if (existsSync(tables)) {
    const listings = new LegacyListings(dir);
    const catalog = listings.catalog(() => new Map());
    for (const name of catalog.tableNames()) {
      const t = catalog.table(name)!;
      m.tables.push({ name, schema: { ...t.schema, name }, extents: t.extents.filter((e) => !skip.has(`${name}/${e.id}`)) });
    }
  }
  m.quarantine = { segments: legacySegments(dir), counts: [...legacyQuarantineCounts(dir)] };
  return m;
}
