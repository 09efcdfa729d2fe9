/**
 * `kqlite remotes add NAME (--cluster URL --database DB | --log-analytics ID | --defender) [--auth ...]`,
 * `remotes list`, `remotes remove NAME`, `remotes test NAME`: remote engines saved in the workspace, for
 * `--remote NAME` on query, hunt and export (and the workbench).
 */
import { addRemote, openRemote, readRemotes, removeRemote, type RemoteSpec } from '../remote/index.js';
import { REMOTE_HELP, REMOTE_OPTIONS, remoteFromFlags } from './remote-options.js';
import { guarded, parseSubcommand, textTable, UsageError, workspaceDir, type SubCommand } from './shared.js';

const AUTH_FLAGS = ['auth', 'tenant', 'client-id', 'client-secret-env', 'certificate', 'token-env', 'endpoint'];
const SUBS: Record<string, SubCommand> = {
  add: { positionals: ['<name>'], options: ['cluster', 'database', 'log-analytics', 'defender', 'replace', ...AUTH_FLAGS] },
  list: { positionals: [], options: ['format'] },
  remove: { positionals: ['<name>'], options: [] },
  test: { positionals: ['<name>'], options: [] },
};

const HELP = `usage: kqlite remotes add NAME (--cluster URL --database DB | --log-analytics ID | --defender) [auth flags] [--replace]
       kqlite remotes list [--format table|json]
       kqlite remotes remove NAME
       kqlite remotes test NAME
       (each takes --workspace DIR)

Saves remote engines in the workspace (remotes.json; no secrets: they stay in environment variables).
${REMOTE_HELP}`;

const where = (s: RemoteSpec) => (s.kind === 'kusto' ? `${s.cluster}/${s.database}` : s.kind === 'log-analytics' ? s.workspaceId! : s.endpoint ?? 'graph.microsoft.com');

export async function run(args: string[]): Promise<number> {
  return guarded('remotes', async () => {
    const p = parseSubcommand('remotes', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, replace: { type: 'boolean' }, ...REMOTE_OPTIONS }, HELP, SUBS, 'list');
    if (!p) return 0;
    const [name] = p.positionals;
    const dir = workspaceDir(p.values.workspace);
    switch (p.sub) {
      case 'add': {
        if (p.values.remote) throw new UsageError('--remote names a saved remote; to save one give --cluster, --log-analytics or --defender');
        const spec = remoteFromFlags(p.values, dir);
        if (!spec) throw new UsageError(`say which engine: --cluster URL --database DB, --log-analytics ID or --defender\n${HELP}`);
        openRemote(spec).close(); // checks the spec (URL, ids) now rather than at first use
        addRemote(dir, name!, spec, !!p.values.replace);
        process.stdout.write(`saved remote '${name}': ${spec.kind} ${where(spec)} (auth ${spec.auth.method})\n`);
        return 0;
      }
      case 'list': {
        const all = [...readRemotes(dir)];
        if (p.values.format === 'json') process.stdout.write(JSON.stringify(Object.fromEntries(all), null, 1) + '\n');
        else if (!all.length) process.stdout.write('no remotes saved (add one with kqlite remotes add NAME --cluster URL --database DB)\n');
        else process.stdout.write(textTable(['name', 'kind', 'where', 'auth'], all.map(([n, s]) => [n, s.kind, where(s), s.auth.method])));
        return 0;
      }
      case 'remove':
        removeRemote(dir, name!);
        process.stdout.write(`removed remote '${name}'\n`);
        return 0;
      case 'test': {
        const engine = openRemote(readRemotes(dir).get(name!) ?? (() => { throw new UsageError(`no remote named '${name}'`); })());
        try {
          const r = await engine.query('print kqlite_test = 1');
          process.stdout.write(`${engine.label}: answered in ${r.durationMs} ms\n`);
        } finally {
          engine.close();
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown sub-command '${p.sub}'\n${HELP}`);
    }
  });
}
