/**
 * LINT020-024: the rule's ATT&CK mapping and severity. Technique ids are checked against ATT&CK Enterprise
 * v18.1 (data/attack.json) and the ids MITRE retired (data/attack-retired.json: deprecated, or revoked with
 * the technique that replaced them); tactics against ATT&CK's tactics in any spelling Sentinel accepts.
 */
import { findRetiredTechnique, findTactic, findTechnique } from '../attack.js';
import { LINT } from './codes.js';
import type { LintContext } from './context.js';

const SEVERITIES = ['informational', 'low', 'medium', 'high'];

/** A list field as its strings: a YAML list, or one comma/space separated string (`tactics: A, B`). */
function listOf(raw: unknown, split: RegExp): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(split) : [];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
}

/** Whether the file is a scheduled (analytic) rule rather than a hunting query. */
export function isAnalyticRule(fields: Record<string, unknown>): boolean {
  return fields['queryFrequency'] !== undefined || fields['queryPeriod'] !== undefined || fields['kind'] !== undefined;
}

export function checkMetadata(ctx: LintContext): void {
  const f = ctx.fields;
  if (!f) return;
  const techniqueField = f['relevantTechniques'] !== undefined ? 'relevantTechniques' : 'techniques';
  const techniques = listOf(f[techniqueField], /[,;\s]+/);
  const tacticNames = listOf(f['tactics'], /[,;]/);
  const tactics = tacticNames.map(findTactic);
  for (const id of techniques) {
    const t = findTechnique(id);
    if (t) {
      const known = tactics.filter((x) => x !== undefined);
      if (known.length && !known.some((x) => t.tactics.includes(x!.shortname))) {
        ctx.field(LINT.techniqueOutsideTactics, `${t.id} (${t.name}) belongs to ${t.tactics.join(', ')} in ATT&CK, none of the rule's tactics (${tacticNames.join(', ')}); add its tactic or check the id`, techniqueField, id);
      }
      continue;
    }
    const retired = findRetiredTechnique(id);
    if (retired) {
      const how = retired.replacedBy ? `revoked: ATT&CK now files it as ${retired.replacedBy} (${findTechnique(retired.replacedBy)?.name ?? retired.name}); write ${retired.replacedBy}` : 'deprecated: ATT&CK no longer has a technique for it; map the rule to a current technique';
      ctx.field(LINT.retiredTechnique, `${retired.id} (${retired.name}) is ${how}`, techniqueField, id);
    } else {
      const shape = /^T\d{4}(\.\d{3})?$/i.test(id) ? 'is not an ATT&CK Enterprise v18.1 technique' : 'is not a technique id (T1234 or T1234.001)';
      ctx.field(LINT.unknownTechnique, `'${id}' ${shape}`, techniqueField, id);
    }
  }
  if (!tacticNames.length) {
    ctx.field(LINT.tacticsMissingOrInvalid, `the rule names no tactics: coverage and the ATT&CK matrix cannot place it${techniques.length ? ` (its techniques belong to ${[...new Set(techniques.flatMap((id) => findTechnique(id)?.tactics ?? []))].join(', ') || 'no known tactic'})` : ''}; add 'tactics:'`, 'tactics');
  }
  tacticNames.forEach((name, i) => {
    if (!tactics[i]) ctx.field(LINT.tacticsMissingOrInvalid, `'${name}' is not an ATT&CK tactic (write e.g. CommandAndControl, Execution, Persistence)`, 'tactics', name);
  });
  const severity = f['severity'];
  if (severity === undefined || severity === null || String(severity).trim() === '') {
    // hunting queries have no severity field in Sentinel; kqlite gives their findings medium
    if (isAnalyticRule(f)) ctx.field(LINT.severityMissingOrInvalid, 'the scheduled rule has no severity: Sentinel will not deploy it; add severity: Informational, Low, Medium or High', 'severity');
    else ctx.field({ ...LINT.severityMissingOrInvalid, severity: 'info' }, 'the rule has no severity: its findings are ranked medium; add severity: Informational, Low, Medium or High', 'severity');
  } else if (!SEVERITIES.includes(String(severity).trim().toLowerCase())) {
    ctx.field(LINT.severityMissingOrInvalid, `'${String(severity)}' is not a severity (Informational, Low, Medium or High): kqlite ranks the findings medium and Sentinel refuses the rule`, 'severity', String(severity));
  }
}
