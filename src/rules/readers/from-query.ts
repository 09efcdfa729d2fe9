/**
 * A rule from a bare query (a `.kql` file, a Markdown code block): named from the file and its heading,
 * described by the text around it, techniques from the ATT&CK ids the text names (tactics from ATT&CK's
 * own mapping), tables from what the bound query reads. Its id is stable across edits of the query:
 * a hash of the source, the path and the block's heading (or position).
 */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../../common/lazy-package.js';
import { checkQuery, type FunctionLibrary } from '../../kql/semantics/index.js';
import { walk } from '../../kql/syntax/index.js';
import type { NameRef } from '../../kql/syntax/ast.js';
import { findTechnique } from '../attack.js';
import { toolFromRuleName } from '../catalog.js';
import type { Rule, RuleSource } from '../rule.js';
import { normaliseTactics, validateRule } from '../validate.js';
import { referencesOf } from './safe-url.js';

/** node:crypto when a hash is first made: commands that reach this module without hashing do not load it. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');

export function stableId(source: string, path: string, anchor: string): string {
  return 'q-' + crypto().createHash('sha256').update(`${source}\0${path}\0${anchor}`).digest('hex').slice(0, 20);
}

/** Tables the query reads (table references the binder resolved), in first-use order. */
export function tablesRead(query: string, library?: FunctionLibrary): string[] {
  const r = checkQuery(query, library ? { library } : {});
  const out: string[] = [];
  walk(r.script, (n) => {
    if ((n as { kind: string }).kind !== 'NameRef') return;
    const ref = r.bound.refOf(n as NameRef);
    if (ref?.kind === 'table' && !out.includes(ref.name)) out.push(ref.name);
  });
  return out;
}

export interface QueryRuleInput {
  source: RuleSource;
  path: string;
  anchor: string;
  name: string;
  description: string;
  query: string;
  /** Text the techniques and references are read from (the section around the block). */
  context: string;
  /** What the Definition section shows: the file or section as written. */
  definition: string;
  library?: FunctionLibrary;
}

export function ruleFromQuery(x: QueryRuleInput): Rule {
  // ids inside links (…/techniques/T1003/001/) are the reference, not a claim: read the text without them
  const prose = x.context.replace(/https?:\/\/\S+/g, ' ');
  const techniques = [...new Set([...prose.matchAll(/\bT\d{4}(?:\.\d{3})?\b/g)].map((m) => m[0]).filter((id) => findTechnique(id)))];
  const { tactics } = normaliseTactics(techniques.flatMap((t) => findTechnique(t)?.tactics ?? []));
  const refs = referencesOf([...x.context.matchAll(/https?:\/\/[^\s)<>\]"'`]+/g)].map((m) => m[0].replace(/[.,;:]+$/, '')));
  const tool = toolFromRuleName(x.name);
  const rule: Rule = {
    id: stableId(x.source.name, x.path, x.anchor),
    name: x.name,
    description: x.description,
    severity: 'medium',
    severityDerived: true,
    kind: 'hunting',
    query: x.query,
    tables: tablesRead(x.query, x.library),
    tactics,
    techniques,
    tags: [],
    status: 'valid',
    diagnostics: [],
    repairs: [],
    source: { ...x.source, path: x.path },
    yaml: x.definition,
    version: 1,
  };
  if (refs.urls.length) rule.references = refs.urls;
  if (tool) rule.tool = tool.name;
  return validateRule(rule, [], x.library ? { library: x.library } : {});
}
