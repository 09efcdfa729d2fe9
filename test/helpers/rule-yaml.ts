/**
 * A Sentinel rule file as tests write them: the fields every rule has, one table under
 * requiredDataConnectors, the query as a `|` block. Fields a test is about are passed as written, so a test
 * can give a wrong value (`severity: Critical`, `relevantTechniques: [T1219, t9999]`) and find it at its line.
 */
export interface RuleYaml {
  id: string;
  name: string;
  description?: string;
  severity?: string;
  table: string;
  tactics?: readonly string[];
  /** A list (written one per line) or a value as written after `relevantTechniques: `. */
  techniques?: readonly string[] | string;
  query: string;
  /** Lines before `id:` (comments such as `# kqlite-disable: LINT011`). */
  before?: string;
}

export function ruleYaml(r: RuleYaml): string {
  const list = (xs: readonly string[]) => xs.map((x) => `  - ${x}\n`).join('');
  const techniques = r.techniques === undefined ? '' : typeof r.techniques === 'string' ? `relevantTechniques: ${r.techniques}\n` : `relevantTechniques:\n${list(r.techniques)}`;
  return `${r.before ?? ''}id: ${r.id}
name: ${r.name}
description: ${r.description ?? `${r.name} (test rule)`}
${r.severity === undefined ? '' : `severity: ${r.severity}\n`}requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - ${r.table}
${r.tactics ? `tactics:\n${list(r.tactics)}` : ''}${techniques}query: |
${r.query.replace(/\n+$/, '').split('\n').map((l) => `  ${l}`).join('\n')}
`;
}
