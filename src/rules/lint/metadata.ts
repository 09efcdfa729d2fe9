/**
 * LINT020-024: the rule's ATT&CK mapping and severity. Technique ids are checked against ATT&CK Enterprise
 * v18.1 (data/attack.json) and the ids MITRE retired (data/attack-retired.json: deprecated, or revoked with
 * the technique that replaced them); tactics against ATT&CK's tactics in any spelling Sentinel accepts.
 */
import { ATTACK_VERSION, findRetiredTechnique, findTactic, findTechnique, TECHNIQUES } from '../attack.js';
import { LINT } from './codes.js';
import type { LintContext } from './context.js';

const SEVERITIES = ['informational', 'low', 'medium', 'high'];
/** The highest technique number of the shipped ATT&CK: a well-formed id above it is from a later version. */
const LAST_TECHNIQUE = Math.max(...[...TECHNIQUES.keys()].map((id) => Number(id.slice(1, 5))));

/** A list field as its strings: a YAML list, or one comma/space separated string (`tactics: A, B`). */
function listOf(raw: unknown, split: RegExp): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(split) : [];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
}

/** Whether the file is a scheduled (analytic) rule rather than a hunting query. */
export function isAnalyticRule(fields: Record<string, unknown>): boolean {
  return fields['queryFrequency'] !== undefined || fields['queryPeriod'] !== undefined || fields['kind'] !== undefined;
}

/** LINT020-022 for one technique id written at `value` of `field`, against the tactics the rule names. */
export function checkTechnique(ctx: LintContext, id: string, field: string, value: string, tacticNames: readonly string[]): void {
  const t = findTechnique(id);
  if (t) {
    const known = tacticNames.map(findTactic);
    // a tactic this ATT&CK version does not have (a later version's, or a typo LINT023 reports) may be the technique's
    if (known.length && known.every((x) => x !== undefined) && !known.some((x) => t.tactics.includes(x!.shortname))) {
      ctx.field(LINT.techniqueOutsideTactics, `${t.id} (${t.name}) belongs to ${t.tactics.join(', ')} in ATT&CK, none of the rule's tactics (${tacticNames.join(', ')}); add its tactic or check the id`, field, value);
    }
    return;
  }
  const retired = findRetiredTechnique(id);
  if (retired) {
    const how = retired.replacedBy ? `revoked: ATT&CK now files it as ${retired.replacedBy} (${findTechnique(retired.replacedBy)?.name ?? retired.name}); write ${retired.replacedBy}` : 'deprecated: ATT&CK no longer has a technique for it; map the rule to a current technique';
    ctx.field(LINT.retiredTechnique, `${retired.id} (${retired.name}) is ${how}`, field, value);
  } else {
    const wellFormed = /^T\d{4}(\.\d{3})?$/i.test(id);
    if (wellFormed && Number(id.slice(1, 5)) > LAST_TECHNIQUE) {
      ctx.field({ ...LINT.unknownTechnique, severity: 'info' }, `'${id}' is newer than ${ATTACK_VERSION}, the version kqlite ships (its ids end at T${LAST_TECHNIQUE}): kqlite cannot check it or place it in coverage`, field, value);
      return;
    }
    ctx.field(LINT.unknownTechnique, `'${id}' ${wellFormed ? `is not an ${ATTACK_VERSION} technique (nor a retired one)` : 'is not a technique id (T1234 or T1234.001)'}`, field, value);
  }
}

export function checkMetadata(ctx: LintContext): void {
  const f = ctx.fields;
  if (!f) return;
  const techniqueField = f['relevantTechniques'] !== undefined ? 'relevantTechniques' : 'techniques';
  const techniques = listOf(f[techniqueField], /[,;\s]+/);
  const tacticNames = listOf(f['tactics'], /[,;]/);
  for (const id of techniques) checkTechnique(ctx, id, techniqueField, id, tacticNames);
  if (!tacticNames.length) {
    // a hunting query without tactics is often a general query (inventory, troubleshooting): a note, not a warning
    ctx.field(isAnalyticRule(f) ? LINT.tacticsMissingOrInvalid : { ...LINT.tacticsMissingOrInvalid, severity: 'info' }, `the rule names no tactics: coverage and the ATT&CK matrix cannot place it${techniques.length ? ` (its techniques belong to ${[...new Set(techniques.flatMap((id) => findTechnique(id)?.tactics ?? []))].join(', ') || 'no known tactic'})` : ''}; add 'tactics:'`, 'tactics');
  }
  for (const name of tacticNames) {
    if (!findTactic(name)) ctx.field(LINT.tacticsMissingOrInvalid, `'${name}' is not an ATT&CK tactic (a category such as Ransomware or Exploit belongs in tags; tactics are e.g. CommandAndControl, Execution, Persistence)`, 'tactics', name);
  }
  const severity = f['severity'];
  if (severity === undefined || severity === null || String(severity).trim() === '') {
    // Sentinel's hunting-query format has no severity (kqlite ranks their findings medium): only scheduled rules need one
    if (isAnalyticRule(f)) ctx.field(LINT.severityMissingOrInvalid, 'the scheduled rule has no severity: Sentinel will not deploy it; add severity: Informational, Low, Medium or High', 'severity');
  } else if (!SEVERITIES.includes(String(severity).trim().toLowerCase())) {
    ctx.field(LINT.severityMissingOrInvalid, `'${String(severity)}' is not a severity (Informational, Low, Medium or High): kqlite ranks the findings medium and Sentinel refuses the rule`, 'severity', String(severity));
  }
}
