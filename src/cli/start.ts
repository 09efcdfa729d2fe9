/**
 * `kqlite start` (`npm start`): the main job. Creates the demo workspace if there is none, hunts it with the
 * built-in RMM pack (plus any imported rules) at the data's latest event, prints the summary and, when this
 * build has the web app, serves it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDemoWorkspace, Workspace } from '../ingest/index.js';
import { positiveInt } from './demo.js';
import { guarded, parseCommand, workspaceDir } from './shared.js';

const HELP = `usage: kqlite start [--workspace DIR] [--devices N] [--days D] [--seed S] [--port 7070] [--host 127.0.0.1] [--no-serve]

The main job: creates the demo workspace (default .kqlite/) if it has no telemetry, hunts it with the
built-in RMM rules, prints the summary, then serves the web app when available.`;

export async function run(args: string[]): Promise<number> {
  return guarded('start', async () => {
    const p = parseCommand('start', args, { workspace: { type: 'string', short: 'w' }, devices: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'no-serve': { type: 'boolean' } }, HELP);
    if (!p) return 0;
    const v = p.values;
    const dir = workspaceDir(v.workspace);
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
    const mod = (await import(serve.href)) as { run(args: string[]): Promise<number> };
    return mod.run(['--workspace', dir, ...(v.port !== undefined ? ['--port', v.port] : []), ...(v.host !== undefined ? ['--host', v.host] : [])]);
  });
}
