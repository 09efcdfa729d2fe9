/**
 * `kqlite start` (`npm start`): the main job. Creates the demo workspace if there is none, hunts it with the
 * built-in RMM pack (plus any imported rules) at the data's latest event, prints the summary and, when this
 * build has the web app, serves it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDemoWorkspace, Workspace } from '../ingest/index.js';
import { positiveInt } from './demo.js';
import { checkPort, portInUse, sameDir } from './port.js';
import { guarded, parseCommand, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite start [--workspace DIR] [--devices N] [--days D] [--seed S] [--port 7070] [--host 127.0.0.1] [--no-serve]

The main job: creates the demo workspace (default .kqlite/) if it has no telemetry, hunts it with the
built-in RMM rules, prints the summary, then serves the web app when available.`;

export async function run(args: string[]): Promise<number> {
  return guarded('start', async () => {
    const p = parseCommand('start', args, { workspace: { type: 'string', short: 'w' }, devices: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'no-serve': { type: 'boolean' } }, HELP);
    if (!p) return 0;
    const v = p.values;
    const dir = workspaceDir(v.workspace);
    // The port is checked before the (slow) hunt: a second `npm start` finds the first one's server.
    if (!v['no-serve']) {
      const port = v.port === undefined ? 7070 : Number(v.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not '${v.port}'`);
      const host = v.host ?? '127.0.0.1';
      const check = await checkPort(host, port);
      if (!check.free && check.workspace !== undefined && sameDir(check.workspace, dir)) {
        process.stdout.write(`kqlite: already serving ${dir} at ${check.url}/ (started earlier; Ctrl+C in its terminal stops it)\n` +
          'kqlite: open that address; run kqlite hunt to hunt again, or start with --port N for a second server\n');
        return 0;
      }
      if (!check.free) throw new Error(portInUse(check, host, port, (n) => `npm start -- --port ${n} (kqlite start --port ${n})`));
    }
    if (!existsSync(dir) || !Workspace.exists(dir) || !Workspace.open(dir).tableNames().length) {
      const devices = positiveInt(v.devices, 'devices'), days = positiveInt(v.days, 'days'), seed = positiveInt(v.seed, 'seed');
      const { manifest, rows } = createDemoWorkspace(dir, { ...(devices ? { devices } : {}), ...(days ? { days } : {}), ...(seed ? { seed } : {}) });
      process.stdout.write(`kqlite: created the demo workspace ${dir}: ${Object.values(rows).reduce((a, b) => a + b, 0)} events from ${manifest.devices} devices over ${manifest.days} days\n`);
    } else process.stdout.write(`kqlite: using the workspace ${dir}\n`);
    const hunt = await import('./hunt.js');
    const code = await hunt.run(['--workspace', dir]);
    if (code === 1) return 1;
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const serve = new URL(`./serve${ext}`, import.meta.url);
    if (v['no-serve']) return 0;
    if (!existsSync(fileURLToPath(serve))) {
      process.stdout.write('\nnext: kqlite findings list · kqlite inventory · kqlite allow <tool> --device <name> --reason "..." · kqlite coverage\n(the web app is not part of this build yet)\n');
      return 0;
    }
    // a literal path, so the bundled CLI holds serve in start's own file (one copy of every module)
    const mod = await import('./serve.js');
    return mod.run(['--workspace', dir, ...(v.port !== undefined ? ['--port', v.port] : []), ...(v.host !== undefined ? ['--host', v.host] : [])]);
  });
}
