/**
 * `kqlite ingest <files|dirs|globs...> [--workspace DIR] [--table T] [--format auto|...] [--threads N] [--force] [--quiet] [--json]`
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { FORMATS, ingestPaths, Workspace, type IngestProgress } from '../ingest/index.js';
import { ProgressLine } from './progress.js';
import { guarded, parseCommand, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite ingest <files|dirs|globs...> [--workspace DIR] [--table T] [--format auto|${FORMATS.join('|')}] [--threads N] [--wait SECONDS] [--force] [--quiet] [--json]

Loads Defender / Sentinel exports (.gz read transparently) into the workspace, streaming: files of any size
are read with bounded memory and written as extents every million rows. Records that cannot be read go to
the workspace's quarantine with file, line and reason; the run ends with read N, loaded L, quarantined Q.
On a terminal, stderr shows bytes done, rows/s and the time left (--quiet hides it and the per-file lines).
--threads N: threads that read (default: the cores); several files are read side by side, and one large
NDJSON file of a known table is split across them. --threads 1 reads everything in one thread; more threads
than cores are not used.
One ingest writes a workspace at a time: another waits up to --wait SECONDS (default 10) for it to finish.
Loaded files are committed together with their quarantined records and ledger entries, about once a second:
an ingest that is interrupted keeps what it committed, and running it again loads the rest.
Windows event logs (EVTX, evtx_dump / Winlogbeat / NXLog JSON, and Windows event XML from wevtutil or Event
Viewer) land in SecurityEvent or WindowsEvent and,
mapped, in the Defender tables (docs/WINDOWS-EVENTS.md); damaged records or chunks go to quarantine with the
byte and the reason, the rest loads.`;

export async function run(args: string[]): Promise<number> {
  return guarded('ingest', async () => {
    const p = parseCommand('ingest', args, { workspace: { type: 'string', short: 'w' }, table: { type: 'string' }, format: { type: 'string' }, force: { type: 'boolean' }, threads: { type: 'string' }, wait: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, json: { type: 'boolean' } }, HELP, ['[files...]']);
    if (!p) return 0;
    const v = p.values;
    if (!p.positionals.length) throw new UsageError(`name the files to ingest\n${HELP}`);
    const threads = v.threads === undefined ? undefined : Number(v.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) throw new UsageError(`--threads must be a whole number from 1 to 256, not '${v.threads}'\n${HELP}`);
    const wait = v.wait === undefined ? undefined : Number(v.wait);
    if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0 && wait <= 86_400)) throw new UsageError(`--wait must be a number of seconds from 0 to 86400, not '${v.wait}'\n${HELP}`);
    const notes: string[] = [];
    const cores = availableParallelism();
    // more threads than cores only compete for them, and each holds up to ~100 MiB of pending rows
    if (threads !== undefined && threads > cores) notes.push(`--threads ${threads}: this machine has ${cores} core${cores > 1 ? 's' : ''}, so ${cores} thread${cores > 1 ? 's' : ''} read`);
    const ws = Workspace.open(workspaceDir(v.workspace), { create: true });
    // progress only on a terminal: piped or redirected stderr gets no carriage-return lines
    const line = process.stderr.isTTY && !v.quiet ? new ProgressLine(process.stderr) : undefined;
    const started = Date.now();
    const report = await ingestPaths(ws, p.positionals, {
      ...(v.table ? { table: v.table } : {}), ...(v.format ? { format: v.format } : {}), ...(v.force ? { force: true } : {}), ...(threads ? { workers: Math.min(threads, cores) } : {}), ...(wait !== undefined ? { waitMs: wait * 1000 } : {}),
      ...(line ? { onProgress: (pr: IngestProgress) => line.update({ ...pr, elapsedMs: Date.now() - started, label: `[${pr.fileIndex + 1}/${pr.files}] ${basename(pr.file)}` }) } : {}),
    });
    line?.clear();
    if (v.json) {
      process.stdout.write(JSON.stringify(notes.length ? { ...report, notes: [...notes, ...(report.notes ?? [])] } : report, null, 1) + '\n');
    } else if (!v.quiet) {
      for (const f of report.files) {
        if (f.skipped) process.stdout.write(`skipped ${f.file}: ${f.skipped}\n`);
        else if (f.refused) process.stdout.write(`refused ${f.file}: ${f.refused}\n`);
        else {
          process.stdout.write(`${f.file} (${f.format}${f.threads ? `, read by ${f.threads} threads` : ''}): read ${f.read}, loaded ${f.loaded}, quarantined ${f.quarantined}${Object.keys(f.tables).length ? ` → ${Object.entries(f.tables).map(([t, n]) => `${t} ${n}`).join(', ')}` : ''}${f.derived ? ` (${f.derived} of the events also as Defender rows)` : ''}\n`);
          for (const [t, cols] of Object.entries(f.extraColumns)) process.stdout.write(`  note: ${t}: kept ${cols.length} column${cols.length > 1 ? 's' : ''} outside its schema: ${cols.join(', ')}\n`);
          for (const t of f.inferredTables) process.stdout.write(`  note: ${t} is not a known Defender table; its schema was inferred from the data\n`);
          for (const n of f.notes ?? []) process.stdout.write(`  note: ${n}\n`);
        }
      }
    }
    if (!v.json) {
      for (const n of [...notes, ...(report.notes ?? [])]) process.stdout.write(`note: ${n}\n`);
      process.stdout.write(`read ${report.read}, loaded ${report.loaded}, quarantined ${report.quarantined}${report.refusedFiles ? `, files refused ${report.refusedFiles}` : ''}${report.skippedFiles ? `, files skipped ${report.skippedFiles}` : ''}\n`);
    }
    // paths that could not be read at all (missing, unreadable): said on stderr too; the other files were read
    for (const f of report.files) if (f.refused && f.format === undefined && !f.refused.startsWith('not ')) process.stderr.write(`kqlite ingest: ${f.file}: ${f.refused}; skipped\n`);
    if (report.stopped) {
      process.stderr.write(`kqlite ingest: stopped: ${report.stopped}. The files reported as loaded are in the workspace; the others were not loaded and nothing of them is kept. Fix the cause and run the same command again: files already loaded are skipped.\n`);
    }
    return report.refusedFiles || report.stopped ? 1 : 0;
  });
}
