/**
 * Builds src/kql/semantics/schemas/defender-xdr-hunting.json: the column names and KQL types of the Defender
 * XDR advanced-hunting tables beyond the 10 Device* tables of defender-xdr.json, taken from the schema pages of
 * Microsoft's documentation (a checkout of github.com/MicrosoftDocs/defender-docs, pages
 * defender-xdr/advanced-hunting-<table>-table.md). Run by a developer, output committed; the product never
 * reads the checkout.
 *   node --import tsx scripts/build-defender-schemas.ts <defender-docs checkout> [--check] [--update]
 *     [--sentinel src/kql/semantics/schemas/azure-monitor-tables.json]
 * Which tables ship, in which order, and the one-line column notes come from
 * scripts/defender-schemas/column-notes.json (kqlite's own words; a column without a note ships without a
 * description); names and types only from the pages. A note for a column the page lacks, a missing page, an
 * unknown type or a table already in defender-xdr.json fail the build. --check compares instead of writing
 * (exit 1 when different); --update rebuilds only the tables whose page is in the checkout and keeps the
 * others as committed (for a partial copy of the docs). A column is never removed: a table keeps the committed
 * columns its page no longer lists (older queries name them), and the page's new columns follow them.
 * The 10 Device* tables of defender-xdr.json (a 2024 extract, shipped as it is) also take the columns their
 * current page lists that the extract lacks (compared without regard to case), appended after the extract's in
 * page order: written to defender-xdr-device-additions.json, which the catalog appends to those tables. A column
 * is never removed (older queries name it); with --update a Device* table without a page keeps its additions.
 * Two corrections, both classes, never single cells: a column the Azure Monitor reference (generated from the
 * live tables, see build-sentinel-schemas.ts) spells with other capitals takes that spelling (CloudAppEvents'
 * `Isp` is `ISP` in the data and in Microsoft's own queries; Kusto names are case-sensitive), and `Timestamp`,
 * every table's event time, is a datetime even where a page says string (GraphApiAuditEvents).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseTypeName } from '../src/kql/syntax/type-names.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '../src/kql/semantics/schemas/defender-xdr-hunting.json');
const ORIGINAL = join(here, '../src/kql/semantics/schemas/defender-xdr.json');
const NOTES = join(here, 'defender-schemas/column-notes.json');
const ADDITIONS = join(here, '../src/kql/semantics/schemas/defender-xdr-device-additions.json');

/** Spellings the documentation uses for a column type that are not Kusto type names. */
const DOC_TYPE_SPELLINGS: Record<string, string> = { integer: 'int', enum: 'string', object: 'dynamic', array: 'dynamic', 'nullable bool': 'bool' };
const SENTINEL = join(here, '../src/kql/semantics/schemas/azure-monitor-tables.json');

/** Column spellings of the live tables, per table, keyed by lower-case name. */
type LiveSpellings = ReadonlyMap<string, ReadonlyMap<string, string>>;

export function liveSpellings(compact: { table: string; columns: [string, string][] }[]): LiveSpellings {
  return new Map(compact.map((t) => [t.table, new Map(t.columns.map(([n]) => [n.toLowerCase(), n]))]));
}

/**
 * The live spellings of a table when its Azure Monitor namesake is the same data stream (three quarters of
 * the page's columns found there as written): Sentinel's IdentityInfo is a UEBA table of its own
 * (`AccountUPN`), not Defender's IdentityInfo (`AccountUpn`), and must not respell it.
 */
function sameStreamSpellings(table: string, columns: readonly { name: string }[], live: LiveSpellings): LiveSpellings {
  const spellings = live.get(table);
  if (!spellings) return new Map();
  const exact = columns.filter((c) => spellings.get(c.name.toLowerCase()) === c.name).length;
  return exact >= 0.75 * columns.length ? new Map([[table, spellings]]) : new Map();
}

/** The two documented-slip corrections (see the header). */
export function correctColumn(table: string, c: PageColumn, live: LiveSpellings): PageColumn {
  const spelled = live.get(table)?.get(c.name.toLowerCase()) ?? c.name;
  return { name: spelled, type: c.name === 'Timestamp' ? 'datetime' : c.type };
}

export interface PageColumn {
  name: string;
  type: string;
}

/**
 * The columns of the first `| Column name | Data type | Description |` table of a schema page. The name is the
 * first back-quoted word of the first cell (pages append footnote marks, `(Preview)` or links after it); the
 * type is the second cell without back quotes. Only the first two cells are read, so a `|` inside a
 * description cannot shift them.
 */
export function parseSchemaPage(markdown: string): { columns: PageColumn[]; problems: string[] } {
  const lines = markdown.split(/\r?\n/);
  const header = lines.findIndex((l) => /^\s*\|\s*Column name\s*\|\s*Data type\s*\|/i.test(l));
  if (header < 0) return { columns: [], problems: ['no "| Column name | Data type |" table'] };
  const columns: PageColumn[] = [];
  const problems: string[] = [];
  for (let i = header + 2; i < lines.length && /^\s*\|/.test(lines[i]!); i++) {
    const cells = lines[i]!.trim().replace(/^\|/, '').split('|');
    const nameCell = cells[0] ?? '';
    const typeCell = (cells[1] ?? '').replace(/`/g, '').trim().toLowerCase();
    const name = /`\s*([A-Za-z_][A-Za-z0-9_]*)\s*`/.exec(nameCell)?.[1] ?? /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(nameCell)?.[1];
    const type = normaliseTypeName(DOC_TYPE_SPELLINGS[typeCell] ?? typeCell);
    if (!name) problems.push(`row ${i + 1}: no column name in '${nameCell.trim()}'`);
    else if (!type) problems.push(`${name}: unknown type '${typeCell}'`);
    else if (columns.some((c) => c.name === name)) problems.push(`${name}: listed twice`);
    else columns.push({ name, type });
  }
  if (!columns.length && !problems.length) problems.push('the column table is empty');
  return { columns, problems };
}

interface BuiltTable {
  table: string;
  columns: { name: string; type: string; description?: string }[];
}

interface Notes {
  shared: Record<string, string>;
  tables: Record<string, Record<string, string>>;
}

export function buildTables(checkout: string, notes: Notes, originalTables: ReadonlySet<string>, live: LiveSpellings = new Map(), keep?: ReadonlyMap<string, BuiltTable>, previous?: ReadonlyMap<string, BuiltTable>) {
  const problems: string[] = [];
  const tables: BuiltTable[] = [];
  for (const [table, own] of Object.entries(notes.tables)) {
    if (originalTables.has(table)) {
      problems.push(`${table}: already shipped in defender-xdr.json`);
      continue;
    }
    const page = join(checkout, 'defender-xdr', `advanced-hunting-${table.toLowerCase()}-table.md`);
    if (!existsSync(page)) {
      const kept = keep?.get(table);
      const same = kept ? sameStreamSpellings(table, kept.columns, live) : new Map();
      if (kept) tables.push({ table, columns: kept.columns.map((c) => ({ ...c, ...correctColumn(table, c, same) })) });
      else problems.push(`${table}: no page ${page}`);
      continue;
    }
    const parsed = parseSchemaPage(readFileSync(page, 'utf8'));
    problems.push(...parsed.problems.map((p) => `${table}: ${p}`));
    const before = previous?.get(table)?.columns ?? [];
    const names = new Set([...parsed.columns, ...before].map((c) => c.name));
    for (const n of Object.keys(own)) if (!names.has(n)) problems.push(`${table}: note for '${n}', which the page does not list`);
    const same = sameStreamSpellings(table, parsed.columns, live);
    const fromPage = new Map(parsed.columns.map((page) => {
      const c = correctColumn(table, page, same);
      const description = own[page.name] ?? notes.shared[page.name];
      return [c.name.toLowerCase(), { name: c.name, type: c.type, ...(description ? { description } : {}) }] as const;
    }));
    // never a column removed or respelt: the committed ones keep their place and name (the page's type and note
    // where it still lists them, in whatever capitals), the page's new ones follow in page order
    const columns = before.map((c) => {
      const listed = fromPage.get(c.name.toLowerCase());
      return listed ? { ...listed, name: c.name } : c;
    });
    const had = new Set(before.map((c) => c.name.toLowerCase()));
    columns.push(...[...fromPage].filter(([k]) => !had.has(k)).map(([, c]) => c));
    tables.push({ table, columns });
  }
  return { tables, problems };
}

/**
 * The columns each Device* page lists beyond the 2024 extract's (see the header), in page order; tables with
 * nothing to add are left out. `keep` (--update) supplies the committed additions of a table without a page.
 */
export function buildDeviceAdditions(checkout: string, original: readonly BuiltTable[], live: LiveSpellings = new Map(), keep?: ReadonlyMap<string, BuiltTable>) {
  const problems: string[] = [];
  const tables: BuiltTable[] = [];
  for (const t of original) {
    const page = join(checkout, 'defender-xdr', `advanced-hunting-${t.table.toLowerCase()}-table.md`);
    if (!existsSync(page)) {
      const kept = keep?.get(t.table);
      if (kept) tables.push(kept);
      else if (!keep) problems.push(`${t.table}: no page ${page}`);
      continue;
    }
    const parsed = parseSchemaPage(readFileSync(page, 'utf8'));
    problems.push(...parsed.problems.map((p) => `${t.table}: ${p}`));
    const have = new Set(t.columns.map((c) => c.name.toLowerCase()));
    const same = sameStreamSpellings(t.table, [...t.columns, ...parsed.columns], live);
    const added = parsed.columns.filter((c) => !have.has(c.name.toLowerCase())).map((c) => correctColumn(t.table, c, same));
    if (added.length) tables.push({ table: t.table, columns: added });
  }
  return { tables, problems };
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const checkoutArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--sentinel');
  if (!checkoutArg) {
    console.error('usage: build-defender-schemas.ts <defender-docs checkout> [--check]');
    process.exit(2);
  }
  const checkout = resolve(checkoutArg);
  const notes = JSON.parse(readFileSync(NOTES, 'utf8')) as Notes;
  const originalTables = JSON.parse(readFileSync(ORIGINAL, 'utf8')) as BuiltTable[];
  const original = new Set(originalTables.map((t) => t.table));
  const sentinelArg = args[args.indexOf('--sentinel') + 1];
  const sentinel = args.includes('--sentinel') && sentinelArg ? sentinelArg : SENTINEL;
  const live = existsSync(sentinel) ? liveSpellings(JSON.parse(readFileSync(sentinel, 'utf8'))) : new Map();
  // the committed tables: kept whole for a page missing from a partial checkout (--update), and their columns
  // kept in any case (a column a page no longer lists stays: older queries name it)
  const previous = existsSync(OUT) ? new Map((JSON.parse(readFileSync(OUT, 'utf8')) as BuiltTable[]).map((t) => [t.table, t])) : undefined;
  const keep = args.includes('--update') ? previous : undefined;
  const { tables, problems } = buildTables(checkout, notes, original, live, keep, previous);
  const keptAdditions = !args.includes('--update') ? undefined : new Map(existsSync(ADDITIONS) ? (JSON.parse(readFileSync(ADDITIONS, 'utf8')) as BuiltTable[]).map((t) => [t.table, t]) : []);
  const additions = buildDeviceAdditions(checkout, originalTables, live, keptAdditions);
  problems.push(...additions.problems);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  const text = JSON.stringify(tables, null, 1) + '\n';
  const additionsText = JSON.stringify(additions.tables, null, 1) + '\n';
  const columns = tables.reduce((n, t) => n + t.columns.length, 0);
  const added = additions.tables.reduce((n, t) => n + t.columns.length, 0);
  const summary = `${tables.length} tables, ${columns} columns; ${added} columns added to ${additions.tables.length} Device* tables`;
  if (check) {
    const stale = [[OUT, text], [ADDITIONS, additionsText]].filter(([file, want]) => !existsSync(file!) || readFileSync(file!, 'utf8') !== want).map(([file]) => file);
    console.log(stale.length ? `${stale.join(' and ')} differ from the pages` : `up to date: ${summary}`);
    process.exit(stale.length ? 1 : 0);
  }
  writeFileSync(OUT, text);
  writeFileSync(ADDITIONS, additionsText);
  console.log(`wrote ${OUT} and ${ADDITIONS}: ${summary}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
