/**
 * Builds src/kql/semantics/schemas/defender-xdr-hunting.json: the column names and KQL types of the Defender
 * XDR advanced-hunting tables beyond the 10 Device* tables of defender-xdr.json, taken from the schema pages of
 * Microsoft's documentation (a checkout of github.com/MicrosoftDocs/defender-docs, pages
 * defender-xdr/advanced-hunting-<table>-table.md). Run by a developer, output committed; the product never
 * reads the checkout.
 *   node --import tsx scripts/build-defender-schemas.ts <defender-docs checkout> [--check]
 * Which tables ship, in which order, and the one-line column notes come from
 * scripts/defender-schemas/column-notes.json (kqlite's own words); names and types only from the pages. A
 * page column without a note, a note for a column the page lacks, a missing page, an unknown type or a table
 * already in defender-xdr.json fail the build. --check compares instead of writing (exit 1 when different).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseTypeName } from '../src/kql/syntax/type-names.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '../src/kql/semantics/schemas/defender-xdr-hunting.json');
const ORIGINAL = join(here, '../src/kql/semantics/schemas/defender-xdr.json');
const NOTES = join(here, 'defender-schemas/column-notes.json');

/** Spellings the documentation uses for a column type that are not Kusto type names. */
const DOC_TYPE_SPELLINGS: Record<string, string> = { integer: 'int' };

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
    const name = /`([A-Za-z_][A-Za-z0-9_]*)`/.exec(nameCell)?.[1] ?? /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(nameCell)?.[1];
    const type = normaliseTypeName(DOC_TYPE_SPELLINGS[typeCell] ?? typeCell);
    if (!name) problems.push(`row ${i + 1}: no column name in '${nameCell.trim()}'`);
    else if (!type) problems.push(`${name}: unknown type '${typeCell}'`);
    else if (columns.some((c) => c.name === name)) problems.push(`${name}: listed twice`);
    else columns.push({ name, type });
  }
  if (!columns.length && !problems.length) problems.push('the column table is empty');
  return { columns, problems };
}

interface Notes {
  shared: Record<string, string>;
  tables: Record<string, Record<string, string>>;
}

export function buildTables(checkout: string, notes: Notes, originalTables: ReadonlySet<string>) {
  const problems: string[] = [];
  const tables: { table: string; columns: { name: string; type: string; description: string }[] }[] = [];
  for (const [table, own] of Object.entries(notes.tables)) {
    if (originalTables.has(table)) {
      problems.push(`${table}: already shipped in defender-xdr.json`);
      continue;
    }
    const page = join(checkout, 'defender-xdr', `advanced-hunting-${table.toLowerCase()}-table.md`);
    if (!existsSync(page)) {
      problems.push(`${table}: no page ${page}`);
      continue;
    }
    const parsed = parseSchemaPage(readFileSync(page, 'utf8'));
    problems.push(...parsed.problems.map((p) => `${table}: ${p}`));
    const names = new Set(parsed.columns.map((c) => c.name));
    for (const n of Object.keys(own)) if (!names.has(n)) problems.push(`${table}: note for '${n}', which the page does not list`);
    const columns = parsed.columns.map((c) => {
      const description = own[c.name] ?? notes.shared[c.name];
      if (!description) problems.push(`${table}.${c.name}: no note in column-notes.json`);
      return { name: c.name, type: c.type, description: description ?? '' };
    });
    tables.push({ table, columns });
  }
  return { tables, problems };
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const checkoutArg = args.find((a) => !a.startsWith('--'));
  if (!checkoutArg) {
    console.error('usage: build-defender-schemas.ts <defender-docs checkout> [--check]');
    process.exit(2);
  }
  const checkout = resolve(checkoutArg);
  const notes = JSON.parse(readFileSync(NOTES, 'utf8')) as Notes;
  const original = new Set((JSON.parse(readFileSync(ORIGINAL, 'utf8')) as { table: string }[]).map((t) => t.table));
  const { tables, problems } = buildTables(checkout, notes, original);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  const text = JSON.stringify(tables, null, 1) + '\n';
  const columns = tables.reduce((n, t) => n + t.columns.length, 0);
  if (check) {
    const same = existsSync(OUT) && readFileSync(OUT, 'utf8') === text;
    console.log(same ? `up to date: ${tables.length} tables, ${columns} columns` : `${OUT} differs from the pages`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${tables.length} tables, ${columns} columns`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
