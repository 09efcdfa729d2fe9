/**
 * `kqlite findings list [filters] [--format table|json]`, `findings show <id>`, `findings set <id> [--status S]
 * [--assignee A] [--note TEXT]`: the findings of past hunts and their triage.
 */
import { existsSync } from 'node:fs';
import { auditOf, distinguishingKey, getFinding, listFindings, notesOf, openFindingsDb, triageFinding, TRIAGE_STATUSES } from '../hunts/index.js';
import { printable } from '../common/printable.js';
import { checkFormat, guarded, parseSubcommand, textTable, UsageError, workspaceDir, type SubCommand } from './shared.js';

const HELP = `usage: kqlite findings list [--status S[,S]] [--tool T] [--device D] [--rule R] [--severity L] [--since TIME] [--suppressed|--active] [--format table|json]
       kqlite findings show <id> [--format table|json]
       kqlite findings set <id> [--status ${TRIAGE_STATUSES.join('|')}] [--assignee NAME] [--note TEXT]
(all take --workspace DIR; an id may be abbreviated to a unique prefix)`;

const SUBS: Record<string, SubCommand> = {
  list: { positionals: [], options: ['status', 'tool', 'device', 'rule', 'severity', 'since', 'suppressed', 'active', 'format'] },
  show: { positionals: ['<id>'], options: ['format'] },
  set: { positionals: ['<id>'], options: ['status', 'assignee', 'note'] },
};

export async function run(args: string[]): Promise<number> {
  return guarded('findings', () => {
    const p = parseSubcommand('findings', args, {
      workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, status: { type: 'string' }, tool: { type: 'string' }, device: { type: 'string' },
      rule: { type: 'string' }, severity: { type: 'string' }, since: { type: 'string' }, suppressed: { type: 'boolean' }, active: { type: 'boolean' },
      assignee: { type: 'string' }, note: { type: 'string' },
    }, HELP, SUBS, 'list');
    if (!p) return 0;
    const v = p.values;
    const { sub } = p;
    const [id] = p.positionals;
    const format = checkFormat(v.format, ['table', 'json']);
    if (v.suppressed && v.active) throw new UsageError(`give --suppressed or --active, not both\n${HELP}`);
    const dir = workspaceDir(v.workspace);
    if (!existsSync(dir)) throw new Error(`no workspace at ${dir}`);
    const db = openFindingsDb(dir);
    try {
      if (sub === 'list') {
        const status = v.status?.split(',').map((s) => s.trim());
        for (const s of status ?? []) if (!(TRIAGE_STATUSES as readonly string[]).includes(s)) throw new UsageError(`--status must be among ${TRIAGE_STATUSES.join(', ')}, not '${s}'`);
        const fs = listFindings(db, { ...(status ? { status } : {}), ...(v.tool ? { tool: v.tool } : {}), ...(v.device ? { device: v.device } : {}), ...(v.rule ? { rule: v.rule } : {}),
          ...(v.severity ? { severity: v.severity } : {}), ...(v.since ? { since: v.since } : {}), ...(v.suppressed ? { suppressed: true } : v.active ? { suppressed: false } : {}) });
        if (format === 'json') process.stdout.write(JSON.stringify(fs, null, 1) + '\n');
        else process.stdout.write(textTable(['id', 'status', 'severity', 'tool', 'device', 'rule', 'what', 'events', 'last seen', 'suppressed'], fs.map((f) => [f.id.slice(0, 10), f.status, f.severity, f.tool, f.device, f.ruleName, distinguishingKey(f.key).map((k) => k.value).join(' '), f.count, f.lastSeen.slice(0, 19) + 'Z', f.suppressedBy !== undefined ? `#${f.suppressedBy}` : ''])) + `(${fs.length} finding${fs.length === 1 ? '' : 's'})\n`);
        return 0;
      }
      if (sub === 'show') {
        const f = getFinding(db, id);
        if (!f) throw new Error(`no finding '${id}' (or the prefix is ambiguous)`);
        const detail = { ...f, notes: notesOf(db, f.id), audit: auditOf(db, f.id) };
        if (format === 'json') process.stdout.write(JSON.stringify(detail, null, 1) + '\n');
        else {
          process.stdout.write(printable(`${f.ruleName}\n  finding ${f.id} · ${f.status}${f.assignee ? ` (${f.assignee})` : ''} · ${f.severity}${f.suppressedBy !== undefined ? ` · suppressed by #${f.suppressedBy}` : ''}\n  ${f.tool ?? ''} on ${f.device ?? '?'}${f.user ? ` by ${f.user}` : ''}: ${f.count} events, ${f.firstSeen} .. ${f.lastSeen}\n  key ${JSON.stringify(f.key)}\n  report ids ${f.reportIds.slice(0, 20).join(', ')}\n`));
          for (const n of detail.notes) process.stdout.write(printable(`  note ${n.at} ${n.author}: ${n.text}\n`));
          for (const a of detail.audit) process.stdout.write(`  audit ${a.at} ${a.actor} ${a.action} ${JSON.stringify(a.detail)}\n`);
        }
        return 0;
      }
      if (sub === 'set') {
        if (v.status === undefined && v.assignee === undefined && v.note === undefined) throw new UsageError('findings set needs --status, --assignee or --note');
        const f = triageFinding(db, id, { ...(v.status !== undefined ? { status: v.status } : {}), ...(v.assignee !== undefined ? { assignee: v.assignee } : {}), ...(v.note !== undefined ? { note: v.note } : {}) }, process.env['USER'] ?? 'analyst');
        process.stdout.write(`finding ${f.id}: ${f.status}${f.assignee ? `, assigned to ${f.assignee}` : ''}\n`);
        return 0;
      }
      throw new UsageError(`unknown sub-command '${sub}'\n${HELP}`);
    } finally {
      db.close();
    }
  });
}
