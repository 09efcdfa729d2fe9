/**
 * Sigma YAML (a top-level `logsource:` and `detection:`): converted to KQL for the Defender or Windows event
 * tables (../sigma). A rule that cannot run here (its logsource or a field has no table) is still a rule: it
 * stays in the feed with the reason. Author and references come from the rule's own fields.
 */
import { parseSigma } from '../sigma/parse.js';
import { ruleFromSigma } from '../sigma/to-rule.js';
import { referencesOf } from './safe-url.js';
import type { FileRead, ReadOptions } from './types.js';

export function readSigmaYaml(text: string, opts: ReadOptions): FileRead {
  const parsed = parseSigma(text);
  if (!parsed.ok) return { kind: 'failed', problem: { line: parsed.line, column: parsed.column, reason: parsed.message } };
  const author = parsed.rule.author?.trim().slice(0, 200);
  const rule = ruleFromSigma(parsed.rule, text, { ...opts.source, path: opts.path, ...(author ? { author } : {}) });
  const refs = referencesOf(parsed.rule.references);
  const notes = refs.dropped.map((d) => ({ line: 1, column: 1, reason: `reference '${d}' left out: only http and https links are shown` }));
  if (refs.urls.length) rule.references = refs.urls;
  return { kind: 'rules', rules: [rule], notes };
}
