/**
 * Lint of a rule kqlite already holds (the rule page of `kqlite serve`), the same checks `kqlite check` makes
 * on the rule's file: a Sigma rule through its tags and level, a Sentinel/Defender rule through its fields and
 * query, a rule read from a bare query (.kql, Markdown block) as a bare query. The query linted is the one that
 * runs (`rule.query`, after any repair), bound against the tables the rule declares, as `check` binds it, plus
 * the workspace's stored functions when given. `kqlite-disable:` comments in the file or query count as in
 * `check`; the codes they turn off are returned too, so a page can say what is silenced and why.
 */
import { checkQuery, type FunctionLibrary } from '../../kql/semantics/index.js';
import type { Rule, RuleDiagnostic } from '../rule.js';
import { readRuleYaml } from '../sentinel-yaml.js';
import { parseSigma } from '../sigma/parse.js';
import { disabledIn } from './disable.js';
import { lintRule } from './lint-rule.js';
import { lintSigma } from './sigma.js';

export interface StoredRuleLint {
  /** Query findings have spans into `rule.query`; findings about a field (`field` set) into `rule.yaml`. */
  findings: RuleDiagnostic[];
  /** Codes the rule itself turns off with `kqlite-disable:` comments (upper-cased; `ALL` for every code). */
  disabledInRule: string[];
}

export interface StoredRuleLintOptions {
  /** Codes turned off from outside the rule (the workspace's config.json, `--disable`). */
  disable?: ReadonlySet<string>;
  library?: FunctionLibrary;
}

export function lintStoredRule(rule: Rule, opts: StoredRuleLintOptions = {}): StoredRuleLint {
  const disable = opts.disable ?? new Set<string>();
  const bind = (query: string) => checkQuery(query, { tables: rule.tables, ...(opts.library ? { library: opts.library } : {}) });
  if (rule.language === 'sigma') {
    const parsed = parseSigma(rule.yaml);
    // a stored Sigma rule was read once already; one that no longer parses has nothing lint could say
    if (!parsed.ok) return { findings: [], disabledInRule: [...disabledIn(rule.yaml)] };
    return { findings: lintSigma(parsed.rule, rule.yaml, bind(''), disable), disabledInRule: [...disabledIn(rule.yaml)] };
  }
  const check = bind(rule.query);
  const read = readRuleYaml(rule.yaml);
  const isRuleFile = read.ok && typeof read.rule.fields['query'] === 'string';
  const findings = isRuleFile
    ? lintRule({ fields: read.rule.fields, yaml: rule.yaml, query: rule.query, check }, { disable })
    : lintRule({ query: rule.query, check }, { disable });
  const off = new Set([...(isRuleFile ? disabledIn(rule.yaml) : []), ...disabledIn(rule.query)]);
  return { findings, disabledInRule: [...off].sort() };
}
