/**
 * Rules with known lint findings, for the rule page's lint section (test/server/rule-lint.test.ts through the
 * API, test/web/lint-e2e.test.ts in the browser): one with LINT010 and LINT011, a clean one, one turning
 * LINT011 off with a `# kqlite-disable:` comment, and one whose only finding (LINT040) the workspace's
 * config.json turns off (`writeLintConfig`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleYaml } from './rule-yaml.js';

export const LINT_RULES = {
  dirty: { id: 'a1b2c3d4-0000-4000-8000-00000000f001', name: 'Lint demo - AppData rundll32' },
  clean: { id: 'a1b2c3d4-0000-4000-8000-00000000f002', name: 'Lint demo - clean rule' },
  commentOff: { id: 'a1b2c3d4-0000-4000-8000-00000000f003', name: 'Lint demo - LINT011 off by comment' },
  configOff: { id: 'a1b2c3d4-0000-4000-8000-00000000f004', name: 'Lint demo - per-event summarize' },
} as const;

const common = { severity: 'Medium', table: 'DeviceProcessEvents', tactics: ['Execution'], techniques: ['T1059'] };
const DIRTY_QUERY = `DeviceProcessEvents
| where Timestamp > ago(1d)
| where FolderPath contains @"\\AppData\\"
| where FileName == "rundll32.exe"
| project Timestamp, DeviceName, FolderPath`;

export function lintRuleFiles(): Record<string, string> {
  return {
    'dirty.yaml': ruleYaml({ ...common, ...LINT_RULES.dirty, query: DIRTY_QUERY }),
    'clean.yaml': ruleYaml({ ...common, ...LINT_RULES.clean, query: DIRTY_QUERY.replace('contains', 'has').replace('==', '=~') }),
    'comment-off.yaml': ruleYaml({ ...common, ...LINT_RULES.commentOff, before: '# kqlite-disable: LINT011\n', query: DIRTY_QUERY }),
    'config-off.yaml': ruleYaml({ ...common, ...LINT_RULES.configOff, query: 'DeviceProcessEvents\n| where Timestamp > ago(1d)\n| summarize Count = count() by DeviceId, ReportId' }),
  };
}

export function writeLintRules(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(lintRuleFiles())) writeFileSync(join(dir, name), text);
}

/** The workspace's config.json with these lint codes turned off (other settings kept out of it). */
export function writeLintConfig(workspace: string, disable: unknown): void {
  writeFileSync(join(workspace, 'config.json'), JSON.stringify({ lint: { disable } }, null, 2));
}
