/** `kqlite coverage [--workspace DIR] [--format table|json] [--navigator FILE]`: ATT&CK coverage of the rules. */
import { existsSync, writeFileSync } from 'node:fs';
import { openFindingsDb, listFindings } from '../hunts/index.js';
import { Workspace } from '../ingest/index.js';
import { coverage, loadRules, navigatorLayer } from '../rules/index.js';
import { checkFormat, guarded, parseCommand, textTable, workspaceDir, refuseInsideWorkspace } from './shared.js';

const HELP = 'usage: kqlite coverage [--workspace DIR] [--format table|json] [--navigator FILE]\n\nPer ATT&CK technique: rules, valid rules, rules whose tables the workspace holds, rules with findings.\n--navigator writes an ATT&CK Navigator layer (format 4.5) scored by valid rules.';

export async function run(args: string[]): Promise<number> {
  return guarded('coverage', () => {
    const p = parseCommand('coverage', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, navigator: { type: 'string' } }, HELP);
    if (!p) return 0;
    const format = checkFormat(p.values.format, ['table', 'json']);
    const dir = workspaceDir(p.values.workspace);
    const hasWs = existsSync(dir) && Workspace.exists(dir);
    const findingsByRule = new Map<string, number>();
    if (hasWs) {
      const db = openFindingsDb(dir);
      for (const f of listFindings(db)) findingsByRule.set(f.ruleId, (findingsByRule.get(f.ruleId) ?? 0) + 1);
      db.close();
    }
    const rep = coverage(loadRules(existsSync(dir) ? dir : undefined), { ...(hasWs ? { tablesPresent: Workspace.open(dir).tableNames() } : {}), findingsByRule });
    if (p.values.navigator) {
      refuseInsideWorkspace('--navigator', p.values.navigator, dir);
      writeFileSync(p.values.navigator, JSON.stringify(navigatorLayer(rep), null, 1) + '\n');
      process.stderr.write(`wrote ATT&CK Navigator layer to ${p.values.navigator}\n`);
    }
    if (format === 'json') process.stdout.write(JSON.stringify(rep, null, 1) + '\n');
    else process.stdout.write(textTable(['technique', 'name', 'rules', 'valid', 'tables present', 'with findings', 'findings'], rep.techniques.map((t) => [t.techniqueId, t.name, t.rules.length, t.validRules, hasWs ? t.rulesWithTablesPresent : '-', t.rulesWithFindings, t.findings])) + `${rep.attackVersion}; ${rep.rulesWithoutTechniques} rules name no technique\n`);
    return 0;
  });
}
