/**
 * `kqlite allow <tool|rule> [--device NAME|GLOB] [--user U] [--signer S] --reason TEXT [--expires DATE]`,
 * `kqlite allow --list`, `kqlite allow --revoke ID --reason TEXT`: sanctioned tools in a scope.
 */
import { existsSync } from 'node:fs';
import { addSuppression, isActive, listSuppressions, openFindingsDb, revokeSuppression } from '../hunts/index.js';
import { findTool, loadRules } from '../rules/index.js';
import { parseDatetimeText } from '../kql/syntax/index.js';
import { formatDatetime } from '../engine/values/ticks.js';
import { printable } from '../common/printable.js';
import { checkFormat, guarded, parseCommand, refuseUnusedOptions, textTable, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite allow <tool|rule id> --reason TEXT [--device NAME|GLOB] [--user U] [--signer S] [--expires DATE]
       kqlite allow --list [--format table|json]
       kqlite allow --revoke ID --reason TEXT
Sanctions an RMM tool (or one rule) in a scope: its findings stay visible, marked suppressed, until the
suppression expires or is revoked. Every change is audited. (all take --workspace DIR)`;

export async function run(args: string[]): Promise<number> {
  return guarded('allow', () => {
    const p = parseCommand('allow', args, {
      workspace: { type: 'string', short: 'w' }, device: { type: 'string' }, user: { type: 'string' }, signer: { type: 'string' }, reason: { type: 'string' },
      expires: { type: 'string' }, list: { type: 'boolean' }, revoke: { type: 'string' }, format: { type: 'string' },
    }, HELP, ['[target]']);
    if (!p) return 0;
    const v = p.values;
    // three forms, each with its own options: a word or option another form uses is refused, not ignored
    const mode = v.list ? 'list' : v.revoke !== undefined ? 'revoke' : 'add';
    if (v.list && v.revoke !== undefined) throw new UsageError(`give --list or --revoke, not both\n${HELP}`);
    if (mode !== 'add' && p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}': 'allow --${mode}' takes no tool or rule\n${HELP}`);
    refuseUnusedOptions(mode === 'add' ? 'allow <tool|rule>' : `allow --${mode}`, p.tokens, { list: ['list', 'format'], revoke: ['revoke', 'reason'], add: ['device', 'user', 'signer', 'reason', 'expires'] }[mode], HELP);
    const dir = workspaceDir(v.workspace);
    if (!existsSync(dir)) throw new Error(`no workspace at ${dir}`);
    const actor = process.env['USER'] ?? 'analyst';
    if (v.list) {
      const format = checkFormat(v.format, ['table', 'json']);
      const db = openFindingsDb(dir);
      const now = new Date().toISOString();
      const all = listSuppressions(db).map((s) => ({ ...s, active: isActive(s, now) }));
      db.close();
      if (format === 'json') process.stdout.write(JSON.stringify(all, null, 1) + '\n');
      else process.stdout.write(textTable(['id', 'target', 'device', 'user', 'signer', 'expires', 'state', 'reason'], all.map((s) => [s.id, `${s.targetKind}:${s.target}`, s.device, s.user, s.signer, s.expires, s.revokedAt ? 'revoked' : s.active ? 'active' : 'expired', s.reason])));
      return 0;
    }
    if (v.revoke !== undefined) {
      const id = v.revoke.trim().replace(/^#/, '');
      if (!/^\d+$/.test(id)) throw new UsageError(`--revoke needs a suppression's number (kqlite allow --list shows them), not '${v.revoke}'`);
      if (!v.reason?.trim()) throw new UsageError('--revoke needs --reason TEXT');
      const db = openFindingsDb(dir);
      try {
        revokeSuppression(db, Number(id), actor, v.reason);
      } finally {
        db.close();
      }
      process.stdout.write(`suppression #${Number(id)} revoked\n`);
      return 0;
    }
    const target = p.positionals[0];
    if (!target) throw new UsageError(`name the tool or rule to allow\n${HELP}`);
    if (!v.reason?.trim()) throw new UsageError('a reason is required (--reason TEXT): say why this use is sanctioned');
    let expires: string | undefined;
    if (v.expires !== undefined) {
      const t = parseDatetimeText(v.expires);
      if (t === undefined) throw new UsageError(`--expires '${v.expires}' is not a date (use e.g. 2027-01-31)`);
      // an allowance that has already expired would never apply: refused rather than stored uselessly
      if (t <= BigInt(Date.now()) * 10_000n) throw new UsageError(`--expires '${v.expires}' is in the past: give a future date (kqlite allow --revoke ends an allowance now)`);
      expires = formatDatetime(t);
    }
    const tool = findTool(target);
    const rule = tool ? undefined : loadRules(dir).find((r) => r.id === target || r.name === target);
    if (!tool && !rule) throw new UsageError(`'${target}' is neither a catalogued RMM tool nor a rule id (see kqlite rules list)`);
    const db = openFindingsDb(dir);
    try {
      const s = addSuppression(db, { target: tool ? tool.name : rule!.id, targetKind: tool ? 'tool' : 'rule', reason: v.reason, ...(v.device ? { device: v.device } : {}), ...(v.user ? { user: v.user } : {}), ...(v.signer ? { signer: v.signer } : {}), ...(expires ? { expires } : {}) }, actor);
      process.stdout.write(printable(`suppression #${s.id}: ${s.targetKind} ${s.target}${s.device ? ` on ${s.device}` : ''}${s.user ? ` for ${s.user}` : ''}${s.signer ? ` signed by ${s.signer}` : ''}${s.expires ? ` until ${s.expires}` : ''}: ${s.reason}\n`));
    } finally {
      db.close();
    }
    return 0;
  });
}
