/** `kqlite inventory [--workspace DIR] [--format table|json]`: RMM tools seen, where, by whom, and their state. */
import { existsSync } from 'node:fs';
import { buildInventory, openFindingsDb } from '../hunts/index.js';
import { checkFormat, color, guarded, parseCommand, textTable, workspaceDir } from './shared.js';

const HELP = 'usage: kqlite inventory [--workspace DIR] [--format table|json]\n\nEvery RMM tool the hunts found: devices, users, first/last seen, sanctioned / observed / unwanted, and a flag where a\nsecond tool appears on a device that already has a sanctioned one.';

export async function run(args: string[]): Promise<number> {
  return guarded('inventory', () => {
    const p = parseCommand('inventory', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' } }, HELP);
    if (!p) return 0;
    const format = checkFormat(p.values.format, ['table', 'json']);
    const dir = workspaceDir(p.values.workspace);
    if (!existsSync(dir)) throw new Error(`no workspace at ${dir}`);
    const db = openFindingsDb(dir);
    const inv = buildInventory(db);
    db.close();
    if (format === 'json') process.stdout.write(JSON.stringify(inv, null, 1) + '\n');
    else {
      process.stdout.write(textTable(['tool', 'device', 'state', 'users', 'first seen', 'last seen', 'findings', 'flag'], inv.map((e) => [e.tool, e.device, e.state, e.users.join(' '), e.firstSeen.slice(0, 19) + 'Z', e.lastSeen.slice(0, 19) + 'Z', e.findings, e.secondTool ? `second tool beside sanctioned ${e.secondTool.sanctioned.join(', ')}` : ''])));
      const flagged = inv.filter((e) => e.secondTool).length;
      if (flagged) process.stdout.write(color(31, `${flagged} device/tool pair${flagged > 1 ? 's' : ''} where a second RMM tool runs beside a sanctioned one\n`));
    }
    return 0;
  });
}
