/** `kqlite tables [--workspace DIR] [--format table|json]`: what the workspace holds. */
import { formatDatetime } from '../engine/values/ticks.js';
import { Workspace } from '../ingest/index.js';
import { checkFormat, guarded, parseCommand, textTable, workspaceDir } from './shared.js';

const HELP = 'usage: kqlite tables [--workspace DIR] [--format table|json]\n\nTables in the workspace: rows, extents, time range, bytes on disk, quarantined records.';

export async function run(args: string[]): Promise<number> {
  return guarded('tables', () => {
    const p = parseCommand('tables', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' } }, HELP);
    if (!p) return 0;
    const format = checkFormat(p.values.format, ['table', 'json']);
    const ws = Workspace.open(workspaceDir(p.values.workspace));
    const tables = ws.tables().map((t) => ({
      name: t.name, rows: t.rows, extents: t.extents,
      minTimestamp: t.minTimestamp !== undefined ? formatDatetime(t.minTimestamp) : null,
      maxTimestamp: t.maxTimestamp !== undefined ? formatDatetime(t.maxTimestamp) : null,
      bytesOnDisk: t.bytesOnDisk, quarantined: t.quarantined,
    }));
    if (format === 'json') process.stdout.write(JSON.stringify({ workspace: ws.dir, tables }, null, 1) + '\n');
    else if (!tables.length) process.stdout.write(`${ws.dir}: no tables yet (kqlite ingest FILES or kqlite demo)\n`);
    else process.stdout.write(textTable(['table', 'rows', 'extents', 'from', 'to', 'bytes', 'quarantined'], tables.map((t) => [t.name, t.rows, t.extents, t.minTimestamp ?? '', t.maxTimestamp ?? '', t.bytesOnDisk, t.quarantined])));
    return 0;
  });
}
