/** `kqlite compact [--workspace DIR] [--table T ...] [--wait SECONDS] [--format table|json]`: merge small extents. */
import { compactSmallExtents, Workspace, WorkspaceWriter } from '../store/index.js';
import { checkFormat, guarded, parseCommand, thousands, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite compact [--workspace DIR] [--table T ...] [--wait SECONDS] [--format table|json]

Merges each run of small extents (under 65,536 rows) of the workspace's tables into extents of up to a
million rows, as one commit: queries then read fewer, larger extents. Ingest does this by itself when a
table is left with more than 8 small extents. Queries running meanwhile go on reading the old extents,
which are deleted by a later write (ingest, compact) once they are 10 minutes old. Like ingest, it waits up
to --wait SECONDS (default 10) for another writer of the workspace.`;

export async function run(args: string[]): Promise<number> {
  return guarded('compact', () => {
    const p = parseCommand('compact', args, { workspace: { type: 'string', short: 'w' }, table: { type: 'string', multiple: true }, wait: { type: 'string' }, format: { type: 'string' } }, HELP);
    if (!p) return 0;
    const v = p.values;
    if (p.positionals.length) throw new UsageError(`kqlite compact takes no arguments besides its options\n${HELP}`);
    const format = checkFormat(v.format, ['table', 'json']);
    const wait = v.wait === undefined ? 10 : Number(v.wait);
    if (!(Number.isFinite(wait) && wait >= 0 && wait <= 86_400)) throw new UsageError(`--wait must be a number of seconds from 0 to 86400, not '${v.wait}'\n${HELP}`);
    const dir = workspaceDir(v.workspace);
    if (!Workspace.exists(dir)) throw new Error(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest)`);
    const writer = WorkspaceWriter.open(dir, { command: 'compact', waitMs: wait * 1000 });
    let done;
    try {
      done = compactSmallExtents(writer, { ...(v.table?.length ? { tables: v.table } : {}) });
      writer.commit();
    } finally {
      writer.close();
    }
    if (format === 'json') process.stdout.write(JSON.stringify({ workspace: dir, tables: done }, null, 1) + '\n');
    else if (!done.length) process.stdout.write(`${dir}: nothing to compact (no table has two small extents side by side)\n`);
    else for (const t of done) process.stdout.write(`${t.name}: ${t.extentsBefore} extents → ${t.extentsAfter} (${thousands(t.rows)} rows merged)\n`);
    return 0;
  });
}
