/**
 * `kqlite query [QUERY | --file F] [--workspace DIR] [--as-of TIME] [--format table|json|csv|ndjson]
 * [--max-rows N] [--timeout MS] [--allow-network]`: runs KQL. Without a workspace the query runs on its own data
 * (datatable, print, range). Exit 1 with rendered diagnostics on error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderDiagnostics } from '../common/diagnostics.js';
import { resolveWorkspaceDir } from '../common/workspace-dir.js';
import { runQuery, type ExternalDataSource, type TableSource } from '../engine/index.js';
import { csvChunks, jsonChunks, ndjsonChunks, textTableChunks } from '../engine/format/encode.js';
import { parseByteSize } from './shared.js';
import { parseDatetimeText } from '../kql/syntax/index.js';
// the library module alone, not the rules barrel: a query needs the workspace's functions, not the rule
// readers with their ATT&CK and RMM catalogs (the bundled CLI would load and parse those too)
import { workspaceLibrary } from '../rules/sources/library.js';
import type { Table } from '../engine/storage/column.js';
import type { RemoteQueryOptions, RemoteSpec } from '../remote/index.js';
import { REMOTE_HELP, REMOTE_OPTIONS, remoteFromFlags } from './remote-options.js';

const HELP = `usage: kqlite query [QUERY | --file F] [--workspace DIR] [--as-of TIME] [--format table|json|csv|ndjson]
                    [--max-rows N] [--timeout MS] [--memory-budget SIZE] [--allow-network]
                    [remote flags]

Runs a KQL query. The query comes from the argument, --file, or stdin. --as-of sets now() for the whole
query (default: the wall clock). Without a workspace the query runs on its own data (datatable, print, range).
--memory-budget (e.g. 512MB, 2GB) is how much memory the query may take (default: half of Node's heap limit;
at most that limit, which node --max-old-space-size raises); past it the query ends with KQL4004.
--allow-network lets externaldata fetch its http/https URLs (a copy is kept in the workspace, so a re-run
works offline); the workspace's config.json can allow it for good ("externalData": {"allowNetwork": true}).
${REMOTE_HELP}`;

interface IngestModule {
  openWorkspace?: (d: string, o?: object) => TableSource;
  externalDataFor?: (dir: string | undefined, flags: { allowNetwork?: boolean; allowPrivateNetwork?: boolean }) => ExternalDataSource;
}

async function ingestModule(): Promise<IngestModule> {
  // literal specifiers, so the bundled CLI (scripts/build-cli.mjs) holds these modules too; the two modules
  // rather than the ingest barrel, whose readers, worker pool and demo generator a query never runs (their
  // top-level work, node:zlib, node:stream and node:worker_threads were loaded by every query)
  const [store, external] = await Promise.all([import('../store/workspace.js'), import('../ingest/external-data.js')]).catch(() => [undefined, undefined]);
  return store && external ? { openWorkspace: (d) => store.Workspace.open(d), externalDataFor: external.externalDataFor } : {};
}

/** externaldata's source alone, for a query with no workspace (the store's modules are not set up for it). */
async function externalDataModule(): Promise<IngestModule> {
  const external = await import('../ingest/external-data.js').catch(() => undefined);
  return external ? { externalDataFor: external.externalDataFor } : {};
}

/** The workspace (undefined when none was named and .kqlite/ does not exist) and externaldata's source. */
async function openSource(flag: string | undefined, allowNetwork: boolean): Promise<{ source?: TableSource; externalData?: ExternalDataSource }> {
  const dir = resolveWorkspaceDir(flag);
  const none = !flag && !process.env['KQLITE_WORKSPACE'] && !existsSync(dir);
  if (!none && !existsSync(dir)) throw new Error(`no workspace at ${dir}`);
  const mod = none ? await externalDataModule() : await ingestModule();
  if ((!none && !mod.openWorkspace) || !mod.externalDataFor) throw new Error('workspaces are not available in this build');
  // the query is the user's own text: --allow-network reaches what they wrote, this machine and the LAN too
  // (hunts run rules from elsewhere, so they reach private addresses only where config.json allows it)
  const externalData = mod.externalDataFor(none ? undefined : dir, { allowNetwork, allowPrivateNetwork: allowNetwork });
  return none ? { externalData } : { source: mod.openWorkspace!(dir), externalData };
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
        'allow-network': { type: 'boolean' },
        'memory-budget': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...REMOTE_OPTIONS,
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
  if (v.file && opts.positionals.length) {
    process.stderr.write(`kqlite query: unexpected argument '${opts.positionals[0]}': the query comes from --file ${v.file}\n${HELP}\n`);
    return 1;
  }
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
  const memoryBudgetBytes = v['memory-budget'] === undefined ? undefined : parseByteSize(v['memory-budget']);
  if (memoryBudgetBytes === null) {
    process.stderr.write(`kqlite query: --memory-budget must be a size such as 512MB or 2GB, not '${v['memory-budget']}'\n`);
    return 1;
  }
  let remote: RemoteSpec | undefined;
  try {
    remote = remoteFromFlags(v, v.workspace ?? (process.env['KQLITE_WORKSPACE'] || existsSync(resolveWorkspaceDir(undefined)) ? resolveWorkspaceDir(v.workspace) : undefined));
  } catch (e) {
    process.stderr.write(`kqlite query: ${(e as Error).message}\n`);
    return 1;
  }
  if (remote) return runRemote(remote, text, v.format!, { ...(now !== undefined ? { now } : {}), ...(maxRows ? { maxRows } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  let opened: { source?: TableSource; externalData?: ExternalDataSource };
  try {
    opened = await openSource(v.workspace, Boolean(v['allow-network']));
  } catch (e) {
    process.stderr.write(`kqlite query: ${(e as Error).message}\n`);
    return 1;
  }
  const { source, externalData } = opened;
  const wsDir = resolveWorkspaceDir(v.workspace);
  const library = existsSync(wsDir) ? workspaceLibrary(wsDir) : undefined;
  let result;
  try {
    result = runQuery(text, { ...(library ? { library } : {}), ...(source ? { source } : {}), ...(externalData ? { externalData } : {}), ...(now !== undefined ? { now } : {}), ...(maxRows ? { maxRows } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(memoryBudgetBytes ? { memoryBudgetBytes } : {}) });
  } catch (e) {
    // a workspace file that cannot be read (its error names the file and the way out)
    process.stderr.write(`kqlite query: ${(e as Error).message}\n`);
    return 1;
  }
  if (!result.ok) {
    process.stderr.write(renderDiagnostics(file, text, result.diagnostics.filter((d) => d.severity === 'error')) + '\n');
    return 1;
  }
  printResult(result.tables, result.warnings, v.format!);
  return 0;
}

function printResult(tables: readonly { table: Table }[], warnings: readonly string[], format: string): void {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  // written as it is encoded (stdout writes are synchronous on Linux), so the text is never held whole
  const write = (chunks: Iterable<string>) => {
    for (const c of chunks) process.stdout.write(c);
  };
  for (const t of tables) {
    if (format === 'json') {
      write(jsonChunks(t.table));
      process.stdout.write('\n');
    } else if (format === 'csv') write(csvChunks(t.table));
    else if (format === 'ndjson') write(ndjsonChunks(t.table));
    else {
      write(textTableChunks(t.table));
      process.stdout.write(`(${t.table.length} row${t.table.length === 1 ? '' : 's'})\n`);
    }
  }
}

/** The query on a remote engine (Kusto, Log Analytics, Defender), printed as a local result would be. */
async function runRemote(spec: RemoteSpec, text: string, format: string, opts: RemoteQueryOptions): Promise<number> {
  const { openRemote, RemoteError } = await import('../remote/index.js');
  let engine;
  try {
    engine = openRemote(spec);
    const r = await engine.query(text, opts);
    printResult(r.tables, r.warnings, format);
    return 0;
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    process.stderr.write(`kqlite query: ${e.message}\n`);
    return 1;
  } finally {
    engine?.close();
  }
}
