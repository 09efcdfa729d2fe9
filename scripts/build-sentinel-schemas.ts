/**
 * Builds src/kql/semantics/schemas/azure-monitor-tables.json: the column names and KQL types of the Microsoft
 * Sentinel / Azure Monitor Logs tables (SigninLogs, AuditLogs, SecurityEvent, OfficeActivity, Syslog, the
 * Sentinel copies of the Defender tables ...), taken from the reference pages of Microsoft's documentation
 * (github.com/MicrosoftDocs/azure-reference-other, folder azure-monitor-ref/tables/: one `<table>.md` page
 * per table whose `# Name` heading names it and whose `| Column | Type | Description |` table, inline or in
 * the page's `includes/<table>-include.md`, lists the columns; an include whose page is gone is named by its
 * `ms.custom:` line). Those pages are generated from the live
 * tables, so their spelling is the data's (`ISP`, not `Isp`). Run by a developer on a local copy; the output
 * is committed and the product never reads the docs.
 *   node --import tsx scripts/build-sentinel-schemas.ts <azure-monitor-ref/tables folder> [--check]
 * (the folder was removed from the repository's tip in November 2024; `git archive <commit> azure-monitor-ref/tables`
 * of the commit before that gives it). Only names and types are taken, never the descriptions.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseTypeName } from '../src/kql/syntax/type-names.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '../src/kql/semantics/schemas/azure-monitor-tables.json');

/** Type spellings of the pages that are not Kusto type names. */
const DOC_TYPES: Record<string, string> = { boolean: 'bool', integer: 'int', double: 'real', float: 'real', object: 'dynamic', bigint: 'long' };

/** The standard columns of a Log Analytics table (see buildTables). */
const STANDARD_COLUMNS: [string, string][] = [['TenantId', 'string'], ['TimeGenerated', 'datetime'], ['Type', 'string'], ['_ResourceId', 'string'], ['_SubscriptionId', 'string'], ['_IsBillable', 'string'], ['_BilledSize', 'real']];

export interface CompactTable {
  table: string;
  /** `[name, type]` pairs, in the page's order. */
  columns: [string, string][];
}

/** The first `| Column | Type |` table of a Markdown text: [name, type] pairs, plus problems. */
export function parseColumnTable(markdown: string): { columns: [string, string][]; problems: string[] } {
  const lines = markdown.split(/\r?\n/);
  const header = lines.findIndex((l) => /^\s*\|\s*Column( name)?\s*\|\s*(Data )?type\s*\|/i.test(l));
  if (header < 0) return { columns: [], problems: [] };
  const columns: [string, string][] = [];
  const problems: string[] = [];
  for (let i = header + 2; i < lines.length && /^\s*\|/.test(lines[i]!); i++) {
    const cells = lines[i]!.trim().replace(/^\|/, '').split('|');
    const name = (cells[0] ?? '').replace(/`/g, '').trim();
    const rawType = (cells[1] ?? '').replace(/`/g, '').trim().toLowerCase();
    const type = normaliseTypeName(DOC_TYPES[rawType] ?? rawType);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`row ${i + 1}: no column name in '${cells[0]?.trim()}'`);
    else if (!type) problems.push(`${name}: unknown type '${rawType}'`);
    else if (!columns.some(([n]) => n === name)) columns.push([name, type]);
  }
  return { columns, problems };
}

export function buildTables(folder: string): { tables: CompactTable[]; problems: string[] } {
  const tables: CompactTable[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.md')).sort()) {
    const text = readFileSync(join(folder, file), 'utf8');
    const name = /^#\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/m.exec(text)?.[1];
    if (!name) continue; // index and category pages
    const include = /\[!INCLUDE\s*\[[^\]]*\]\(\.\/(includes\/[^)]+)\)\]/.exec(text)?.[1];
    const source = include && existsSync(join(folder, include)) ? readFileSync(join(folder, include), 'utf8') : text;
    const parsed = parseColumnTable(source);
    problems.push(...parsed.problems.map((p) => `${name}: ${p}`));
    if (!parsed.columns.length) {
      problems.push(`${name}: no column table in ${file}${include ? ` or ${include}` : ''}`);
      continue;
    }
    if (tables.some((t) => t.table === name)) continue;
    tables.push({ table: name, columns: parsed.columns });
  }
  // includes whose page was dropped (SecurityAlert's) still document their table: `ms.custom: <Table>` names it
  const includes = join(folder, 'includes');
  for (const file of existsSync(includes) ? readdirSync(includes).filter((f) => f.endsWith('-include.md')).sort() : []) {
    const text = readFileSync(join(includes, file), 'utf8');
    const name = /^ms\.custom:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/m.exec(text)?.[1];
    if (!name || tables.some((t) => t.table === name)) continue;
    const parsed = parseColumnTable(text);
    if (!parsed.columns.length) continue;
    problems.push(...parsed.problems.map((p) => `${name}: ${p}`));
    tables.push({ table: name, columns: parsed.columns });
  }
  // a page that lists only a table's own columns (AzureDiagnostics: its resource columns) still has the
  // standard columns every workspace table carries ("Standard columns in Azure Monitor Logs",
  // MicrosoftDocs/azure-monitor-docs articles/azure-monitor/logs/log-standard-columns.md; _ItemId and
  // _TimeReceived, computed and hidden from schemas, left out), typed as the other pages type them
  for (const t of tables) {
    if (t.columns.some(([n]) => n === 'TimeGenerated')) continue;
    for (const c of STANDARD_COLUMNS) if (!t.columns.some(([n]) => n === c[0])) t.columns.push(c);
  }
  tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  return { tables, problems };
}

function main(): void {
  const args = process.argv.slice(2);
  const folder = args.find((a) => !a.startsWith('--'));
  if (!folder) {
    console.error('usage: build-sentinel-schemas.ts <azure-monitor-ref/tables folder> [--check]');
    process.exit(2);
  }
  const { tables, problems } = buildTables(resolve(folder));
  // a page without a usable column table is reported, not fatal: a handful of pages describe tables whose
  // columns are documented elsewhere (AzureDiagnostics' resource-specific columns)
  if (problems.length) console.error(problems.join('\n'));
  const text = '[\n' + tables.map((t) => JSON.stringify(t)).join(',\n') + '\n]\n';
  const columns = tables.reduce((n, t) => n + t.columns.length, 0);
  if (args.includes('--check')) {
    const same = existsSync(OUT) && readFileSync(OUT, 'utf8') === text;
    console.log(same ? `up to date: ${tables.length} tables, ${columns} columns` : `${OUT} differs from the pages`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${tables.length} tables, ${columns} columns`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
