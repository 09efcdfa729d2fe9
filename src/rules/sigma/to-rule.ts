/**
 * A Sigma rule file → a kqlite Rule: the KQL it converts to (convert.ts) with its notes as diagnostics, title →
 * name, level → severity (critical → high), ATT&CK tags → tactics and techniques, and the Sigma fields its page
 * shows (author, status, references, false positives, licence). A rule that cannot be converted keeps an empty
 * query, status error and `notRunnable` saying why: it stays in the feed, never silently dropped.
 */
import { diag, type Diagnostic } from '../../common/diagnostics.js';
import type { Rule, RuleSource, Severity } from '../rule.js';
import { ATTACK_VERSION } from '../attack.js';
import { normaliseTactics, normaliseTechniques, RULE_CODES, validateRule } from '../validate.js';
import { convertSigma } from './convert.js';
import type { SigmaRule } from './parse.js';

const LEVELS: Record<string, Severity> = { informational: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'high' };
const AT_START = { start: 0, end: 0 };
/** SigmaHQ publishes its rules under the Detection Rule License 1.1. */
export const SIGMA_LICENSE_NOTE = 'not stated by the rule or its folder (SigmaHQ rules are under the Detection Rule License (DRL) 1.1)';

/** `attack.t1059.001` → technique T1059.001; `attack.execution` → tactic; other tags stay tags. */
export function attackOfTags(tags: readonly string[]): { tactics: string[]; techniques: string[]; unknownTactics: string[] } {
  const techniques: string[] = [];
  const tacticNames: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(.+)$/i.exec(t.trim());
    if (!m) continue;
    const v = m[1]!;
    if (/^t\d{4}(\.\d{3})?$/i.test(v)) techniques.push(v.toUpperCase());
    else if (!/^[gs]\d{4}$/i.test(v)) tacticNames.push(v);
  }
  const t = normaliseTactics(tacticNames);
  return { tactics: t.tactics, techniques: normaliseTechniques(techniques), unknownTactics: t.unknown };
}

export function ruleFromSigma(s: SigmaRule, text: string, source: RuleSource): Rule {
  const conv = convertSigma(s);
  const { tactics, techniques, unknownTactics } = attackOfTags(s.tags);
  const level = s.level?.toLowerCase();
  const rule: Rule = {
    id: s.id,
    name: s.title,
    description: (s.description ?? '').trim(),
    severity: (level && LEVELS[level]) || 'medium',
    severityDerived: !(level && LEVELS[level]),
    kind: 'analytic',
    query: conv.query,
    tables: conv.target ? [conv.target.table] : [],
    tactics,
    techniques,
    tags: s.tags,
    status: 'valid',
    diagnostics: [],
    repairs: [],
    source,
    yaml: text,
    version: 1,
    language: 'sigma',
    sigma: {
      references: s.references,
      falsepositives: s.falsepositives,
      license: s.license ?? source.license ?? SIGMA_LICENSE_NOTE,
      logsource: { ...(s.logsource.product ? { product: s.logsource.product } : {}), ...(s.logsource.category ? { category: s.logsource.category } : {}), ...(s.logsource.service ? { service: s.logsource.service } : {}) },
      ...(s.author ? { author: s.author } : {}),
      ...(s.status ? { status: s.status } : {}),
      ...(s.level ? { level: s.level } : {}),
      ...(s.date ? { date: s.date } : {}),
      ...(s.modified ? { modified: s.modified } : {}),
      ...(conv.target ? { target: conv.target.label } : {}),
    },
  };
  const notes: Diagnostic[] = conv.notes.map((n) => diag(n.code, n.severity, n.message, AT_START));
  for (const u of unknownTactics) notes.push(diag(RULE_CODES.unknownTactic, 'warning', `tag 'attack.${u}' is not a tactic of ${ATTACK_VERSION}`, AT_START));
  if (conv.notRunnable !== undefined) {
    rule.notRunnable = conv.notRunnable;
    rule.diagnostics = notes;
    rule.status = 'error';
    return rule;
  }
  validateRule(rule, notes);
  // KQL1012 warns of unfilled template placeholders (%%NAME%%, {{0}}) in string literals: in KQL made from a
  // Sigma rule such text comes from the rule's own values (text it looks for), never from a template
  rule.diagnostics = rule.diagnostics.filter((d) => d.code !== 'KQL1012');
  rule.status = rule.diagnostics.some((d) => d.severity === 'error') ? 'error' : rule.diagnostics.some((d) => d.severity === 'warning') ? 'warning' : 'valid';
  return rule;
}
