/**
 * `kqlite query [QUERY | --file F] [--workspace DIR] [--as-of TIME] [--format table|json|csv|ndjson]
 * [--max-rows N] [--timeout MS]`: runs KQL. Without a workspace the query runs on its own data
 * (datatable, print, range). Exit 1 with rendered diagnostics on error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderDiagnostics } from '../common/diagnostics.js';
import { resolveWorkspaceDir } from '../common/workspace-dir.js';
import { runQuery, type TableSource } from '../engine/index.js';
import { toCsv, toJsonResult, toNdjson, toTextTable } from '../engine/format/encode.js';
import { parseDatetimeText } from '../kql/syntax/index.js';

const HELP = `usage: kqlite query [QUERY | --file F] [--workspace DIR] [--as-of TIME] [--format table|json|csv|ndjson]
                    [--max-rows N] [--timeout MS]

Runs a KQL query. The query comes from the argument, --file, or stdin. --as-of sets now() for the whole
query (default: the wall clock). Without a workspace the query runs on its own data (datatable, print, range).`;

async function openSource(flag: string | undefined): Promise<TableSource | undefined> {
  const dir = resolveWorkspaceDir(flag);
  if (!flag && !process.env['KQLITE_WORKSPACE'] && !existsSync(dir)) return undefined;
  if (!existsSync(dir)) throw new Error(`no workspace at ${dir}`);
  const url = new URL(import.meta.url.endsWith('.ts') ? '../ingest/index.ts' : '../ingest/index.js', import.meta.url);
  const mod = (await import(url.href).catch(() => undefined)) as { openWorkspace?: (d: string, o?: object) => TableSource } | undefined;
  if (!mod?.openWorkspace) throw new Error('workspaces are not available in this build');
  return mod.openWorkspace(dir);
}

export async function run(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        workspace: { type: 'string', short: 'w' },
        'as-of': { type: 'string' },
        format: { type: 'string', default: 'table' },
        'max-rows': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`kqlite query: ${(e as Error).message}\n${HELP}\n`);
    return 1;
  }
  const v = opts.values;
  if (v.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (!['table', 'json', 'csv', 'ndjson'].includes(v.format!)) {
    process.stderr.write(`kqlite query: --format must be table, json, csv or ndjson, not '${v.format}'\n`);
    return 1;
  }
  let text: string;
  let file = '<query>';
  if (v.file) {
    if (!existsSync(v.file)) {
      process.stderr.write(`kqlite query: no such file: ${v.file}\n`);
      return 1;
    }
    text = readFileSync(v.file, 'utf8');
    file = v.file;
  } else if (opts.positionals.length) text = opts.positionals.join(' ');
  else text = readFileSync(0, 'utf8');
  let now: bigint | undefined;
  if (v['as-of']) {
    now = parseDatetimeText(v['as-of']);
    if (now === undefined) {
      process.stderr.write(`kqlite query: --as-of '${v['as-of']}' is not a datetime (use ISO 8601, e.g. 2024-05-10T12:00:00Z)\n`);
      return 1;
    }
  }
  const num = (s: string | undefined, name: string): number | undefined | null => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) {
      process.stderr.write(`kqlite query: --${name} must be a positive whole number\n`);
      return null;
    }
    return n;
  };
  const maxRows = num(v['max-rows'], 'max-rows');
  const timeoutMs = num(v.timeout, 'timeout');
  if (maxRows === null || timeoutMs === null) return 1;
  let source: TableSource | undefined;
  try {
    source = await openSource(v.workspace);
  } catch (e) {
    process.stderr.write(`kqlite query: ${(e as Error).message}\n`);
    return 1;
  }
  let result;
  try {
    result = runQuery(text, { ...(source ? { source } : {}), ...(now !== undefined ? { now } : {}), ...(maxRows ? { maxRows } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  } catch (e) {
    // a workspace file that cannot be read (its error names the file and the way out)
    process.stderr.write(`kqlite query: ${(e as Error).message}\n`);
    return 1;
  }
  if (!result.ok) {
    process.stderr.write(renderDiagnostics(file, text, result.diagnostics.filter((d) => d.severity === 'error')) + '\n');
    return 1;
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const t of result.tables) {
    if (v.format === 'json') process.stdout.write(JSON.stringify(toJsonResult(t.table)) + '\n');
    else if (v.format === 'csv') process.stdout.write(toCsv(t.table));
    else if (v.format === 'ndjson') process.stdout.write(toNdjson(t.table));
    else process.stdout.write(toTextTable(t.table) + `(${t.table.length} row${t.table.length === 1 ? '' : 's'})\n`);
  }
  return 0;
}
