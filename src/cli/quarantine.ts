/**
 * `kqlite quarantine [--workspace DIR] [--table T] [--file TEXT] [--limit N] [--format table|json]`: the
 * records ingest set aside, with where they were and why, so a count in `kqlite tables` can be looked into.
 */
import { basename } from 'node:path';
import { readQuarantine, Workspace } from '../ingest/index.js';
import { checkFormat, guarded, parseCommand, textTable, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite quarantine [--workspace DIR] [--table T] [--file TEXT] [--limit N] [--format table|json]

The records ingest could not load: the file, where in it (line, record, or byte of a damaged .gz), the table,
the reason, and the start of the record. --table keeps one table's (case-insensitive), --file those of files
whose path contains TEXT; --limit shows at most N (default 50, 0 for all). JSON gives every field in full.`;

export async function run(args: string[]): Promise<number> {
  return guarded('quarantine', () => {
    const p = parseCommand('quarantine', args, { workspace: { type: 'string', short: 'w' }, table: { type: 'string' }, file: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string' } }, HELP);
    if (!p) return 0;
    const v = p.values;
    const format = checkFormat(v.format, ['table', 'json']);
    const limit = v.limit === undefined ? 50 : Number(v.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a whole number (0 for all), not '${v.limit}'\n${HELP}`);
    const ws = Workspace.open(workspaceDir(v.workspace));
    const matching = readQuarantine(ws, { ...(v.table ? { table: v.table } : {}), ...(v.file ? { file: v.file } : {}) });
    const shown = limit ? matching.slice(0, limit) : matching;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ workspace: ws.dir, total: matching.length, records: shown }, null, 1) + '\n');
      return 0;
    }
    if (!matching.length) {
      process.stdout.write(`${ws.dir}: no quarantined records${v.table || v.file ? ' match' : ''}\n`);
      return 0;
    }
    process.stdout.write(textTable(['file', 'where', 'table', 'reason', 'record'], shown.map((e) => [basename(String(e['file'])), where(e), e['table'] as string | undefined, e['reason'] as string, oneLine(e['raw'])])));
    if (shown.length < matching.length) process.stdout.write(`showing ${shown.length} of ${matching.length} quarantined records (--limit 0 for all, --format json for every field)\n`);
    return 0;
  });
}

function where(e: Record<string, unknown>): string {
  if (typeof e['line'] === 'number') return `line ${e['line']}`;
  if (typeof e['offset'] === 'number') return `record ${e['offset']}`;
  if (typeof e['byte'] === 'number') return `byte ${e['byte']}`;
  return '';
}

const oneLine = (raw: unknown) => (typeof raw === 'string' ? raw.replace(/\s+/g, ' ') : undefined);
