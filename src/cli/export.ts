/**
 * `kqlite export (--cluster URL --database DB | --remote NAME) [--tables T1,T2] [--workspace DIR]`:
 * the workspace's tables into a Kusto database (Azure Data Explorer or another kqlite server), created with
 * the same schemas, so the same rules run there.
 */
import { existsSync } from 'node:fs';
import { Workspace } from '../ingest/index.js';
import { KustoEngine, exportTables } from '../remote/index.js';
import { REMOTE_HELP, REMOTE_OPTIONS, remoteFromFlags } from './remote-options.js';
import { guarded, parseCommand, thousands, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite export (--cluster URL --database DB | --remote NAME) [--tables T1,T2,...] [--workspace DIR] [auth flags]

Creates each table in the Kusto database (.create-merge table, the workspace's schema) and sends its rows
(.ingest inline, in batches). Default: every table of the workspace.
${REMOTE_HELP}`;

export async function run(args: string[]): Promise<number> {
  return guarded('export', async () => {
    const p = parseCommand('export', args, { workspace: { type: 'string', short: 'w' }, tables: { type: 'string', multiple: true }, ...REMOTE_OPTIONS }, HELP);
    if (!p) return 0;
    const dir = workspaceDir(p.values.workspace);
    if (!existsSync(dir)) throw new UsageError(`no workspace at ${dir}`);
    const spec = remoteFromFlags(p.values, dir);
    if (!spec) throw new UsageError(`say where to: --cluster URL --database DB, or --remote NAME\n${HELP}`);
    if (spec.kind !== 'kusto') throw new UsageError(`export writes to a Kusto database (Azure Data Explorer or kqlite serve), not to ${spec.kind}`);
    const ws = Workspace.open(dir);
    const all = ws.tableNames();
    const wanted = (p.values.tables ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    for (const t of wanted) if (!all.includes(t)) throw new UsageError(`the workspace has no table '${t}' (it has ${all.join(', ')})`);
    const engine = new KustoEngine(spec);
    try {
      const report = await exportTables(ws, engine, wanted.length ? wanted : all, (t, n) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${t}: ${thousands(n)} rows\x1b[K`);
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      for (const t of report.tables) process.stdout.write(`${t.name}: ${thousands(t.rows)} rows in ${t.batches} batch${t.batches === 1 ? '' : 'es'}\n`);
      process.stdout.write(`exported ${report.tables.length} table${report.tables.length === 1 ? '' : 's'} to ${engine.label}\n`);
      return 0;
    } finally {
      engine.close();
    }
  });
}
