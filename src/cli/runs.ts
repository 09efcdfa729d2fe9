/**
 * `kqlite runs [--limit N] [--format table|json]` and `kqlite runs show <id>`: past hunts, who ran them,
 * when, at which reference time, and what they found (rules run/skipped/failed, findings new/updated/suppressed).
 */
import { existsSync } from 'node:fs';
import { getRun, listRuns, openFindingsDb } from '../hunts/index.js';
import { printable } from '../common/printable.js';
import { checkFormat, guarded, parseSubcommand, textTable, UsageError, workspaceDir, type SubCommand } from './shared.js';

const HELP = `usage: kqlite runs [--limit N] [--format table|json]
       kqlite runs show <id> [--format table|json]
(both take --workspace DIR) Past hunt runs, newest first.`;

const SUBS: Record<string, SubCommand> = {
  list: { positionals: [], options: ['limit', 'format'] },
  show: { positionals: ['<id>'], options: ['format'] },
};

export async function run(args: string[]): Promise<number> {
  return guarded('runs', () => {
    const p = parseSubcommand('runs', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, limit: { type: 'string' } }, HELP, SUBS, 'list');
    if (!p) return 0;
    const v = p.values;
    const format = checkFormat(v.format, ['table', 'json']);
    const limit = v.limit === undefined ? 50 : Number(v.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not '${v.limit}'`);
    const dir = workspaceDir(v.workspace);
    if (!existsSync(dir)) throw new Error(`no workspace at ${dir}`);
    const { sub } = p;
    const [id] = p.positionals;
    const db = openFindingsDb(dir, { readonly: true });
    try {
      if (sub === 'show') {
        const r = id && /^\d+$/.test(id) ? getRun(db, Number(id)) : undefined;
        if (!r) throw new UsageError(`no hunt run '${id ?? ''}' (see kqlite runs)`);
        if (format === 'json') process.stdout.write(JSON.stringify(r, null, 1) + '\n');
        else {
          const s = r.summary;
          process.stdout.write(printable(`hunt #${r.id} by ${r.actor}, started ${r.startedAt}, as of ${r.asOf}${s?.remote ? `, on ${s.remote}` : ''}: ${r.outcome}${r.error ? ` (${r.error})` : ''}\n`));
          if (s) {
            process.stdout.write(`  rules: ${s.rulesRun} run, ${s.rulesSkipped} skipped, ${s.rulesFailed} failed · ${s.rowsScanned} rows scanned in ${s.durationMs} ms\n`);
            process.stdout.write(`  findings: ${s.findingsNew} new, ${s.findingsUpdated} updated, ${s.findingsUnchanged ?? 0} unchanged, ${s.findingsSuppressed} suppressed\n`);
            for (const o of s.rules.filter((x) => x.outcome !== 'ran')) process.stdout.write(printable(`  ${o.outcome} ${o.ruleId}: ${o.reason ?? ''}\n`));
          }
        }
        return 0;
      }
      if (sub !== 'list') throw new UsageError(`unknown sub-command '${sub}'\n${HELP}`);
      const runs = listRuns(db, limit);
      if (format === 'json') process.stdout.write(JSON.stringify(runs.map(({ summary, ...r }) => ({ ...r, ...(summary ? { rulesRun: summary.rulesRun, rulesSkipped: summary.rulesSkipped, rulesFailed: summary.rulesFailed, findingsNew: summary.findingsNew, findingsUpdated: summary.findingsUpdated, findingsUnchanged: summary.findingsUnchanged ?? 0, findingsSuppressed: summary.findingsSuppressed, ...(summary.remote ? { remote: summary.remote } : {}) } : {}) })), null, 1) + '\n');
      else process.stdout.write(textTable(['run', 'started', 'as of', 'by', 'where', 'outcome', 'rules', 'new', 'updated', 'unchanged', 'suppressed'], runs.map((r) => [r.id, r.startedAt.slice(0, 19) + 'Z', r.asOf.slice(0, 19) + 'Z', r.actor, r.summary?.remote ?? 'workspace', r.outcome, r.summary ? `${r.summary.rulesRun}/${r.ruleCount}` : r.ruleCount, r.summary?.findingsNew, r.summary?.findingsUpdated, r.summary?.findingsUnchanged, r.summary?.findingsSuppressed])) + `(${runs.length} run${runs.length === 1 ? '' : 's'})\n`);
      return 0;
    } finally {
      db.close();
    }
  });
}
