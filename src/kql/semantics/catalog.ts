/**
 * The schema catalog: which tables exist and their columns. Built in: the Defender XDR advanced-hunting
 * tables, the 10 Device* tables of schemas/defender-xdr.json and the rest (alerts, behaviors, cloud apps,
 * email, Teams messages, identities, vulnerability management, exposure graph, cloud audit/process/DNS,
 * data security, Entra sign-ins) of schemas/defender-xdr-hunting.json, built from Microsoft's documentation
 * by scripts/build-defender-schemas.ts; and the Microsoft Sentinel / Azure Monitor Logs tables of
 * schemas/azure-monitor-tables.json (scripts/build-sentinel-schemas.ts). The default catalog is the two as
 * the Defender portal shows them together: every Sentinel table, and each Defender table with its Defender
 * columns (`Timestamp`) followed by the columns its Sentinel namesake adds (`TimeGenerated`, `TenantId` ...).
 * Also from a workspace (anything with tableNames()/schema()) and from user
 * schema files (same JSON shape: {table, columns:[{name, type, description?}]}, or an array of them).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag, type Diagnostic } from '../../common/diagnostics.js';
import type { ScalarTypeName } from '../syntax/ast.js';
import { normaliseTypeName } from '../syntax/type-names.js';
import type { TableSchema } from './types.js';
import defenderDeviceTables from './schemas/defender-xdr.json' with { type: 'json' };
import defenderHuntingTables from './schemas/defender-xdr-hunting.json' with { type: 'json' };
import defenderDeviceAdditions from './schemas/defender-xdr-device-additions.json' with { type: 'json' };
import windowsEventTables from './schemas/windows-events.json' with { type: 'json' };

export interface Catalog {
  tables: ReadonlyMap<string, TableSchema>;
}

export function catalogFromSchemas(schemas: Iterable<TableSchema>): Catalog {
  const tables = new Map<string, TableSchema>();
  for (const s of schemas) if (s.name) tables.set(s.name, s);
  return { tables };
}

function fromJson(t: { table: string; columns: { name: string; type: string; description?: string }[] }): TableSchema {
  return {
    name: t.table,
    columns: t.columns.map((c) => ({ name: c.name, type: (normaliseTypeName(c.type) ?? 'dynamic') as ScalarTypeName, ...(c.description ? { description: c.description } : {}) })),
  };
}

type SchemaJson = { table: string; columns: { name: string; type: string; description?: string }[] }[];

/**
 * The Device* tables of the 2024 extract with the columns their current documentation page adds appended
 * (schemas/defender-xdr-device-additions.json, built by scripts/build-defender-schemas.ts): real queries name
 * them (`InitiatingProcessUniqueId`, DeviceInfo's `OsBuildRevision`), and Defender runs those queries.
 */
function withAdditions(tables: SchemaJson, additions: SchemaJson): SchemaJson {
  const extra = new Map(additions.map((t) => [t.table, t.columns]));
  return tables.map((t) => ({ table: t.table, columns: [...t.columns, ...(extra.get(t.table) ?? [])] }));
}

/** Sentinel's Windows event tables (SecurityEvent, WindowsEvent, Event): where Windows event logs land. */
export const WINDOWS_EVENT_TABLES: readonly TableSchema[] = (windowsEventTables as SchemaJson).map(fromJson);

/**
 * Every shipped table: the binder's default catalog, ingest's coercion schemas, the workbench list. The
 * Defender XDR tables, and Sentinel's Windows event tables (Windows event logs are ingested into them).
 */
export const DEFENDER_TABLES: readonly TableSchema[] = [...withAdditions(defenderDeviceTables as SchemaJson, defenderDeviceAdditions as SchemaJson), ...(defenderHuntingTables as SchemaJson)].map(fromJson).concat(WINDOWS_EVENT_TABLES);

/**
 * The Microsoft Sentinel / Azure Monitor Logs tables (schemas/azure-monitor-tables.json, [name, type] pairs),
 * one table per line as scripts/build-sentinel-schemas.ts writes them: each line is parsed when its table is
 * first asked for. Parsing the whole file (540 KiB) took a third of a command's module loading, for the few
 * tables a query reads. Read from the file beside this module (tsc copies it into dist/).
 */
const SENTINEL_FILE = './schemas/azure-monitor-tables.json';
/** The file's shape; the reference also has tsc copy the file into dist/. */
type SentinelTablesJson = typeof import('./schemas/azure-monitor-tables.json', { with: { type: 'json' } });

/** Each table's JSON text by its name, from the file's text (exported for its tests). */
export function sentinelTableLines(text: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '[' || line === ']' || line === '') continue;
    const name = /^\s*\{\s*"table"\s*:\s*"([^"\\]+)"/.exec(line)?.[1];
    // written otherwise (tsc re-spaces the copy it puts in dist/, and might one day break lines): parse it whole
    if (name === undefined || !(line.endsWith('}') || line.endsWith('},'))) return new Map((JSON.parse(text) as SentinelTablesJson).map((t) => [t.table, JSON.stringify(t)]));
    lines.set(name, line.endsWith(',') ? line.slice(0, -1) : line);
  }
  return lines;
}

function sentinelSchema(line: string): TableSchema {
  const t = JSON.parse(line) as SentinelTablesJson[number];
  return { name: t.table, columns: t.columns.map(([name, type]) => ({ name: name!, type: type as ScalarTypeName })) };
}

/**
 * A catalog's tables, each schema made when first asked for. The default catalog has ~760 tables and ~21,000
 * columns, and building them all took 10-20 ms of every command's start; a query reads a few of them. Iterating
 * makes every one.
 */
class LazyTables implements ReadonlyMap<string, TableSchema> {
  private readonly made = new Map<string, TableSchema>();
  constructor(private readonly makers: ReadonlyMap<string, () => TableSchema>) {}
  get size(): number {
    return this.makers.size;
  }
  has(name: string): boolean {
    return this.makers.has(name);
  }
  get(name: string): TableSchema | undefined {
    let schema = this.made.get(name);
    if (schema === undefined) {
      const make = this.makers.get(name);
      if (make === undefined) return undefined;
      schema = make();
      this.made.set(name, schema);
    }
    return schema;
  }
  keys(): MapIterator<string> {
    return this.makers.keys();
  }
  *entries(): MapIterator<[string, TableSchema]> {
    for (const name of this.makers.keys()) yield [name, this.get(name)!];
  }
  *values(): MapIterator<TableSchema> {
    for (const name of this.makers.keys()) yield this.get(name)!;
  }
  forEach(f: (schema: TableSchema, name: string, map: ReadonlyMap<string, TableSchema>) => void, self?: unknown): void {
    for (const [name, schema] of this.entries()) f.call(self, schema, name, this);
  }
  [Symbol.iterator](): MapIterator<[string, TableSchema]> {
    return this.entries();
  }
}

let defaultTables: Catalog | undefined;

/** Defender and Sentinel tables together (see the header); built once, never changed. */
export function defaultCatalog(): Catalog {
  if (defaultTables) return defaultTables;
  const makers = new Map<string, () => TableSchema>();
  const sentinel = new Map<string, () => TableSchema>();
  const file = readFileSync(fileURLToPath(new URL(SENTINEL_FILE, import.meta.url)), 'utf8');
  for (const [name, line] of sentinelTableLines(file)) sentinel.set(name, () => sentinelSchema(line));
  for (const [name, make] of sentinel) makers.set(name, make);
  for (const d of DEFENDER_TABLES) {
    const namesake = sentinel.get(d.name!);
    makers.set(d.name!, namesake ? () => {
      const own = new Set(d.columns.map((c) => c.name));
      return { ...d, columns: [...d.columns, ...namesake().columns.filter((c) => !own.has(c.name))] };
    } : () => d);
  }
  defaultTables = { tables: new LazyTables(makers) };
  return defaultTables;
}

/** Later catalogs win on the same table name. A table's schema is taken from its catalog when first asked for. */
export function mergeCatalogs(...catalogs: Catalog[]): Catalog {
  const makers = new Map<string, () => TableSchema>();
  for (const c of catalogs) for (const name of c.tables.keys()) makers.set(name, () => c.tables.get(name)!);
  return { tables: new LazyTables(makers) };
}

/** Restricts a catalog to the named tables (a rule is bound against the tables it declares). */
export function restrictCatalog(catalog: Catalog, names: readonly string[]): Catalog {
  const tables = new Map<string, TableSchema>();
  for (const n of names) {
    const t = catalog.tables.get(n);
    if (t) tables.set(n, t);
  }
  return { tables };
}

/** Structural view of a table source (the engine's TableSource), so semantics need not import the engine. */
export interface SchemaSource {
  tableNames(): string[];
  schema(name: string): TableSchema | undefined;
}

export function catalogFromSource(source: SchemaSource): Catalog {
  return catalogFromSchemas(source.tableNames().map((n) => {
    try {
      return { ...source.schema(n)!, name: n };
    } catch {
      // a table whose schema cannot be read (a damaged file) binds with its columns open: queries of other
      // tables go on, and one that reads this table ends when its scan meets the damage, which says what to do
      return { name: n, columns: [], open: true };
    }
  }));
}

/** Loads user schema files (*.json) from a directory; unreadable files become diagnostics, the rest load. */
export function loadSchemaDir(dir: string): { catalog: Catalog; problems: { file: string; diagnostic: Diagnostic }[] } {
  const schemas: TableSchema[] = [];
  const problems: { file: string; diagnostic: Diagnostic }[] = [];
  const files = statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f)) : [dir];
  for (const file of files) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const list = Array.isArray(data) ? data : [data];
      for (const t of list) {
        if (!t || typeof t !== 'object' || typeof (t as { table?: unknown }).table !== 'string' || !Array.isArray((t as { columns?: unknown }).columns)) {
          throw new Error('expected {"table": name, "columns": [{"name", "type"}]}');
        }
        const bad = (t as { columns: { name?: unknown; type?: unknown }[] }).columns.find((c) => typeof c.name !== 'string' || typeof c.type !== 'string' || !normaliseTypeName(c.type as string));
        if (bad) throw new Error(`column ${JSON.stringify(bad)} needs a name and a KQL type`);
        schemas.push(fromJson(t as Parameters<typeof fromJson>[0]));
      }
    } catch (e) {
      problems.push({ file, diagnostic: diag('KQL2100', 'error', `cannot read schema file: ${(e as Error).message}`, { start: 0, end: 0 }) });
    }
  }
  return { catalog: catalogFromSchemas(schemas), problems };
}
