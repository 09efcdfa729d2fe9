/**
 * `kqlite sources add <git-url|path> [--name N] [--ref REF] [--include GLOB...] [--exclude GLOB...] [--web-url T]`,
 * `sources list`, `sources remove NAME`, `sources sync [NAME] [--force]`, `sources changes [--since DATE] [--source N]`:
 * rule content from git repositories, and what each sync changed.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sources } from '../rules/index.js';
import { checkFormat, guarded, parseSubcommand, textTable, UsageError, workspaceDir, type SubCommand } from './shared.js';
import { printableLine } from '../common/printable.js';

const SUBS: Record<string, SubCommand> = {
  add: { positionals: ['<git-url|path>'], options: ['name', 'ref', 'include', 'exclude', 'web-url', 'no-sync'] },
  list: { positionals: [], options: ['format'] },
  remove: { positionals: ['<name>'], options: [] },
  sync: { positionals: ['[name]'], options: ['force', 'format'] },
  changes: { positionals: [], options: ['since', 'source', 'format'] },
};

const HELP = `usage: kqlite sources add <git-url|path> [--name N] [--ref BRANCH|TAG|COMMIT] [--include GLOB]... [--exclude GLOB]... [--web-url TEMPLATE] [--no-sync]
       kqlite sources list [--format table|json]
       kqlite sources remove <name>
       kqlite sources sync [<name>] [--force] [--format table|json]
       kqlite sources changes [--since DATE] [--source NAME] [--format table|json]
--web-url: where a browser opens a file of the source, with {commit} and {path} (GitHub, GitLab and
Bitbucket URLs need none); local paths get no links unless given one.`;

function printSync(r: sources.SyncReport): void {
  // file names and reasons come from the repository: one line each, nothing a terminal would act on
  for (const p of r.problems) process.stdout.write(`${r.source}: ${printableLine(p.file)}:${p.line}:${p.column}: ${printableLine(p.reason)}\n`);
  process.stdout.write(`${r.source}: ${r.unchanged ? 'unchanged at' : 'synced'} ${r.commit.slice(0, 12)}${r.previousCommit && r.previousCommit !== r.commit ? ` (was ${r.previousCommit.slice(0, 12)})` : ''}: ` +
    `files ${r.files} (read ${r.filesRead}), rules ${r.rules}, functions ${r.functions}, skipped ${r.skipped}, failed ${r.failed}${r.otherFiles ? `, other files ${r.otherFiles}` : ''}; ` +
    `new ${r.added}, updated ${r.updated}, removed ${r.removed} in ${(r.durationMs / 1000).toFixed(2)} s\n`);
}

export async function run(args: string[]): Promise<number> {
  return guarded('sources', () => {
    const p = parseSubcommand('sources', args, {
      workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, name: { type: 'string' }, ref: { type: 'string' },
      include: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true }, 'web-url': { type: 'string' },
      since: { type: 'string' }, source: { type: 'string' }, force: { type: 'boolean' }, 'no-sync': { type: 'boolean' },
    }, HELP, SUBS, 'list');
    if (!p) return 0;
    const v = p.values;
    const sub = p.sub;
    const [arg] = p.positionals;
    const ws = workspaceDir(v.workspace);
    const format = checkFormat(v.format, ['table', 'json']);
    switch (sub) {
      case 'add': {
        if (!arg) throw new UsageError(`sources add needs a repository URL or path\n${HELP}`);
        // a local path is stored absolute, so syncs work from any directory
        sources.checkSourceInput({ url: arg, name: v.name ?? 'x' });
        const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) && !/^[^/]+@[^/]+:/.test(arg);
        if (local && !existsSync(arg)) throw new Error(`no repository at '${arg}' (give a URL or the path of a git repository)`);
        if (local && !statSync(arg).isDirectory()) throw new Error(`'${arg}' is not a folder`);
        const url = local ? resolve(arg) : arg;
        const name = v.name ?? sources.defaultSourceName(url);
        const input = { url, name, ...(v.ref !== undefined ? { ref: v.ref } : {}), ...(v['web-url'] !== undefined ? { webUrl: v['web-url'] } : {}) };
        sources.checkSourceInput(input);
        const all = sources.readSources(ws);
        // names differing only in case share a folder on macOS and Windows: one source would overwrite the other
        const same = all.find((s) => s.name.toLowerCase() === name.toLowerCase());
        if (same) throw new Error(`a source named '${same.name}' exists already${same.name === name ? '' : ` (names differing only in case would share a folder)`} (give --name, or remove it first)`);
        all.push({ ...input, include: v.include ?? [], exclude: v.exclude ?? [], addedAt: new Date().toISOString() });
        sources.writeSources(ws, all);
        process.stdout.write(`added source '${name}' (${url}${v.ref ? ` at ${v.ref}` : ''})\n`);
        if (v['no-sync']) return 0;
        try {
          printSync(sources.syncSource(ws, name));
        } catch (e) {
          process.stderr.write(`kqlite sources: '${name}' was added but could not be synced: ${(e as Error).message}\n`);
          return 1;
        }
        return 0;
      }
      case 'list': {
        const list = sources.readSources(ws).map((s) => {
          const st = sources.readSourceState(ws, s.name);
          const rules = st.rules ?? Object.values(sources.readSourceRules(ws, s.name)).filter((e) => !e.removedAt).length;
          return { ...s, commit: st.commit ?? null, syncedAt: st.syncedAt ?? null, license: st.license ?? null, rules };
        });
        if (format === 'json') process.stdout.write(JSON.stringify(list, null, 1) + '\n');
        else process.stdout.write(textTable(['name', 'url', 'ref', 'commit', 'synced', 'rules'], list.map((s) => [s.name, s.url, s.ref ?? 'HEAD', s.commit?.slice(0, 12) ?? 'never', s.syncedAt ?? '', s.rules])));
        return 0;
      }
      case 'remove': {
        if (!arg) throw new UsageError(`sources remove needs a name\n${HELP}`);
        const all = sources.readSources(ws);
        if (!all.some((s) => s.name === arg)) throw new Error(`no source '${arg}' (see kqlite sources list)`);
        sources.writeSources(ws, all.filter((s) => s.name !== arg));
        rmSync(sources.sourceDir(ws, arg), { recursive: true, force: true });
        sources.bumpGeneration(ws);
        process.stdout.write(`removed source '${arg}': its rules left the feed; findings of its rules are kept\n`);
        return 0;
      }
      case 'sync': {
        const reports = sources.syncSources(ws, arg, { ...(v.force ? { force: true } : {}) });
        if (!reports.length) process.stdout.write('no sources (add one with kqlite sources add)\n');
        if (format === 'json') process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
        else for (const r of reports) printSync(r);
        return 0;
      }
      case 'changes': {
        if (v.since !== undefined && Number.isNaN(Date.parse(v.since))) throw new UsageError(`--since '${v.since}' is not a date (e.g. 2026-06-01 or 2026-06-01T12:00:00Z)`);
        const { changes, damaged } = sources.readChanges(ws, { ...(v.since ? { since: v.since } : {}), ...(v.source ? { source: v.source } : {}) });
        if (damaged) process.stderr.write(`kqlite sources: ${damaged} damaged line(s) of sources/changes.jsonl skipped\n`);
        if (format === 'json') { process.stdout.write(JSON.stringify(changes, null, 1) + '\n'); return 0; }
        if (!changes.length) process.stdout.write('no changes recorded\n');
        for (const c of changes) {
          process.stdout.write(`${c.at} ${c.source} ${c.fromCommit ? `${c.fromCommit.slice(0, 12)}..` : ''}${c.toCommit.slice(0, 12)}: new ${c.added.length}, updated ${c.updated.length}, removed ${c.removed.length}\n`);
          for (const a of c.added) process.stdout.write(`  + new      ${a.name} (${a.id})${a.path ? ` ${a.path}` : ''}\n`);
          for (const u of c.updated) {
            process.stdout.write(`  ~ updated  ${u.name} (${u.id}) version ${u.version}${u.path ? ` ${u.path}` : ''}\n`);
            for (const f of u.diff.fields) process.stdout.write(`      ${f.field}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}\n`);
            if (u.diff.query.length) process.stdout.write(sources.diffText(u.diff.query).replace(/^/gm, '      ') + '\n');
          }
          for (const r of c.removed) process.stdout.write(`  - removed  ${r.name} (${r.id})${r.path ? ` ${r.path}` : ''}\n`);
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown sub-command '${sub}'\n${HELP}`);
    }
  });
}
